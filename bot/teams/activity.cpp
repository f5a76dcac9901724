#include "bot/teams/activity.hpp"

#include "handlers/grammar.hpp"
#include "text/utf8.hpp"

#include <boost/json/parse.hpp>
#include <charconv>
#include <cstdint>
#include <fmt/format.h>

namespace bot::teams {

namespace json = boost::json;

namespace {

// Generous for real activities (Teams caps a message near 28 KB of text),
// small enough that no field makes the bot hold much.
constexpr std::size_t max_id = 1024;
constexpr std::size_t max_url = 2048;
constexpr std::size_t max_text = 64 * 1024;
constexpr std::size_t max_entities = 256;
constexpr std::size_t max_mentions = 10;
constexpr std::size_t max_members = 1000;
constexpr unsigned max_depth = 32;

using parse_error = std::string;

std::optional<json::value> parse_json(std::string_view body) {
  boost::system::error_code ec;
  json::parse_options options;
  options.max_depth = max_depth;
  auto value = json::parse(body, ec, {}, options);
  if (ec) return std::nullopt;
  return value;
}

const json::object* object_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

// A string member, bounded. Absent or null: empty. Another type or too long: an error.
bool read_string(const json::object& o, std::string_view key, std::size_t limit, std::string& out,
                 parse_error& error, std::string_view path) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return true;
  if (!v->is_string()) {
    error = fmt::format("{}{} is not a string", path, key);
    return false;
  }
  if (v->get_string().size() > limit) {
    error = fmt::format("{}{} is longer than {} bytes", path, key, limit);
    return false;
  }
  out = std::string(v->get_string());
  return true;
}

bool read_account(const json::object& o, std::string_view key, account& out, parse_error& error) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return true;
  if (!v->is_object()) {
    error = fmt::format("{} is not an object", key);
    return false;
  }
  const auto path = fmt::format("{}.", key);
  return read_string(v->get_object(), "id", max_id, out.id, error, path) &&
         read_string(v->get_object(), "aadObjectId", max_id, out.aad_object_id, error, path) &&
         read_string(v->get_object(), "name", max_id, out.name, error, path);
}

bool read_members(const json::object& o, std::string_view key, std::vector<account>& out,
                  parse_error& error) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return true;
  if (!v->is_array()) {
    error = fmt::format("{} is not an array", key);
    return false;
  }
  if (v->get_array().size() > max_members) {
    error = fmt::format("{} has more than {} entries", key, max_members);
    return false;
  }
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    const auto& entry = v->get_array()[i];
    if (!entry.is_object()) {
      error = fmt::format("{}[{}] is not an object", key, i);
      return false;
    }
    account a;
    const auto path = fmt::format("{}[{}].", key, i);
    if (!read_string(entry.get_object(), "id", max_id, a.id, error, path) ||
        !read_string(entry.get_object(), "aadObjectId", max_id, a.aad_object_id, error, path) ||
        !read_string(entry.get_object(), "name", max_id, a.name, error, path))
      return false;
    if (!a.id.empty()) out.push_back(std::move(a));
  }
  return true;
}

bool is_space(std::string_view s, std::size_t at, std::size_t& width) {
  const auto c = static_cast<unsigned char>(s[at]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    width = 1;
    return true;
  }
  // U+00A0: Teams puts a no-break space after a mention.
  if (c == 0xC2 && at + 1 < s.size() && static_cast<unsigned char>(s[at + 1]) == 0xA0) {
    width = 2;
    return true;
  }
  return false;
}

std::string trim(std::string_view s) {
  std::size_t width = 0;
  std::size_t begin = 0;
  while (begin < s.size() && is_space(s, begin, width))
    begin += width;
  std::size_t end = s.size();
  while (end > begin) {
    // Step back over one (possibly two-byte) space.
    if (is_space(s, end - 1, width) && width == 1) {
      --end;
    } else if (end >= begin + 2 && is_space(s, end - 2, width) && width == 2) {
      end -= 2;
    } else {
      break;
    }
  }
  return std::string(s.substr(begin, end - begin));
}

