#include "bot/slack/render.hpp"

#include "store/utf8.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <map>
#include <vector>

namespace bot::slack {

namespace json = boost::json;

namespace {

using store::utf8::for_each_char;

std::string_view escaped(std::string_view ch) {
  if (ch == "&") return "&amp;";
  if (ch == "<") return "&lt;";
  if (ch == ">") return "&gt;";
  return ch;
}

// mrkdwn-escaped text of at most `limit` characters, counted after escaping
// (an entity is never cut in half).
std::string escape_bounded(std::string_view text, std::size_t limit) {
  std::string full = escape_mrkdwn(text);
  if (text_length(full) <= limit) return full;
  std::string out;
  std::size_t used = 0;
  bool done = false;
  for_each_char(text, [&](std::string_view ch) {
    if (done) return;
    auto piece = escaped(ch);
    std::size_t n = piece.size() == ch.size() ? 1 : piece.size();
    if (used + n > limit - 1) {
      done = true;
      return;
    }
    out += piece;
    used += n;
  });
  return out + "…";
}

json::object plain_text(std::string_view text, std::size_t limit) {
  return {{"type", "plain_text"}, {"text", truncate_text(text.empty() ? " " : text, limit)}, {"emoji", true}};
}

json::object mrkdwn(std::string text) {
  return {{"type", "mrkdwn"}, {"text", std::move(text)}};
}

// Hands out action ids, suffixing repeats (Slack rejects duplicates in a block).
class action_ids {
public:
  std::string next(const std::string& id) {
    int n = ++seen_[id];
    return n == 1 ? id : id + ":" + std::to_string(n);
  }

private:
  std::map<std::string, int> seen_;
};

std::optional<json::object> render_button(const handlers::button& b, action_ids& ids) {
  json::object out{{"type", "button"}, {"text", plain_text(b.label, limits::button_text)}};
  if (!b.url.empty()) {
    if (b.url.size() > limits::url_length) return std::nullopt;
    out["url"] = b.url;
    out["action_id"] = ids.next(std::string(link_marker));
  } else {
    // A value that does not fit cannot be cut without corrupting the state.
    if (b.value.size() > limits::button_value || b.action_id.empty()) return std::nullopt;
    out["action_id"] = ids.next(b.action_id);
    if (!b.value.empty()) out["value"] = b.value;
  }
  if (b.style == handlers::button_style::primary) out["style"] = "primary";
  if (b.style == handlers::button_style::danger) out["style"] = "danger";
  return out;
}

std::optional<json::object> render_option(const std::string& label, const std::string& value,
                                          const std::string& url = {}) {
  json::object out{{"text", plain_text(label, limits::option_text)}};
  if (!url.empty()) {
    if (url.size() > limits::url_length) return std::nullopt;
    out["value"] = std::string(link_marker);
    out["url"] = url;
  } else {
    if (value.empty() || value.size() > limits::option_value) return std::nullopt;
    out["value"] = value;
  }
  return out;
}

std::optional<json::object> render_menu(const handlers::menu& m, action_ids& ids) {
  json::array options;
  std::vector<const handlers::menu_item*> kept;
  for (const auto& item : m.items) {
    if (options.size() == limits::overflow_options) break;
    if (auto o = render_option(item.label, item.value, item.url)) {
      options.push_back(std::move(*o));
      kept.push_back(&item);
    }
  }
  if (options.empty()) return std::nullopt;
  // An overflow needs at least two options; a single item becomes a button.
  if (options.size() == 1) {
    const auto& item = *kept.front();
    return render_button(
        {.label = item.label, .action_id = m.action_id, .value = item.value, .url = item.url}, ids);
  }
  return json::object{
      {"type", "overflow"}, {"action_id", ids.next(m.action_id)}, {"options", std::move(options)}};
}

std::optional<json::object> render_select(const handlers::select& s, action_ids& ids) {
  json::array options;
  json::value initial;
  for (const auto& opt : s.options) {
    if (options.size() == limits::select_options) break;
    if (auto o = render_option(opt.label, opt.value)) {
      if (!s.initial.empty() && opt.value == s.initial) initial = *o;
      options.push_back(std::move(*o));
    }
  }
  if (options.empty() || s.action_id.empty()) return std::nullopt;
  json::object out{
      {"type", "static_select"}, {"action_id", ids.next(s.action_id)}, {"options", std::move(options)}};
  if (!s.placeholder.empty()) out["placeholder"] = plain_text(s.placeholder, limits::placeholder_text);
  if (!initial.is_null()) out["initial_option"] = std::move(initial);
  return out;
}

struct block_renderer {
  action_ids& ids;

