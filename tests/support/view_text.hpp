#pragma once
// Reading a neutral view in tests: everything it says, and its buttons.

#include "handlers/view.hpp"

#include <string>
#include <vector>

namespace test_support {

// Every text of a view, in order, for "does it mention X" checks.
inline std::string all_text(const handlers::view& v) {
  std::string out = v.summary + "\n";
  auto add_button = [&out](const handlers::button& b) {
    out += b.label + "\n" + b.value + "\n" + b.url + "\n";
  };
  auto add_select = [&out](const handlers::select& s) {
    for (const auto& o : s.options)
      out += o.label + "\n" + o.value + "\n";
  };
  for (const auto& b : v.blocks) {
    if (const auto* h = std::get_if<handlers::header>(&b)) out += h->text + "\n";
    if (const auto* s = std::get_if<handlers::section>(&b)) {
      out += s->title + "\n" + s->text + "\n";
      if (const auto* bt = std::get_if<handlers::button>(&s->side)) add_button(*bt);
      if (const auto* sel = std::get_if<handlers::select>(&s->side)) add_select(*sel);
      if (const auto* m = std::get_if<handlers::menu>(&s->side))
        for (const auto& i : m->items)
          out += i.label + "\n" + i.value + "\n" + i.url + "\n";
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

// What a reader sees of a view: its texts and labels, without control
// values and links.
inline std::string shown_text(const handlers::view& v) {
  std::string out = v.summary + "\n";
  auto add_select = [&out](const handlers::select& s) {
    out += s.placeholder + "\n";
    for (const auto& o : s.options)
      out += o.label + "\n";
  };
  for (const auto& b : v.blocks) {
    if (const auto* h = std::get_if<handlers::header>(&b)) out += h->text + "\n";
    if (const auto* s = std::get_if<handlers::section>(&b)) {
      out += s->title + "\n" + s->text + "\n";
      if (const auto* bt = std::get_if<handlers::button>(&s->side)) out += bt->label + "\n";
      if (const auto* sel = std::get_if<handlers::select>(&s->side)) add_select(*sel);
      if (const auto* m = std::get_if<handlers::menu>(&s->side))
        for (const auto& i : m->items)
          out += i.label + "\n";
    }
    if (const auto* f = std::get_if<handlers::fields>(&b))
      for (const auto& i : f->items)
        out += i.label + ": " + i.value + "\n";
    if (const auto* n = std::get_if<handlers::note>(&b)) out += n->text + "\n";
    if (const auto* row = std::get_if<handlers::action_row>(&b))
      for (const auto& c : row->controls) {
        if (const auto* bt = std::get_if<handlers::button>(&c)) out += bt->label + "\n";
        if (const auto* sel = std::get_if<handlers::select>(&c)) add_select(*sel);
      }
  }
  return out;
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
