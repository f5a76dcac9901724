#include "support/slack_firm.hpp"

#include "bot/chat/config.hpp"
#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <regex>

using namespace std::chrono_literals;

namespace test_support {

namespace json = boost::json;

std::string slack_firm::client_name(int i) const {
  return fmt::format("{} Client {:03}", prefix, i);
}
std::string slack_firm::client_id(int i) const {
  return fmt::format("{}-c{:03}", partner_id, i);
}

int slack_firm::bookkeeper_clients() const {
  int n = 0;
  for (int i = 1; i <= clients; ++i)
    n += bookkeeper_assigned(i);
  return n;
}

std::string slack_firm::snapshot() const {
  json::array members{json::object{{"id", partner_id + "-m1"},
                                   {"name", "Ada Admin"},
                                   {"email", admin_email()},
                                   {"role", "admin"},
                                   {"slack_user_id", admin_user()}},
                      json::object{{"id", partner_id + "-m2"},
                                   {"name", "Bob Bookkeeper"},
                                   {"email", bookkeeper_email()},
                                   {"role", "bookkeeper"},
                                   {"slack_user_id", bookkeeper_user()}},
                      json::object{{"id", partner_id + "-m3"},
                                   {"name", "Carla Unlinked"},
                                   {"email", unlinked_email()},
                                   {"role", "bookkeeper"}}};
  json::array list;
  for (int i = 1; i <= clients; ++i) {
    json::array assigned;
    if (bookkeeper_assigned(i)) assigned.push_back(json::string(partner_id + "-m2"));
    list.push_back(
        json::object{{"id", client_id(i)},
                     {"name", client_name(i)},
                     {"status", "active"},
                     {"wallet_balance", {{"amount", fmt::format("{}.50", 1000 + i)}, {"currency", "DKK"}}},
                     {"missing_receipts", i % 5},
                     {"ready_for_export", i % 3},
                     {"bookkeepers", std::move(assigned)}});
  }
  return json::serialize(json::object{
      {"partner", {{"id", partner_id}, {"name", prefix + " Revision ApS"}, {"slack_team_id", team_id}}},
      {"synced_at", "2026-11-27T09:00:00Z"},
      {"members", std::move(members)},
      {"clients", std::move(list)}});
}

namespace {

void collect_text(const json::value& v, std::string& out) {
  if (v.is_object()) {
    for (const auto& [key, value] : v.get_object()) {
      if (key == "text" && value.is_string())
        out += std::string(value.get_string()) + "\n";
      else
        collect_text(value, out);
    }
  } else if (v.is_array()) {
    for (const auto& e : v.get_array())
      collect_text(e, out);
  }
}

void collect_controls(const json::value& v, std::vector<control>& out) {
  if (v.is_array()) {
    for (const auto& e : v.get_array())
      collect_controls(e, out);
    return;
  }
  if (!v.is_object()) return;
  const auto& o = v.get_object();
  auto type = o.if_contains("type");
  if (type && *type == "button" && o.contains("action_id")) {
    out.push_back({std::string(o.at("action_id").as_string()),
                   std::string(o.at("text").at("text").as_string()),
                   o.contains("value") ? std::string(o.at("value").as_string()) : std::string(), false});
  } else if (type && *type == "overflow") {
    for (const auto& opt : o.at("options").as_array())
      out.push_back({std::string(o.at("action_id").as_string()),
                     std::string(opt.at("text").at("text").as_string()),
                     std::string(opt.at("value").as_string()), true});
  }
  for (const auto& [key, value] : o)
    collect_controls(value, out);
}

} // namespace

std::string all_text(const json::value& v) {
  std::string out;
  collect_text(v, out);
  return out;
}

std::vector<control> controls_of(const json::value& v) {
  std::vector<control> out;
  collect_controls(v, out);
  return out;
}

std::optional<control> find_control(const json::value& v, const std::string& label_part) {
  for (auto& c : controls_of(v))
    if (c.label.find(label_part) != std::string::npos) return c;
  return std::nullopt;
}

std::set<std::string> client_names_in(const std::string& text, const std::string& prefix) {
  std::set<std::string> out;
  std::regex pattern(prefix + " Client [0-9]{3}");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it)
    out.insert(it->str());
  return out;
}

json::value body_json(const http_reply& r) {
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  return ec ? json::value() : v;
}

namespace {

raw_snapshots snapshots_of(const std::vector<const slack_firm*>& firms) {
  raw_snapshots out;
  for (const auto* f : firms)
    out.documents.push_back(f->snapshot());
  return out;
}

} // namespace

slack_app::slack_app(std::vector<const slack_firm*> firms, std::string secret)
    : slack_app(snapshots_of(firms), std::move(secret)) {}

slack_app::slack_app(const raw_snapshots& snapshots, std::string secret)
    : slack_app(snapshots, [secret](bot::config& cfg) { cfg.slack_signing_secret = secret; }) {}

slack_app::slack_app(const raw_snapshots& snapshots, const std::function<void(bot::config&)>& adjust)
    : secret_(signing_secret) {
  {
    store::database d(db_.str());
    for (const auto& s : snapshots.documents) {
      auto r = bot::import_snapshot(d, s, "2026-11-27T09:00:00Z");
      REQUIRE(r.ok);
    }
  }
  bot::config cfg;
  cfg.db_path = db_.str();
  cfg.slack_signing_secret = signing_secret;
  cfg.slack_bot_token = bot_token;
  cfg.slack_api_url = fake.base_url();
  adjust(cfg);
  secret_ = cfg.slack_signing_secret;
  app_.emplace(cfg, true);
}

http_reply slack_app::post(const std::string& path, const std::string& body,
                           const std::string& content_type) {
  return http_request(app_->port(), "POST", path, body,
                      slack_headers(secret_, body, unix_now(), content_type));
}

http_reply slack_app::command(const slack_firm& f, const std::string& user, const std::string& text,
                              const std::string& trigger) {
  return command(f.team_id, user, text, trigger);
}

http_reply slack_app::command(const std::string& team_id, const std::string& user, const std::string& text,
                              const std::string& trigger, const std::string& channel) {
  command_fields c;
  c.team_id = team_id;
  c.user_id = user;
  c.text = text;
  c.channel_id = channel;
  c.response_url = fake.response_url("command");
  c.trigger_id = trigger;
  return post("/slack/commands", command_body(c));
}

http_reply slack_app::press(const slack_firm& f, const std::string& user, const control& c,
                            const std::string& response_id) {
  return press(f.team_id, user, c, response_id);
}

http_reply slack_app::press(const std::string& team_id, const std::string& user, const control& c,
                            const std::string& response_id) {
  auto payload =
      block_action_payload(team_id, user, c.action_id, c.value, fake.response_url(response_id), c.overflow);
  return post("/slack/interactions", interaction_body(payload));
}

json::object slack_app::press_and_read(const slack_firm& f, const std::string& user, const control& c) {
  return press_and_read(f.team_id, user, c);
}

json::object slack_app::press_and_read(const std::string& team_id, const std::string& user,
                                       const control& c) {
  auto before = fake.calls_to("response").size();
  auto r = press(team_id, user, c, "r" + std::to_string(before));
  REQUIRE(r.status == 200);
  REQUIRE(r.body.empty());
  REQUIRE(fake.wait_for("response", before + 1, 5s));
  return fake.calls_to("response").back().body;
}

} // namespace test_support
