#include "bot/slack/render.hpp"

#include "text/entities.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <map>
#include <vector>

namespace bot::slack {

namespace json = boost::json;

namespace {

using text::utf8::for_each_char;

std::string_view escaped(std::string_view ch) {
  if (ch == "&") return "&amp;";
  if (ch == "<") return "&lt;";
  if (ch == ">") return "&gt;";
  return ch;
}

json::object plain_text(std::string_view text, std::size_t limit) {
  return {{"type", "plain_text"}, {"text", truncate_text(text.empty() ? " " : text, limit)}, {"emoji", true}};
}

json::object mrkdwn(std::string text) {
  return {{"type", "mrkdwn"}, {"text", std::move(text)}};
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

json::object context_block(std::string_view text) {
  return {{"type", "context"}, {"elements", json::array{mrkdwn(escape_mrkdwn(text, limits::context_text))}}};
}

} // namespace

std::size_t text_length(std::string_view text) {
  return text::utf8::length(text);
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
  return text::escape_entities(text);
}

std::string escape_mrkdwn(std::string_view text, std::size_t limit) {
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

std::string base_action_id(std::string_view rendered) {
  auto colon = rendered.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == rendered.size()) return std::string(rendered);
  for (auto c : rendered.substr(colon + 1))
    if (c < '0' || c > '9') return std::string(rendered);
  return std::string(rendered.substr(0, colon));
}

json::object render_message(const handlers::view& v) {
  return json::parse(message_json(v)).as_object();
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
  json::object view{{"type", "modal"},
                    {"callback_id", f.id},
                    {"title", plain_text(f.title, limits::modal_title)},
                    {"submit", plain_text(f.submit_label.empty() ? handlers::catalogue_for(f.lang).form_submit
                                                                 : std::string_view{f.submit_label},
                                          limits::modal_button)},
                    {"close", plain_text(f.close_label.empty() ? handlers::catalogue_for(f.lang).form_cancel
                                                               : std::string_view{f.close_label},
                                         limits::modal_button)},
                    {"blocks", std::move(blocks)}};
  if (!f.private_metadata.empty()) view["private_metadata"] = f.private_metadata;
  return view;
}

} // namespace bot::slack