  std::optional<json::object> operator()(const handlers::header& h) const {
    if (h.text.empty()) return std::nullopt;
    return json::object{{"type", "header"}, {"text", plain_text(h.text, limits::header_text)}};
  }

  std::optional<json::object> operator()(const handlers::section& s) const {
    std::string text;
    if (!s.title.empty()) {
      // Keep room for the body: a title never takes more than a tenth.
      text = "*" + escape_bounded(s.title, limits::section_text / 10) + "*";
      if (!s.text.empty()) text += "\n";
    }
    if (!s.text.empty()) text += escape_bounded(s.text, limits::section_text - text_length(text));
    std::optional<json::object> side;
    if (auto* b = std::get_if<handlers::button>(&s.side)) side = render_button(*b, ids);
    if (auto* m = std::get_if<handlers::menu>(&s.side)) side = render_menu(*m, ids);
    if (auto* sel = std::get_if<handlers::select>(&s.side)) side = render_select(*sel, ids);
    if (text.empty() && !side) return std::nullopt;
    json::object out{{"type", "section"}, {"text", mrkdwn(text.empty() ? " " : text)}};
    if (side) out["accessory"] = std::move(*side);
    return out;
  }

  std::optional<json::object> operator()(const handlers::fields& f) const {
    json::array items;
    for (const auto& item : f.items) {
      if (items.size() == limits::section_fields) break;
      std::string label = "*" + escape_bounded(item.label, limits::field_text / 10) + "*\n";
      std::string text = label + escape_bounded(item.value.empty() ? "–" : item.value,
                                                limits::field_text - text_length(label));
      items.push_back(mrkdwn(std::move(text)));
    }
    if (items.empty()) return std::nullopt;
    return json::object{{"type", "section"}, {"fields", std::move(items)}};
  }

  std::optional<json::object> operator()(const handlers::divider&) const {
    return json::object{{"type", "divider"}};
  }

  std::optional<json::object> operator()(const handlers::action_row& a) const {
    json::array elements;
    for (const auto& control : a.controls) {
      if (elements.size() == limits::actions_elements) break;
      std::optional<json::object> e;
      if (auto* b = std::get_if<handlers::button>(&control)) e = render_button(*b, ids);
      if (auto* s = std::get_if<handlers::select>(&control)) e = render_select(*s, ids);
      if (e) elements.push_back(std::move(*e));
    }
    if (elements.empty()) return std::nullopt;
    return json::object{{"type", "actions"}, {"elements", std::move(elements)}};
  }

