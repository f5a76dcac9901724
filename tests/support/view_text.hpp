#pragma once
// Reading a neutral view in tests: everything it says, and its buttons.

#include "handlers/view.hpp"

#include <initializer_list>
#include <string>
#include <vector>

namespace test_support {

// A view's texts in order; `with_values` adds control values and links
// (and leaves out a select's placeholder, which a reader sees).
inline std::string view_texts(const handlers::view& v, bool with_values) {
  std::string out = v.summary + "\n";
  auto add = [&out](const std::string& shown, std::initializer_list<const std::string*> values, bool with) {
    out += shown + "\n";
    if (with)
      for (const auto* value : values)
        out += *value + "\n";
  };
  auto add_button = [&](const handlers::button& b) { add(b.label, {&b.value, &b.url}, with_values); };
  auto add_select = [&](const handlers::select& s) {
    if (!with_values) out += s.placeholder + "\n";
    for (const auto& o : s.options)
      add(o.label, {&o.value}, with_values);
  };
  for (const auto& b : v.blocks) {
    if (const auto* h = std::get_if<handlers::header>(&b)) out += h->text + "\n";
    if (const auto* s = std::get_if<handlers::section>(&b)) {
      out += s->title + "\n" + s->text + "\n";
      if (const auto* bt = std::get_if<handlers::button>(&s->side)) add_button(*bt);
      if (const auto* sel = std::get_if<handlers::select>(&s->side)) add_select(*sel);
      if (const auto* m = std::get_if<handlers::menu>(&s->side))
        for (const auto& i : m->items)
          add(i.label, {&i.value, &i.url}, with_values);
    }
    if (const auto* f = std::get_if<handlers::fields>(&b))
      for (const auto& i : f->items)
        out += i.label + ": " + i.value + "\n";
    if (const auto* n = std::get_if<handlers::note>(&b)) out += n->text + "\n";
    if (const auto* row = std::get_if<handlers::action_row>(&b))
      for (const auto& c : row->controls) {
        if (const auto* bt = std::get_if<handlers::button>(&c)) add_button(*bt);
        if (const auto* sel = std::get_if<handlers::select>(&c)) add_select(*sel);
      }
  }
  return out;
}

// Every text of a view, in order, for "does it mention X" checks.
inline std::string all_text(const handlers::view& v) {
  return view_texts(v, true);
}

// What a reader sees of a view: its texts and labels, without control
// values and links.
inline std::string shown_text(const handlers::view& v) {
  return view_texts(v, false);
}

inline bool mentions(const handlers::view& v, const std::string& text) {
  return all_text(v).find(text) != std::string::npos;
}

// Every button of a view, in order: section accessories and action rows.
inline std::vector<handlers::button> every_button(const handlers::view& v) {
  std::vector<handlers::button> out;
  for (const auto& b : v.blocks) {
    if (const auto* s = std::get_if<handlers::section>(&b))
      if (const auto* bt = std::get_if<handlers::button>(&s->side)) out.push_back(*bt);
    if (const auto* row = std::get_if<handlers::action_row>(&b))
      for (const auto& c : row->controls)
        if (const auto* bt = std::get_if<handlers::button>(&c)) out.push_back(*bt);
  }
  return out;
}

} // namespace test_support
