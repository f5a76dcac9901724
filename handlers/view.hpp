#pragma once
// The platform-neutral view a handler returns. Each chat adapter under
// bot/ renders it in its platform's format; bot/text as terminal text.
// Text is plain (renderers escape it); `title` parts render bold.

#include "handlers/catalogue.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace handlers {

enum class button_style { plain, primary, danger };

// A control. With `url` set it is a link (no action is sent back).
struct button {
  std::string label;
  std::string action_id; // e.g. "clients.page"; see handlers/actions.hpp
  std::string value;     // the state the handler needs back (at most 2,000 bytes)
  std::string url;
  button_style style = button_style::plain;
};

struct option {
  std::string label;
  std::string value;
};

// An overflow ("⋯") menu: each item is an action or a link.
struct menu_item {
  std::string label;
  std::string value; // sent back with the menu's action_id
  std::string url;   // a link item when set
};
struct menu {
  std::string action_id;
  std::vector<menu_item> items; // at most 5
};

// A single-choice drop-down.
struct select {
  std::string action_id;
  std::string placeholder;
  std::vector<option> options; // value sent back is "<option value>"
  std::string initial;         // value of the preselected option, or empty
  std::string submit_label;    // for platforms whose menus need a button to send the choice
};

using accessory = std::variant<std::monostate, button, menu, select>;

struct header {
  std::string text;
};
struct section {
  std::string title; // bold first line, may be empty
  std::string text;  // may contain newlines
  accessory side;    // shown beside the text
};
struct field {
  std::string label;
  std::string value;
};
struct fields {
  std::vector<field> items; // at most 10
};
struct divider {};
// A row of controls. Not named `actions`: handlers::actions holds the action ids.
struct action_row {
  std::vector<std::variant<button, select>> controls; // at most 25
};
struct note {
  std::string text; // small print: counts, "as of", hints
};

using block = std::variant<header, section, fields, divider, action_row, note>;

struct view {
  std::string summary; // one line: notification text and fallback
  std::vector<block> blocks;
  // The language it is written in, for the words a platform adds to it
  // (the note on a message cut short).
  language lang = language::en;
};

// A form the user fills in and submits (a dialog on the chat platform).
struct checkbox_group {
  std::string id;
  std::string label;
  std::vector<option> options;
  std::vector<std::string> initial;
};
struct text_input {
  std::string id;
  std::string label;
  std::string placeholder;
  bool multiline = false;
  bool optional = true;
  int max_length = 0; // 0: the platform's own limit
};
using form_input = std::variant<checkbox_group, text_input, note>;

struct form {
  std::string id; // callback id, e.g. "reminder"
  std::string title;
  std::string submit_label;
  std::string close_label;      // the platform's own word when empty
  std::string private_metadata; // handler state; re-checked on submit
  std::vector<form_input> inputs;
  language lang = language::en; // as view::lang: for the words a platform adds
};

} // namespace handlers
