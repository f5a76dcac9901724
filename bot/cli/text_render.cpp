#include "bot/cli/text_render.hpp"

#include "handlers/format.hpp"

#include <algorithm>

namespace bot::plain {
namespace {

using handlers::action_row;
using handlers::block;
using handlers::button;
using handlers::button_style;
using handlers::checkbox_group;
using handlers::divider;
using handlers::fields;
using handlers::header;
using handlers::menu;
using handlers::note;
using handlers::section;
using handlers::select;
using handlers::text_input;
using handlers::utf8_length;

constexpr std::string_view indent = "    ";

std::size_t width(std::string_view s) {
  return utf8_length(s);
}

std::string pad(std::string_view s, std::size_t to) {
  std::string out{s};
  for (auto w = width(s); w < to; ++w)
    out += ' ';
  return out;
}

// Every line of `text` prefixed with `prefix`.
std::string indented(std::string_view text, std::string_view prefix) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    const auto line =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    out += prefix;
    out += line;
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string render_button(const button& b) {
  std::string out = b.style == button_style::primary ? "*[" : "[";
  out += b.label;
  out += ']';
  if (!b.url.empty()) out += " <" + b.url + ">";
  return out;
}

std::string render_select(const select& s, const handlers::catalogue& t) {
  std::string out = s.placeholder.empty() ? std::string{t.form_choose} : s.placeholder;
  out += ": ";
  bool first = true;
  for (const auto& o : s.options) {
    if (!first) out += " | ";
    first = false;
    out += o.value == s.initial && !s.initial.empty() ? "(" + o.label + ")" : o.label;
  }
  return "<" + out + ">";
}

std::string render_menu(const menu& m) {
  std::string out{indent};
  out += "\u22ef";
  bool first = true;
  for (const auto& item : m.items) {
    out += first ? " " : " | ";
    first = false;
    out += item.label;
    if (!item.url.empty()) out += " <" + item.url + ">";
  }
  return out + "\n";
}

void render_block(std::string& out, const block& b, const handlers::catalogue& t) {
  std::visit(
      [&out, &t](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, header>) {
          out += x.text + "\n";
          out.append(std::max<std::size_t>(3, width(x.text)), '=');
          out += '\n';
        } else if constexpr (std::is_same_v<T, section>) {
          if (!x.title.empty()) out += x.title + "\n";
          if (!x.text.empty()) out += indented(x.text, x.title.empty() ? "" : indent);
          if (const auto* b = std::get_if<button>(&x.side))
            out += std::string{indent} + render_button(*b) + "\n";
          if (const auto* s = std::get_if<select>(&x.side))
            out += std::string{indent} + render_select(*s, t) + "\n";
          if (const auto* m = std::get_if<menu>(&x.side)) out += render_menu(*m);
        } else if constexpr (std::is_same_v<T, fields>) {
          std::size_t label_width = 0;
          for (const auto& f : x.items)
            label_width = std::max(label_width, width(f.label) + 1);
          for (const auto& f : x.items)
            out += pad(f.label + ":", label_width + 2) + f.value + "\n";
        } else if constexpr (std::is_same_v<T, divider>) {
          out.append(40, '-');
          out += '\n';
        } else if constexpr (std::is_same_v<T, action_row>) {
          std::string line;
          for (const auto& c : x.controls) {
            if (!line.empty()) line += "  ";
            line += std::visit(
                [&t](const auto& control) {
                  if constexpr (std::is_same_v<std::decay_t<decltype(control)>, button>)
                    return render_button(control);
                  else
                    return render_select(control, t);
                },
                c);
          }
          out += line + "\n";
        } else {
          out += indented(x.text, "  ");
        }
      },
      b);
}

} // namespace

std::string render_text(const handlers::view& v) {
  std::string out;
  bool first = true;
  for (const auto& b : v.blocks) {
    // A blank line between blocks, except straight after a header.
    if (!first && !std::holds_alternative<header>(v.blocks[&b - v.blocks.data() - 1])) out += '\n';
    first = false;
    render_block(out, b, handlers::catalogue_for(v.lang));
  }
  if (v.blocks.empty() && !v.summary.empty()) out += v.summary + "\n";
  return out;
}

std::string render_text(const handlers::form& f) {
  const auto& t = handlers::catalogue_for(f.lang);
  std::string out = f.title + "\n" + std::string(std::max<std::size_t>(3, width(f.title)), '=') + "\n";
  for (const auto& input : f.inputs) {
    out += '\n';
    std::visit(
        [&out, &t](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, checkbox_group>) {
            out += x.label + "\n";
            for (const auto& o : x.options) {
              const bool ticked = std::find(x.initial.begin(), x.initial.end(), o.value) != x.initial.end();
              out += std::string{indent} + (ticked ? "[x] " : "[ ] ") + o.label + "\n";
            }
          } else if constexpr (std::is_same_v<T, text_input>) {
            out += x.label + (x.optional ? " " + std::string{t.form_optional} : "") + "\n";
            out += std::string{indent} + "[" +
                   (x.placeholder.empty() ? std::string(20, '_') : x.placeholder) + "]" +
                   (x.multiline ? " " + std::string{t.form_several_lines} : "") + "\n";
          } else {
            out += indented(x.text, "  ");
          }
        },
        input);
  }
  out += "\n[" + (f.submit_label.empty() ? std::string{t.form_submit} : f.submit_label) + "]\n";
  return out;
}

} // namespace bot::plain
