#include "handlers/view_json.hpp"

#include <boost/json.hpp>
#include <stdexcept>

namespace handlers {
namespace json = boost::json;
namespace {

constexpr int format_version = 1;

// --- to JSON ---------------------------------------------------------------

std::string_view style_name(button_style s) {
  switch (s) {
  case button_style::primary:
    return "primary";
  case button_style::danger:
    return "danger";
  case button_style::plain:
    break;
  }
  return "plain";
}

json::object to_json(const button& b) {
  return {{"type", "button"}, {"label", b.label}, {"action_id", b.action_id},
          {"value", b.value}, {"url", b.url},     {"style", style_name(b.style)}};
}

json::array to_json(const std::vector<option>& options) {
  json::array out;
  for (const auto& o : options)
    out.push_back(json::object{{"label", o.label}, {"value", o.value}});
  return out;
}

json::object to_json(const select& s) {
  return {{"type", "select"},
          {"action_id", s.action_id},
          {"placeholder", s.placeholder},
          {"options", to_json(s.options)},
          {"initial", s.initial},
          {"submit_label", s.submit_label}};
}

json::object to_json(const menu& m) {
  json::array items;
  for (const auto& i : m.items)
    items.push_back(json::object{{"label", i.label}, {"value", i.value}, {"url", i.url}});
  return {{"type", "menu"}, {"action_id", m.action_id}, {"items", std::move(items)}};
}

json::value to_json(const accessory& a) {
  return std::visit(
      [](const auto& x) -> json::value {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return nullptr;
        else
          return to_json(x);
      },
      a);
}

json::object to_json(const block& b) {
  return std::visit(
      [](const auto& x) -> json::object {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, header>) {
          return {{"type", "header"}, {"text", x.text}};
        } else if constexpr (std::is_same_v<T, section>) {
          return {{"type", "section"}, {"title", x.title}, {"text", x.text}, {"side", to_json(x.side)}};
        } else if constexpr (std::is_same_v<T, fields>) {
          json::array items;
          for (const auto& f : x.items)
            items.push_back(json::object{{"label", f.label}, {"value", f.value}});
          return {{"type", "fields"}, {"items", std::move(items)}};
        } else if constexpr (std::is_same_v<T, divider>) {
          return {{"type", "divider"}};
        } else if constexpr (std::is_same_v<T, action_row>) {
          json::array controls;
          for (const auto& c : x.controls)
            controls.push_back(std::visit([](const auto& control) { return to_json(control); }, c));
          return {{"type", "actions"}, {"controls", std::move(controls)}};
        } else {
          static_assert(std::is_same_v<T, note>);
          return {{"type", "note"}, {"text", x.text}};
        }
      },
      b);
}

json::object to_json(const form_input& input) {
  return std::visit(
      [](const auto& x) -> json::object {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, checkbox_group>) {
          json::array initial;
          for (const auto& i : x.initial)
            initial.push_back(json::string(i));
          return {{"type", "checkboxes"},
                  {"id", x.id},
                  {"label", x.label},
                  {"options", to_json(x.options)},
                  {"initial", std::move(initial)}};
        } else if constexpr (std::is_same_v<T, text_input>) {
          return {{"type", "text"},
                  {"id", x.id},
                  {"label", x.label},
                  {"placeholder", x.placeholder},
                  {"multiline", x.multiline},
                  {"optional", x.optional},
                  {"max_length", x.max_length}};
        } else {
          static_assert(std::is_same_v<T, note>);
          return {{"type", "note"}, {"text", x.text}};
        }
      },
      input);
}

// --- from JSON -------------------------------------------------------------

[[noreturn]] void bad(const std::string& what) {
  throw std::invalid_argument("not a serialized view: " + what);
}

const json::object& as_object(const json::value& v, const char* what) {
  if (!v.is_object()) bad(std::string{what} + " is not an object");
  return v.get_object();
}

const json::array& array_at(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_array()) bad(std::string{key} + " is not an array");
  return v->get_array();
}

std::string string_at(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v) return {};
  if (!v->is_string()) bad(std::string{key} + " is not a string");
  return std::string{v->get_string()};
}

std::string type_of(const json::object& o) {
  auto t = string_at(o, "type");
  if (t.empty()) bad("an element has no type");
  return t;
}

std::vector<option> options_from(const json::array& a) {
  std::vector<option> out;
  for (const auto& v : a) {
    const auto& o = as_object(v, "option");
    out.push_back(option{string_at(o, "label"), string_at(o, "value")});
  }
  return out;
}

button button_from(const json::object& o) {
  button b;
  b.label = string_at(o, "label");
  b.action_id = string_at(o, "action_id");
  b.value = string_at(o, "value");
  b.url = string_at(o, "url");
  const auto style = string_at(o, "style");
  if (style == "primary")
    b.style = button_style::primary;
  else if (style == "danger")
    b.style = button_style::danger;
  else if (style.empty() || style == "plain")
    b.style = button_style::plain;
  else
    bad("unknown button style");
  return b;
}

select select_from(const json::object& o) {
  select s;
  s.action_id = string_at(o, "action_id");
  s.placeholder = string_at(o, "placeholder");
  s.options = options_from(array_at(o, "options"));
  s.initial = string_at(o, "initial");
  s.submit_label = string_at(o, "submit_label");
  return s;
}

