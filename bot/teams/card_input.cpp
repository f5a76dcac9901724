#include "bot/teams/card_keys.hpp"
#include "bot/teams/cards.hpp"

#include <boost/json/value.hpp>

namespace bot::teams {

namespace json = boost::json;
using namespace card_keys;

std::optional<card_input> parse_card_value(const json::value& data) {
  const auto* o = data.if_object();
  if (!o) return std::nullopt;
  auto string_at = [o](std::string_view key) -> const json::string* {
    const auto* v = o->if_contains(key);
    return v ? v->if_string() : nullptr;
  };
  const auto* kind = string_at(key_kind);
  if (!kind) return std::nullopt;

  if (*kind == kind_action) {
    const auto* id = string_at(key_action);
    if (!id || id->empty()) return std::nullopt;
    handlers::action act{std::string(*id), {}};
    if (o->contains(key_input)) {
      // A select: the value is the named input's, merged into the data.
      const auto* input = string_at(key_input);
      if (!input || input->empty()) return std::nullopt;
      const auto* chosen = string_at(*input);
      if (!chosen) return std::nullopt;
      act.value = *chosen;
    } else if (o->contains(key_value)) {
      const auto* value = string_at(key_value);
      if (!value) return std::nullopt;
      act.value = *value;
    }
    return card_input{std::move(act)};
  }

  if (*kind == kind_form) {
    const auto* form = string_at(key_form);
    if (!form || form->empty()) return std::nullopt;
    handlers::submission sub;
    sub.form_id = *form;
    if (o->contains(key_meta)) {
      const auto* meta = string_at(key_meta);
      if (!meta) return std::nullopt;
      sub.private_metadata = *meta;
    }
    for (const auto& [key, value] : *o) {
      if (key == key_kind || key == key_form || key == key_meta) continue;
      const auto* text = value.if_string();
      if (!text) continue; // not an input value (inputs send strings)
      const std::string_view name = key;
      const auto sep = name.find(toggle_separator);
      if (sep == std::string_view::npos) {
        sub.values[std::string(name)] = {std::string(*text)};
        continue;
      }
      const auto group = name.substr(0, sep);
      const auto option = name.substr(sep + 1);
      if (group.empty() || option.empty()) continue;
      auto& chosen = sub.values[std::string(group)]; // present even when nothing is ticked
      if (*text == "true") chosen.emplace_back(option);
    }
    return card_input{std::move(sub)};
  }
  return std::nullopt;
}

} // namespace bot::teams