  std::optional<json::object> operator()(const handlers::note& n) const {
    if (n.text.empty()) return std::nullopt;
    json::array elements{mrkdwn(escape_bounded(n.text, limits::context_text))};
    return json::object{{"type", "context"}, {"elements", std::move(elements)}};
  }
};

json::object context_block(std::string_view text) {
  return {{"type", "context"}, {"elements", json::array{mrkdwn(escape_bounded(text, limits::context_text))}}};
}

} // namespace

std::size_t text_length(std::string_view text) {
  return store::utf8::length(text);
}

std::string truncate_text(std::string_view text, std::size_t max_chars) {
  if (text_length(text) <= max_chars) return std::string(text);
  if (max_chars == 0) return {};
  std::string out;
  std::size_t n = 0;
  for_each_char(text, [&](std::string_view ch) {
    if (n + 1 < max_chars) out += ch;
    ++n;
  });
  return out + "…";
}

std::string escape_mrkdwn(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string base_action_id(std::string_view rendered) {
  auto colon = rendered.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == rendered.size()) return std::string(rendered);
  for (auto c : rendered.substr(colon + 1))
    if (c < '0' || c > '9') return std::string(rendered);
  return std::string(rendered.substr(0, colon));
}

json::object render_message(const handlers::view& v) {
  action_ids ids;
  block_renderer render{ids};
  json::array blocks;
  for (const auto& b : v.blocks) {
    auto rendered = std::visit(render, b);
    if (!rendered) continue;
    if (blocks.size() == limits::message_blocks - 1) {
      blocks.push_back(context_block("… more than fits in one message; narrow it down to see the rest."));
      break;
    }
    blocks.push_back(std::move(*rendered));
  }
  std::string summary = v.summary.empty() ? std::string("partnerbot") : v.summary;
  return {{"text", escape_bounded(summary, limits::section_text)}, {"blocks", std::move(blocks)}};
}

json::object render_modal(const handlers::form& f) {
  json::array blocks;
  for (const auto& input : f.inputs) {
    if (blocks.size() == limits::modal_blocks) break;
    if (auto* group = std::get_if<handlers::checkbox_group>(&input)) {
      json::array options;
      json::array initial;
      for (const auto& opt : group->options) {
        if (options.size() == limits::checkbox_options) break;
        auto o = render_option(opt.label, opt.value);
        if (!o) continue;
        for (const auto& chosen : group->initial)
          if (chosen == opt.value) initial.push_back(*o);
        options.push_back(std::move(*o));
      }
      if (options.empty()) continue;
      json::object element{{"type", "checkboxes"}, {"action_id", group->id}, {"options", std::move(options)}};
      if (!initial.empty()) element["initial_options"] = std::move(initial);
      // Optional for Slack: the handler checks the choice and answers with
      // its own error message on the block.
      blocks.push_back(json::object{{"type", "input"},
                                    {"block_id", group->id},
                                    {"optional", true},
                                    {"label", plain_text(group->label, limits::label_text)},
                                    {"element", std::move(element)}});
    } else if (auto* text = std::get_if<handlers::text_input>(&input)) {
      json::object element{
          {"type", "plain_text_input"}, {"action_id", text->id}, {"multiline", text->multiline}};
      if (text->max_length > 0)
        element["max_length"] = std::min<std::int64_t>(text->max_length, limits::text_input_max);
      if (!text->placeholder.empty())
        element["placeholder"] = plain_text(text->placeholder, limits::placeholder_text);
      blocks.push_back(json::object{{"type", "input"},
                                    {"block_id", text->id},
                                    {"optional", text->optional},
                                    {"label", plain_text(text->label, limits::label_text)},
                                    {"element", std::move(element)}});
    } else if (auto* n = std::get_if<handlers::note>(&input)) {
      if (!n->text.empty()) blocks.push_back(context_block(n->text));
    }
  }
  json::object view{
      {"type", "modal"},
      {"callback_id", f.id},
      {"title", plain_text(f.title, limits::modal_title)},
      {"submit", plain_text(f.submit_label.empty() ? "Submit" : f.submit_label, limits::modal_button)},
      {"close", plain_text(f.close_label.empty() ? "Cancel" : f.close_label, limits::modal_button)},
      {"blocks", std::move(blocks)}};
  if (!f.private_metadata.empty()) view["private_metadata"] = f.private_metadata;
  return view;
}

} // namespace bot::slack

// ---- The direct writer ------------------------------------------------------
// Mirrors the tree above key for key and byte for byte (tests compare the
// two over many views): the same limits, cuts and action-id suffixes.

namespace bot::slack {
namespace {

bool needs_json_escape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

void append_json_escaped(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (!needs_json_escape(c)) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\f':
      out += "\\f";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  out.append(text.data() + run, text.size() - run);
}

class writer {
public:
  explicit writer(std::string& out) : out_(out) {}

  std::size_t mark() const { return out_.size(); }
  void rollback(std::size_t at) { out_.resize(at); }
  void raw(std::string_view s) { out_.append(s); }

  void string(std::string_view s) {
    out_ += '"';
    append_json_escaped(out_, s);
    out_ += '"';
  }

  // escape_bounded(text, limit) inside a JSON string (no quotes); returns
  // its length in characters. Text that needs neither an entity nor a cut
  // (nearly all) is streamed without a copy.
  std::size_t mrkdwn_part(std::string_view text, std::size_t limit) {
    if (text.find_first_of("&<>") == std::string_view::npos) {
      const auto chars = text_length(text);
      if (chars <= limit) {
        append_json_escaped(out_, text);
        return chars;
      }
    }
    const auto bounded = escape_bounded(text, limit);
    append_json_escaped(out_, bounded);
    return text_length(bounded);
  }

  void mrkdwn(std::string_view text, std::size_t limit) {
    out_ += "{\"type\":\"mrkdwn\",\"text\":\"";
    mrkdwn_part(text, limit);
    out_ += "\"}";
  }