menu menu_from(const json::object& o) {
  menu m;
  m.action_id = string_at(o, "action_id");
  for (const auto& v : array_at(o, "items")) {
    const auto& i = as_object(v, "menu item");
    m.items.push_back(menu_item{string_at(i, "label"), string_at(i, "value"), string_at(i, "url")});
  }
  return m;
}

accessory accessory_from(const json::value* v) {
  if (!v || v->is_null()) return std::monostate{};
  const auto& o = as_object(*v, "side");
  const auto type = type_of(o);
  if (type == "button") return button_from(o);
  if (type == "menu") return menu_from(o);
  if (type == "select") return select_from(o);
  bad("unknown accessory type " + type);
}

block block_from(const json::value& v) {
  const auto& o = as_object(v, "block");
  const auto type = type_of(o);
  if (type == "header") return header{string_at(o, "text")};
  if (type == "section")
    return section{string_at(o, "title"), string_at(o, "text"), accessory_from(o.if_contains("side"))};
  if (type == "fields") {
    fields f;
    for (const auto& item : array_at(o, "items")) {
      const auto& i = as_object(item, "field");
      f.items.push_back(field{string_at(i, "label"), string_at(i, "value")});
    }
    return f;
  }
  if (type == "divider") return divider{};
  if (type == "actions") {
    action_row a;
    for (const auto& c : array_at(o, "controls")) {
      const auto& control = as_object(c, "control");
      const auto kind = type_of(control);
      if (kind == "button")
        a.controls.emplace_back(button_from(control));
      else if (kind == "select")
        a.controls.emplace_back(select_from(control));
      else
        bad("unknown control type " + kind);
    }
    return a;
  }
  if (type == "note") return note{string_at(o, "text")};
  bad("unknown block type " + type);
}

bool bool_at(const json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_bool()) bad(std::string{key} + " is not a boolean");
  return v->get_bool();
}

form_input form_input_from(const json::value& v) {
  const auto& o = as_object(v, "form input");
  const auto type = type_of(o);
  if (type == "checkboxes") {
    checkbox_group g;
    g.id = string_at(o, "id");
    g.label = string_at(o, "label");
    g.options = options_from(array_at(o, "options"));
    for (const auto& i : array_at(o, "initial")) {
      if (!i.is_string()) bad("initial is not a string");
      g.initial.emplace_back(i.get_string());
    }
    return g;
  }
  if (type == "text") {
    text_input t;
    t.id = string_at(o, "id");
    t.label = string_at(o, "label");
    t.placeholder = string_at(o, "placeholder");
    t.multiline = bool_at(o, "multiline");
    t.optional = bool_at(o, "optional");
    const auto* max = o.if_contains("max_length");
    if (!max || !max->is_int64() || max->get_int64() < 0 || max->get_int64() > 1'000'000)
      bad("max_length is not a length");
    t.max_length = static_cast<int>(max->get_int64());
    return t;
  }
  if (type == "note") return note{string_at(o, "text")};
  bad("unknown form input type " + type);
}

} // namespace

std::string form_to_json(const form& f) {
  json::array inputs;
  for (const auto& i : f.inputs)
    inputs.push_back(to_json(i));
  json::object out{{"v", format_version},
                   {"form",
                    {{"id", f.id},
                     {"title", f.title},
                     {"submit_label", f.submit_label},
                     {"close_label", f.close_label},
                     {"private_metadata", f.private_metadata},
                     {"inputs", std::move(inputs)}}}};
  return json::serialize(out);
}

form form_from_json(std::string_view json_text) {
  boost::system::error_code ec;
  auto parsed = json::parse(json_text, ec);
  if (ec) bad(ec.message());
  const auto& o = as_object(parsed, "the payload");
  const auto* version = o.if_contains("v");
  if (!version || !version->is_int64() || version->get_int64() != format_version) bad("unknown version");
  const auto* inner = o.if_contains("form");
  if (!inner) bad("no form");
  const auto& fo = as_object(*inner, "form");
  form f;
  f.id = string_at(fo, "id");
  f.title = string_at(fo, "title");
  f.submit_label = string_at(fo, "submit_label");
  f.close_label = string_at(fo, "close_label");
  f.private_metadata = string_at(fo, "private_metadata");
  for (const auto& i : array_at(fo, "inputs"))
    f.inputs.push_back(form_input_from(i));
  return f;
}

bool is_form_json(std::string_view json_text) {
  // form_to_json writes the version first and the form right after it.
  static const std::string prefix = R"({"v":)" + std::to_string(format_version) + R"(,"form":)";
  return json_text.starts_with(prefix);
}

std::string view_to_json(const view& v) {
  json::array blocks;
  for (const auto& b : v.blocks)
    blocks.push_back(to_json(b));
  json::object out{{"v", format_version}, {"summary", v.summary}, {"blocks", std::move(blocks)}};
  if (v.lang == language::da) out["lang"] = "da";
  return json::serialize(out);
}

view view_from_json(std::string_view json_text) {
  boost::system::error_code ec;
  auto parsed = json::parse(json_text, ec);
  if (ec) bad(ec.message());
  const auto& o = as_object(parsed, "the payload");
  const auto* version = o.if_contains("v");
  if (!version || !version->is_int64() || version->get_int64() != format_version) bad("unknown version");
  view v;
  v.summary = string_at(o, "summary");
  // Written before views said their language: English.
  if (const auto* lang = o.if_contains("lang"); lang && lang->is_string() && lang->get_string() == "da")
    v.lang = language::da;
  for (const auto& b : array_at(o, "blocks"))
    v.blocks.push_back(block_from(b));
  return v;
}

} // namespace handlers
