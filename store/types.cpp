#include "store/types.hpp"

#include <array>
#include <utility>

namespace store {
namespace {

template <typename E, std::size_t N>
std::optional<E> parse_enum(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view s) {
  for (const auto& [value, name] : names)
    if (name == s) return value;
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E e) {
  for (const auto& [value, name] : names)
    if (value == e) return name;
  return "?";
}

constexpr std::array role_names{std::pair{role::admin, std::string_view{"admin"}},
                                std::pair{role::bookkeeper, std::string_view{"bookkeeper"}}};
constexpr std::array status_names{std::pair{client_status::invite, std::string_view{"invite"}},
                                  std::pair{client_status::onboarding, std::string_view{"onboarding"}},
                                  std::pair{client_status::active, std::string_view{"active"}}};
constexpr std::array tab_names{std::pair{tab::invites, std::string_view{"invites"}},
                               std::pair{tab::onboarding, std::string_view{"onboarding"}},
                               std::pair{tab::mine, std::string_view{"mine"}},
                               std::pair{tab::all, std::string_view{"all"}}};
constexpr std::array frequency_names{std::pair{frequency::daily, std::string_view{"daily"}},
                                     std::pair{frequency::weekly, std::string_view{"weekly"}},
                                     std::pair{frequency::monthly, std::string_view{"monthly"}}};

} // namespace

std::string_view to_string(role r) {
  return name_of(role_names, r);
}
std::string_view to_string(client_status s) {
  return name_of(status_names, s);
}
std::string_view to_string(tab t) {
  return name_of(tab_names, t);
}
std::string_view to_string(frequency f) {
  return name_of(frequency_names, f);
}
std::optional<role> parse_role(std::string_view s) {
  return parse_enum(role_names, s);
}
std::optional<client_status> parse_client_status(std::string_view s) {
  return parse_enum(status_names, s);
}
std::optional<tab> parse_tab(std::string_view s) {
  return parse_enum(tab_names, s);
}
std::optional<frequency> parse_frequency(std::string_view s) {
  return parse_enum(frequency_names, s);
}

} // namespace store