  void plain_text(std::string_view text, std::size_t limit) {
    if (text.empty()) text = " ";
    out_ += "{\"type\":\"plain_text\",\"text\":";
    if (text_length(text) <= limit)
      string(text);
    else
      string(truncate_text(text, limit));
    out_ += ",\"emoji\":true}";
  }

private:
  std::string& out_;
};

// action_ids without the map: a view has a handful of distinct ids, kept
// as views into the view being written.
class id_counter {
public:
  void write_next(writer& w, std::string_view id) {
    int n = 1;
    auto it = std::find_if(seen_.begin(), seen_.end(), [&](const auto& p) { return p.first == id; });
    if (it == seen_.end())
      seen_.emplace_back(id, 1);
    else
      n = ++it->second;
    if (n == 1) {
      w.string(id);
    } else {
      std::string suffixed(id);
      suffixed += ':';
      suffixed += std::to_string(n);
      w.string(suffixed);
    }
  }

private:
  std::vector<std::pair<std::string_view, int>> seen_;
};

bool option_fits(const std::string& value, const std::string& url) {
  if (!url.empty()) return url.size() <= limits::url_length;
  return !value.empty() && value.size() <= limits::option_value;
}

void write_option(writer& w, const std::string& label, const std::string& value, const std::string& url) {
  w.raw("{\"text\":");
  w.plain_text(label, limits::option_text);
  w.raw(",\"value\":");
  if (!url.empty()) {
    w.string(link_marker);
    w.raw(",\"url\":");
    w.string(url);
  } else {
    w.string(value);
  }
  w.raw("}");
}

// The parts are views into the view being written: the id counter keeps them.
bool write_button(writer& w, std::string_view label, std::string_view action_id, std::string_view value,
                  std::string_view url, handlers::button_style style, id_counter& ids) {
  if (!url.empty() ? url.size() > limits::url_length
                   : value.size() > limits::button_value || action_id.empty())
    return false;
  w.raw("{\"type\":\"button\",\"text\":");
  w.plain_text(label, limits::button_text);
  if (!url.empty()) {
    w.raw(",\"url\":");
    w.string(url);
    w.raw(",\"action_id\":");
    ids.write_next(w, link_marker);
  } else {
    w.raw(",\"action_id\":");
    ids.write_next(w, action_id);
    if (!value.empty()) {
      w.raw(",\"value\":");
      w.string(value);
    }
  }
  if (style == handlers::button_style::primary) w.raw(",\"style\":\"primary\"");
  if (style == handlers::button_style::danger) w.raw(",\"style\":\"danger\"");
  w.raw("}");
  return true;
}

bool write_button(writer& w, const handlers::button& b, id_counter& ids) {
  return write_button(w, b.label, b.action_id, b.value, b.url, b.style, ids);
}

bool write_menu(writer& w, const handlers::menu& m, id_counter& ids) {
  std::size_t fitting = 0;
  const handlers::menu_item* only = nullptr;
  for (const auto& item : m.items) {
    if (fitting == limits::overflow_options) break;
    if (!option_fits(item.value, item.url)) continue;
    if (++fitting == 1) only = &item;
  }
  if (fitting == 0) return false;
  // An overflow needs at least two options; a single item becomes a button.
  if (fitting == 1)
    return write_button(w, only->label, m.action_id, only->value, only->url, handlers::button_style::plain,
                        ids);
  w.raw("{\"type\":\"overflow\",\"action_id\":");
  ids.write_next(w, m.action_id);
  w.raw(",\"options\":[");
  std::size_t written = 0;
  for (const auto& item : m.items) {
    if (written == limits::overflow_options) break;
    if (!option_fits(item.value, item.url)) continue;
    if (written++ > 0) w.raw(",");
    write_option(w, item.label, item.value, item.url);
  }
  w.raw("]}");
  return true;
}

bool write_select(writer& w, const handlers::select& s, id_counter& ids) {
  static const std::string no_url;
  std::size_t fitting = 0;
  const handlers::option* initial = nullptr;
  for (const auto& opt : s.options) {
    if (fitting == limits::select_options) break;
    if (!option_fits(opt.value, no_url)) continue;
    ++fitting;
    if (!s.initial.empty() && opt.value == s.initial) initial = &opt;
  }
  if (fitting == 0 || s.action_id.empty()) return false;
  w.raw("{\"type\":\"static_select\",\"action_id\":");
  ids.write_next(w, s.action_id);
  w.raw(",\"options\":[");
  std::size_t written = 0;
  for (const auto& opt : s.options) {
    if (written == limits::select_options) break;
    if (!option_fits(opt.value, no_url)) continue;
    if (written++ > 0) w.raw(",");
    write_option(w, opt.label, opt.value, no_url);
  }
  w.raw("]");
  if (!s.placeholder.empty()) {
    w.raw(",\"placeholder\":");
    w.plain_text(s.placeholder, limits::placeholder_text);
  }
  if (initial) {
    w.raw(",\"initial_option\":");
    write_option(w, initial->label, initial->value, no_url);
  }
  w.raw("}");
  return true;
}

struct block_writer {
  writer& w;
  id_counter& ids;

