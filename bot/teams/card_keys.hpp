#pragma once
// The data our card controls send back, as cards.cpp writes it and
// card_input.cpp reads it: one set of names for both.

#include <string_view>

namespace bot::teams::card_keys {

// Data keys of our controls; input ids must not take them.
inline constexpr std::string_view key_kind = "pb";
inline constexpr std::string_view key_action = "id";
inline constexpr std::string_view key_value = "v";
inline constexpr std::string_view key_input = "in";
inline constexpr std::string_view key_form = "form";
inline constexpr std::string_view key_meta = "meta";
inline constexpr std::string_view kind_action = "a";
inline constexpr std::string_view kind_form = "f";
// A checkbox option's toggle is named "<group id>/<option value>".
inline constexpr char toggle_separator = '/';

} // namespace bot::teams::card_keys
