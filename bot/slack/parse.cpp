#include "bot/slack/parse.hpp"

#include "bot/slack/render.hpp"
#include "handlers/actions.hpp"
#include "handlers/grammar.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <boost/url/parse_query.hpp>

namespace bot::slack {

namespace json = boost::json;

namespace {

// Lenient field access: Slack omits or nulls fields freely.
std::string str(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

const json::object& obj(const json::object& o, std::string_view key) {
  static const json::object empty;
  auto* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : empty;
}

const json::array& arr(const json::object& o, std::string_view key) {
  static const json::array empty;
  auto* v = o.if_contains(key);
  return v && v->is_array() ? v->get_array() : empty;
}

std::string decode(boost::urls::pct_string_view s) {
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  auto view = s.decode(opts);
  return std::string(view.begin(), view.end());
}

json::result<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) return ec;
  if (!v.is_object()) return make_error_code(json::error::not_object);
  return std::move(v.as_object());
}

// One element's state in view.state.values -> the values it carries.
std::vector<std::string> state_values(const json::object& element) {
  std::vector<std::string> out;
  for (const auto& o : arr(element, "selected_options"))
    if (o.is_object()) out.push_back(str(o.get_object(), "value"));
  if (auto& selected = obj(element, "selected_option"); !selected.empty())
    out.push_back(str(selected, "value"));
  if (auto* v = element.if_contains("value"); v && v->is_string() && !v->get_string().empty())
    out.emplace_back(v->get_string());
  return out;
}

} // namespace

// Conversions from Slack JSON, in one place (used through try_value_to).
json::result<interaction> tag_invoke(json::try_value_to_tag<interaction>, const json::value& jv) {
  if (!jv.is_object()) return make_error_code(json::error::not_object);
  const auto& p = jv.get_object();
  interaction out;
  out.type = str(p, "type");
  if (out.type.empty()) return make_error_code(json::error::not_found);
  out.user_id = str(obj(p, "user"), "id");
  out.team_id = str(obj(p, "team"), "id");
  out.enterprise_id = str(obj(p, "enterprise"), "id");
  if (out.enterprise_id.empty()) out.enterprise_id = str(obj(p, "team"), "enterprise_id");
  // Org-wide installs may send "team": null; the user's team still tells.
  if (out.team_id.empty()) out.team_id = str(obj(p, "user"), "team_id");
  out.channel_id = str(obj(p, "channel"), "id");
  out.response_url = str(p, "response_url");
  out.trigger_id = str(p, "trigger_id");
  const auto& container = obj(p, "container");
  out.container.type = str(container, "type");
  out.container.channel_id = str(container, "channel_id");
  out.container.message_ts = str(container, "message_ts");
  if (auto* e = container.if_contains("is_ephemeral"); e && e->is_bool())
    out.container.is_ephemeral = e->get_bool();
  if (out.channel_id.empty()) out.channel_id = out.container.channel_id;

  if (out.type == "block_actions") {
    out.kind = interaction_kind::block_actions;
    const auto& actions = arr(p, "actions");
    if (actions.empty() || !actions.front().is_object()) return make_error_code(json::error::not_found);
    const auto& a = actions.front().get_object();
    auto raw_id = str(a, "action_id");
    if (raw_id.empty()) return make_error_code(json::error::not_found);
    out.action.action_id = base_action_id(raw_id);
    out.action.value = str(a, "value");
    if (auto& selected = obj(a, "selected_option"); !selected.empty())
      out.action.value = str(selected, "value");
    out.is_link = out.action.action_id == link_marker || out.action.value == link_marker ||
                  out.action.action_id == handlers::actions::link;
  } else if (out.type == "view_submission") {
    out.kind = interaction_kind::view_submission;
    const auto& view = obj(p, "view");
    auto view_id = str(view, "id");
    if (view_id.empty()) return make_error_code(json::error::not_found);
    out.submission.form_id = str(view, "callback_id");
    out.submission.private_metadata = str(view, "private_metadata");
    out.submission.submission_id = view_id + ":" + str(view, "hash");
    for (const auto& [block_id, elements] : obj(obj(view, "state"), "values")) {
      if (!elements.is_object()) continue;
      auto& values = out.submission.values[std::string(block_id)];
      for (const auto& [action_id, element] : elements.get_object())
        if (element.is_object())
          for (auto& v : state_values(element.get_object()))
            values.push_back(std::move(v));
    }
  }
  return out;
}

json::result<event_envelope> tag_invoke(json::try_value_to_tag<event_envelope>, const json::value& jv) {
  if (!jv.is_object()) return make_error_code(json::error::not_object);
  const auto& p = jv.get_object();
  event_envelope out;
  out.type = str(p, "type");
  if (out.type.empty()) return make_error_code(json::error::not_found);
  out.challenge = str(p, "challenge");
  out.team_id = str(p, "team_id");
  out.enterprise_id = str(p, "enterprise_id");
  const auto& event = obj(p, "event");
  out.event_type = str(event, "type");
  out.user_id = str(event, "user");
  out.tab = str(event, "tab");
  out.bot_tokens_revoked = !arr(obj(event, "tokens"), "bot").empty();
  for (const auto& a : arr(p, "authorizations"))
    if (a.is_object())
      if (auto* e = a.get_object().if_contains("is_enterprise_install"); e && e->is_bool() && e->get_bool())
        out.enterprise_install = true;
  return out;
}