  bool operator()(const handlers::header& h) const {
    if (h.text.empty()) return false;
    w.raw("{\"type\":\"header\",\"text\":");
    w.plain_text(h.text, limits::header_text);
    w.raw("}");
    return true;
  }

  bool operator()(const handlers::section& s) const {
    const auto start = w.mark();
    w.raw("{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"");
    std::size_t used = 0;
    if (!s.title.empty()) {
      // Keep room for the body: a title never takes more than a tenth.
      w.raw("*");
      used = w.mrkdwn_part(s.title, limits::section_text / 10) + 2;
      w.raw("*");
      if (!s.text.empty()) {
        w.raw("\\n");
        ++used;
      }
    }
    if (!s.text.empty()) used += w.mrkdwn_part(s.text, limits::section_text - used);
    if (used == 0) w.raw(" ");
    w.raw("\"}");
    const auto before_side = w.mark();
    w.raw(",\"accessory\":");
    bool side = false;
    if (auto* b = std::get_if<handlers::button>(&s.side)) side = write_button(w, *b, ids);
    if (auto* m = std::get_if<handlers::menu>(&s.side)) side = write_menu(w, *m, ids);
    if (auto* sel = std::get_if<handlers::select>(&s.side)) side = write_select(w, *sel, ids);
    if (!side) w.rollback(before_side);
    if (used == 0 && !side) {
      w.rollback(start);
      return false;
    }
    w.raw("}");
    return true;
  }

  bool operator()(const handlers::fields& f) const {
    if (f.items.empty()) return false;
    w.raw("{\"type\":\"section\",\"fields\":[");
    std::size_t written = 0;
    for (const auto& item : f.items) {
      if (written == limits::section_fields) break;
      if (written++ > 0) w.raw(",");
      w.raw("{\"type\":\"mrkdwn\",\"text\":\"*");
      const auto label = w.mrkdwn_part(item.label, limits::field_text / 10) + 3;
      w.raw("*\\n");
      w.mrkdwn_part(item.value.empty() ? "–" : item.value, limits::field_text - label);
      w.raw("\"}");
    }
    w.raw("]}");
    return true;
  }

  bool operator()(const handlers::divider&) const {
    w.raw("{\"type\":\"divider\"}");
    return true;
  }

  bool operator()(const handlers::action_row& a) const {
    const auto start = w.mark();
    w.raw("{\"type\":\"actions\",\"elements\":[");
    std::size_t written = 0;
    for (const auto& control : a.controls) {
      if (written == limits::actions_elements) break;
      const auto before = w.mark();
      if (written > 0) w.raw(",");
      bool ok = false;
      if (auto* b = std::get_if<handlers::button>(&control)) ok = write_button(w, *b, ids);
      if (auto* s = std::get_if<handlers::select>(&control)) ok = write_select(w, *s, ids);
      if (ok)
        ++written;
      else
        w.rollback(before);
    }
    if (written == 0) {
      w.rollback(start);
      return false;
    }
    w.raw("]}");
    return true;
  }

  bool operator()(const handlers::note& n) const {
    if (n.text.empty()) return false;
    w.raw("{\"type\":\"context\",\"elements\":[");
    w.mrkdwn(n.text, limits::context_text);
    w.raw("]}");
    return true;
  }
};

} // namespace

void write_message_json(const handlers::view& v, std::string& out, std::string_view response_type) {
  writer w(out);
  id_counter ids;
  block_writer render{w, ids};
  w.raw("{\"text\":\"");
  w.mrkdwn_part(v.summary.empty() ? std::string_view("partnerbot") : std::string_view(v.summary),
                limits::section_text);
  w.raw("\",\"blocks\":[");
  std::size_t written = 0;
  for (const auto& b : v.blocks) {
    const auto before = w.mark();
    if (written > 0) w.raw(",");
    if (!std::visit(render, b)) {
      w.rollback(before);
      continue;
    }
    if (written == limits::message_blocks - 1) {
      w.rollback(before);
      w.raw(",{\"type\":\"context\",\"elements\":[");
      w.mrkdwn("… more than fits in one message; narrow it down to see the rest.", limits::context_text);
      w.raw("]}");
      break;
    }
    ++written;
  }
  w.raw("]");
  if (!response_type.empty()) {
    w.raw(",\"response_type\":");
    w.string(response_type);
  }
  w.raw("}");
}

std::string message_json(const handlers::view& v, std::string_view response_type) {
  std::string out;
  out.reserve(4096);
  write_message_json(v, out, response_type);
  return out;
}

} // namespace bot::slack
