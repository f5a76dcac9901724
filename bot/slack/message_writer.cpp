// Messages as Block Kit JSON text, written straight from the view with no
// document tree in between: the request path answers every command with
// it, and render_message parses the same text, so there is one renderer.
// Slack's limits are applied here (bot/slack/render.hpp: limits).

#include "bot/slack/render.hpp"
#include "text/utf8.hpp"

#include <string>
#include <string_view>

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

  // escape_mrkdwn(text, limit) inside a JSON string (no quotes); returns
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
    const auto bounded = escape_mrkdwn(text, limit);
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
      w.mrkdwn(handlers::catalogue_for(v.lang).more_than_fits, limits::context_text);
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