// "&#229;", "&#xE5;" -> the code point; nullopt for anything else.
std::optional<std::uint32_t> numeric_entity(std::string_view name) {
  if (name.size() < 2 || name[0] != '#') return std::nullopt;
  const bool hex = name[1] == 'x' || name[1] == 'X';
  const auto digits = name.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 6) return std::nullopt;
  std::uint32_t cp = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return cp;
}

// Teams sends message text HTML-escaped, with &nbsp; after mentions: the
// grammar reads characters. An unknown entity stays as typed.
std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto semi = text[i] == '&' ? text.find(';', i + 1) : std::string_view::npos;
    if (semi == std::string_view::npos || semi - i > 10) {
      out += text[i];
      continue;
    }
    const auto name = text.substr(i + 1, semi - i - 1);
    if (name == "nbsp")
      out += ' ';
    else if (name == "amp")
      out += '&';
    else if (name == "lt")
      out += '<';
    else if (name == "gt")
      out += '>';
    else if (name == "quot")
      out += '"';
    else if (name == "apos")
      out += '\'';
    else if (auto cp = numeric_entity(name))
      text::utf8::append(out, static_cast<char32_t>(*cp));
    else {
      out += text[i];
      continue;
    }
    i = semi;
  }
  return out;
}

// Removes every mention of the bot (`entities` of type "mention" whose
// mentioned.id is the bot's id) from the text.
bool strip_bot_mentions(const json::object& doc, const std::string& bot_id, activity& out,
                        parse_error& error) {
  const auto* entities = doc.if_contains("entities");
  if (!entities || entities->is_null()) return true;
  if (!entities->is_array()) {
    error = "entities is not an array";
    return false;
  }
  if (entities->get_array().size() > max_entities) {
    error = fmt::format("entities has more than {} entries", max_entities);
    return false;
  }
  for (const auto& entity : entities->get_array()) {
    if (!entity.is_object()) continue;
    const auto& e = entity.get_object();
    const auto* type = e.if_contains("type");
    if (!type || !type->is_string() || type->get_string() != "mention") continue;
    const auto* mentioned = object_at(e, "mentioned");
    const auto* id = mentioned ? mentioned->if_contains("id") : nullptr;
    const auto* text = e.if_contains("text");
    if (!id || !id->is_string() || !text || !text->is_string() || text->get_string().empty()) continue;
    const std::string_view markup = text->get_string();
    if (bot_id.empty() || id->get_string() != bot_id) {
      if (out.mentions.size() >= max_mentions || markup.size() > max_id || id->get_string().size() > max_id)
        continue;
      mention m{std::string(id->get_string()), {}};
      if (const auto* aad = mentioned->if_contains("aadObjectId");
          aad && aad->is_string() && aad->get_string().size() <= max_id)
        m.aad_object_id = std::string(aad->get_string());
      // The grammar's neutral mention; a Teams id is swapped for the Entra id (see activity.hpp).
      const auto token = handlers::mention_token(m.aad_object_id.empty() ? m.user_id : m.aad_object_id);
      if (auto at = out.text.find(markup); at != std::string::npos)
        out.text.replace(at, markup.size(), token);
      out.mentions.push_back(std::move(m));
      continue;
    }
    out.mentions_bot = true;
    if (auto at = out.text.find(markup); at != std::string::npos) out.text.replace(at, markup.size(), " ");
  }
  return true;
}

activity_kind kind_of(const activity& a) {
  if (a.type == "message") return activity_kind::message;
  if (a.type == "invoke" && a.name == "adaptiveCard/action") return activity_kind::card_action;
  if (a.type == "conversationUpdate") return activity_kind::conversation_update;
  if (a.type == "installationUpdate") return activity_kind::installation_update;
  return activity_kind::other;
}

} // namespace

std::string without_thread(std::string_view conversation_id) {
  return std::string(conversation_id.substr(0, conversation_id.find(";messageid=")));
}

std::string conversation_ref::without_thread() const {
  return teams::without_thread(id);
}