namespace {

// Slack's markup for what a user picked rather than typed: `<@U123|name>`
// (a mention) becomes the neutral mention, `<mailto:a@b.c|a@b.c>` the
// address; other markup (channels, links) stays as it is.
std::string neutral_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto close = text[i] == '<' ? text.find('>', i) : std::string_view::npos;
    if (close == std::string_view::npos) {
      out += text[i++];
      continue;
    }
    auto inner = text.substr(i + 1, close - i - 1);
    if (inner.starts_with("@")) {
      out += handlers::mention_token(inner.substr(1, inner.find('|') - 1));
    } else if (inner.starts_with("mailto:")) {
      const auto bar = inner.find('|');
      out += bar == std::string_view::npos ? inner.substr(7) : inner.substr(bar + 1);
    } else {
      out += text.substr(i, close - i + 1);
    }
    i = close + 1;
  }
  return out;
}

} // namespace

std::string typed_text(std::string_view raw) {
  const auto marked = neutral_markup(raw);
  const std::string_view text = marked;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (auto [entity, ch] : {std::pair{"&amp;", '&'}, std::pair{"&lt;", '<'}, std::pair{"&gt;", '>'}}) {
      if (text.substr(i).starts_with(entity)) {
        out += ch;
        i += std::string_view(entity).size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

parse_result<std::map<std::string, std::string>> parse_form(std::string_view body) {
  // Boost.URL 1.81's parse_query re-measures its input with strlen
  // (boostorg/url#757, #946): a view not ending in a NUL is over-read, or read past
  // its end into whatever follows. Hand it a NUL-terminated copy.
  const std::string text(body);
  auto params = boost::urls::parse_query(text);
  if (!params) return {std::nullopt, "malformed form body"};
  std::map<std::string, std::string> out;
  for (auto p : *params) {
    if (p.key.empty()) continue;
    out[decode(p.key)] = p.has_value ? decode(p.value) : std::string();
  }
  return {std::move(out), {}};
}

parse_result<slash_command> parse_command(std::string_view body) {
  // As parse_form, but each field a command uses is decoded straight into
  // place (a later duplicate wins, as in the map) and the rest are skipped:
  // this runs on every request.
  const std::string form(body); // NUL-terminated: see parse_form
  auto params = boost::urls::parse_query(form);
  if (!params) return {std::nullopt, "malformed form body"};
  slash_command out;
  std::string ssl_check;
  std::string raw_text;
  const std::pair<std::string_view, std::string*> fields[] = {{"ssl_check", &ssl_check},
                                                              {"command", &out.command},
                                                              {"text", &raw_text},
                                                              {"enterprise_id", &out.enterprise_id},
                                                              {"team_id", &out.team_id},
                                                              {"user_id", &out.user_id},
                                                              {"channel_id", &out.channel_id},
                                                              {"response_url", &out.response_url},
                                                              {"trigger_id", &out.trigger_id}};
  for (auto p : *params) {
    const auto key = decode(p.key);
    for (const auto& [name, into] : fields) {
      if (key != name) continue;
      *into = p.has_value ? decode(p.value) : std::string();
      break;
    }
  }
  if (ssl_check == "1") {
    slash_command check;
    check.ssl_check = true;
    return {std::move(check), {}};
  }
  out.text = typed_text(raw_text);
  if (out.team_id.empty() || out.user_id.empty()) return {std::nullopt, "command without team_id or user_id"};
  return {std::move(out), {}};
}

parse_result<interaction> parse_interaction(std::string_view body) {
  auto form = parse_form(body);
  if (!form) return {std::nullopt, form.error};
  auto it = form.value->find("payload");
  if (it == form.value->end()) return {std::nullopt, "interaction without payload"};
  auto payload = parse_object(it->second);
  if (!payload) return {std::nullopt, "payload is not a JSON object"};
  auto converted = json::try_value_to<interaction>(json::value(std::move(*payload)));
  if (!converted) return {std::nullopt, "payload lacks required fields"};
  if (converted->kind != interaction_kind::other &&
      (converted->team_id.empty() || converted->user_id.empty()))
    return {std::nullopt, "payload without team or user"};
  return {std::move(*converted), {}};
}

parse_result<event_envelope> parse_event(std::string_view body) {
  auto parsed = parse_object(body);
  if (!parsed) return {std::nullopt, "event body is not a JSON object"};
  auto converted = json::try_value_to<event_envelope>(json::value(std::move(*parsed)));
  if (!converted) return {std::nullopt, "event without type"};
  return {std::move(*converted), {}};
}

} // namespace bot::slack