boost::system::result<activity, std::string> parse_activity(std::string_view body) {
  auto doc_value = parse_json(body);
  if (!doc_value) return std::string("the body is not valid JSON");
  if (!doc_value->is_object()) return std::string("the body is not a JSON object");
  const auto& doc = doc_value->get_object();

  activity out;
  parse_error error;
  // What the token is checked against, for every activity.
  if (!read_string(doc, "type", max_id, out.type, error, "") ||
      !read_string(doc, "name", max_id, out.name, error, "") ||
      !read_string(doc, "serviceUrl", max_url, out.service_url, error, "") ||
      !read_string(doc, "channelId", max_id, out.channel_id, error, ""))
    return error;
  if (out.type.empty()) return std::string("type is missing");
  out.kind = kind_of(out);
  // Activities the bot does not act on are acknowledged whatever else they hold.
  if (out.kind == activity_kind::other) return out;

  if (!read_string(doc, "id", max_id, out.id, error, "") ||
      !read_string(doc, "locale", max_id, out.locale, error, "") ||
      !read_string(doc, "replyToId", max_id, out.reply_to_id, error, "") ||
      !read_string(doc, "action", max_id, out.action, error, "") ||
      !read_string(doc, "text", max_text, out.text, error, "") ||
      !read_account(doc, "from", out.from, error) || !read_account(doc, "recipient", out.recipient, error) ||
      !read_members(doc, "membersAdded", out.members_added, error) ||
      !read_members(doc, "membersRemoved", out.members_removed, error))
    return error;

  if (const auto* conversation = doc.if_contains("conversation"); conversation && conversation->is_object()) {
    const auto& c = conversation->get_object();
    std::string tenant;
    if (!read_string(c, "id", max_id, out.conversation.id, error, "conversation.") ||
        !read_string(c, "conversationType", max_id, out.conversation.type, error, "conversation.") ||
        !read_string(c, "tenantId", max_id, tenant, error, "conversation."))
      return error;
    if (const auto* group = c.if_contains("isGroup"); group && group->is_bool())
      out.conversation.is_group = group->get_bool();
    out.tenant_id = tenant;
  }
  if (out.conversation.type.empty())
    out.conversation.type = out.conversation.is_group ? "groupChat" : "personal";
  if (const auto* channel_data = object_at(doc, "channelData")) {
    if (const auto* tenant = object_at(*channel_data, "tenant")) {
      std::string id;
      if (!read_string(*tenant, "id", max_id, id, error, "channelData.tenant.")) return error;
      if (!id.empty()) out.tenant_id = id;
    }
    if (const auto* team = object_at(*channel_data, "team"))
      if (!read_string(*team, "id", max_id, out.team_id, error, "channelData.team.")) return error;
  }

  if (out.service_url.empty()) return std::string("serviceUrl is missing");
  if (out.conversation.id.empty()) return std::string("conversation.id is missing");
  if (out.recipient.id.empty()) return std::string("recipient.id is missing");
  if (out.from.id.empty() && out.kind != activity_kind::conversation_update)
    return std::string("from.id is missing");

  if (!strip_bot_mentions(doc, out.recipient.id, out, error)) return error;
  out.text = trim(decode_entities(out.text));

  if (out.kind == activity_kind::message) {
    if (const auto* value = doc.if_contains("value"); value && !value->is_null()) {
      if (!value->is_object()) return std::string("value is not an object");
      out.value = *value;
    }
  } else if (out.kind == activity_kind::card_action) {
    const auto* value = object_at(doc, "value");
    const auto* action = value ? object_at(*value, "action") : nullptr;
    if (!action) return std::string("value.action is missing");
    std::string type;
    if (!read_string(*action, "type", max_id, type, error, "value.action.") ||
        !read_string(*action, "verb", max_id, out.verb, error, "value.action."))
      return error;
    if (type != "Action.Execute") return std::string("value.action.type is not Action.Execute");
    if (const auto* data = action->if_contains("data"); data && !data->is_null()) {
      if (!data->is_object()) return std::string("value.action.data is not an object");
      out.value = *data;
    }
  }
  return out;
}

} // namespace bot::teams
