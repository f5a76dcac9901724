// Install from Slack end to end: the browser's way through /slack/install
// and /slack/oauth_redirect against the fake Slack, the workspace's own
// token on every later call, uninstall and token rotation.

#include "bot/chat/config.hpp"
#include "bot/cli/workspaces_command.hpp"
#include "pleo/secret_box.hpp"
#include "store/database.hpp"
#include "store/directory.hpp"
#include "store/installations.hpp"
#include "store/outbox.hpp"
#include "support/conditions.hpp"
#include "support/firm_files.hpp"
#include "support/slack_firm.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <catch2/catch.hpp>
#include <future>
#include <sstream>
#include <thread>

using namespace std::chrono_literals;
namespace json = boost::json;
using namespace test_support;

namespace {

const slack_firm install_nordic{"p-1", "T0001", "Nordic", 12};
const slack_firm install_faraway{"p-2", "T0002", "Faraway", 5};

// A firm on no Slack workspace yet: an admin and a bookkeeper.
const std::string lonely_snapshot = test_support::firm_file("lonely_firm");

const std::string install_key_b64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

void with_install(bot::config& cfg) {
  cfg.slack_client_id = fake_client_id;
  cfg.slack_client_secret = fake_client_secret;
  cfg.public_url = "http://127.0.0.1:3000";
  cfg.secret_key = install_key_b64;
}

raw_snapshots install_snapshots() {
  return raw_snapshots{{install_nordic.snapshot(), install_faraway.snapshot(), lonely_snapshot}};
}

struct started_install {
  std::string state;
  std::string cookie; // "name=value", as a browser sends it back
  boost::urls::url location;
};

started_install start_install(const slack_app& app) {
  auto r = http_request(app.port(), "GET", "/slack/install");
  REQUIRE(r.status == 302);
  started_install s;
  s.location = boost::urls::url(r.header("Location"));
  for (const auto& p : s.location.params())
    if (p.key == "state") s.state = p.value;
  const auto set_cookie = r.header("Set-Cookie");
  s.cookie = set_cookie.substr(0, set_cookie.find(';'));
  REQUIRE(!s.state.empty());
  return s;
}

http_reply finish_install(const slack_app& app, const std::string& query, const std::string& cookie) {
  header_list headers;
  if (!cookie.empty()) headers.emplace_back("Cookie", cookie);
  return http_request(app.port(), "GET", "/slack/oauth_redirect?" + query, {}, headers);
}

http_reply install(slack_app& app, const fake_install& how) {
  app.fake.add_install(how);
  auto s = start_install(app);
  return finish_install(app, "code=" + how.code + "&state=" + s.state, s.cookie);
}

std::optional<store::installation> stored_installation(const slack_app& app, const std::string& team) {
  store::database db(app.db_path());
  return store::installations(db).find("slack", "", team);
}

std::string signed_event(const std::string& team_id, const std::string& event_type) {
  json::object event{{"type", event_type}};
  if (event_type == "tokens_revoked")
    event["tokens"] = {{"oauth", json::array{}}, {"bot", json::array{"UBOT"}}};
  return json::serialize(json::object{{"type", "event_callback"},
                                      {"team_id", team_id},
                                      {"api_app_id", "A0PARTNER"},
                                      {"event", std::move(event)},
                                      {"event_id", "Ev1"},
                                      {"event_time", 1700000000}});
}

std::size_t calls_with_token(const fake_slack& fake, const std::string& token) {
  std::size_t n = 0;
  for (const auto& c : fake.calls())
    n += c.authorization == "Bearer " + token;
  return n;
}

} // namespace

TEST_CASE("an install from Slack answers the new workspace's commands with its own token") {
  slack_app app(install_snapshots(), with_install);
  auto s = start_install(app);
  CHECK(s.location.host() == "slack.com");
  CHECK(s.location.path() == "/oauth/v2/authorize");
  std::map<std::string, std::string> params;
  for (const auto& p : s.location.params())
    params[p.key] = p.value;
  CHECK(params["client_id"] == fake_client_id);
  CHECK(params["scope"] == "commands,chat:write,im:write,users:read,users:read.email");
  CHECK(params["redirect_uri"] == "http://127.0.0.1:3000/slack/oauth_redirect");
  CHECK(s.cookie == "slack-app-oauth-state=" + s.state);

  app.fake.add_install({.code = "code-nordic",
                        .team_id = "T0001",
                        .team_name = "Nordic Slack",
                        .installer = install_nordic.admin_user(),
                        .bot_token = "xoxb-nordic-own"});
  auto done = finish_install(app, "code=code-nordic&state=" + s.state, s.cookie);
  CHECK(done.status == 200);
  CHECK(done.content_type.starts_with("text/html"));
  CHECK(done.body.find("Nordic Slack") != std::string::npos);
  CHECK(done.body.find("Nordic Revision ApS") != std::string::npos);
  CHECK(done.body.find("slack://app?team=T0001&amp;id=A0PARTNER") != std::string::npos);
  // The exchange carried the client's credentials and the same redirect URI.
  auto exchange = app.fake.calls_to("oauth.v2.access");
  REQUIRE(exchange.size() == 1);
  CHECK(exchange[0].authorization.empty());
  CHECK(exchange[0].body.at("redirect_uri").as_string() == "http://127.0.0.1:3000/slack/oauth_redirect");

  auto stored = stored_installation(app, "T0001");
  REQUIRE(stored);
  CHECK(stored->installed());
  CHECK(stored->bot_user_id == "UBOTT0001");
  CHECK(stored->installer == install_nordic.admin_user());
  CHECK(stored->token.ciphertext.find("xoxb-nordic-own") == std::string::npos); // sealed at rest

  // A member of the installed workspace: users.info with its token.
  app.fake.add_user("UC1", install_nordic.unlinked_email());
  auto answer = app.command(install_nordic, "UC1", "clients");
  CHECK(answer.status == 200);
  auto infos = app.fake.calls_to("users.info");
  REQUIRE(!infos.empty());
  CHECK(infos.back().authorization == "Bearer xoxb-nordic-own");

  // A workspace without an installation keeps the single-workspace token.
  app.fake.add_user("UC2", install_faraway.unlinked_email());
  app.command(install_faraway, "UC2", "clients");
  infos = app.fake.calls_to("users.info");
  CHECK(infos.back().authorization == std::string("Bearer ") + bot_token);
}

TEST_CASE("a missing, unknown, foreign, reused or expired install state is refused and nothing is stored") {
  slack_app app(install_snapshots(), with_install);
  app.fake.add_install(
      {.code = "code-1", .team_id = "T0001", .team_name = "Nordic Slack", .bot_token = "xoxb-1"});

  SECTION("no state") {
    auto r = finish_install(app, "code=code-1", "");
    CHECK(r.status == 400);
    CHECK(r.body.find("incomplete") != std::string::npos);
  }
  SECTION("a state this server never made") {
    auto r = finish_install(app, "code=code-1&state=made-up", "slack-app-oauth-state=made-up");
    CHECK(r.status == 400);
    CHECK(r.body.find("expired or was already used") != std::string::npos);
  }
  SECTION("a state brought back by another browser (no cookie, or another one)") {
    auto s = start_install(app);
    CHECK(finish_install(app, "code=code-1&state=" + s.state, "").status == 400);
    auto other = finish_install(app, "code=code-1&state=" + s.state, "slack-app-oauth-state=someone-else");
    CHECK(other.status == 400);
    CHECK(other.body.find("another browser") != std::string::npos);
  }
  SECTION("a state used twice") {
    auto s = start_install(app);
    CHECK(finish_install(app, "code=code-1&state=" + s.state, s.cookie).status == 200);
    {
      store::database db(app.db_path());
      store::installations(db).uninstall({"slack", "", "T0001"}, "2026-12-01T00:00:00Z", "uninstalled");
    }
    app.fake.add_install({.code = "code-2", .team_id = "T0001", .bot_token = "xoxb-2"});
    auto again = finish_install(app, "code=code-2&state=" + s.state, s.cookie);
    CHECK(again.status == 400);
    CHECK(app.fake.calls_to("oauth.v2.access").size() == 1);
    CHECK_FALSE(stored_installation(app, "T0001")->installed());
    return;
  }
  SECTION("a state older than ten minutes") {
    {
      store::database db(app.db_path());
      const auto past = std::chrono::duration_cast<std::chrono::milliseconds>(
                            (std::chrono::system_clock::now() - 1s).time_since_epoch())
                            .count();
      store::installations(db).add_state("stale-state", past);
    }
    auto r = finish_install(app, "code=code-1&state=stale-state", "slack-app-oauth-state=stale-state");
    CHECK(r.status == 400);
  }
  SECTION("the installer cancels in Slack") {
    auto s = start_install(app);
    auto r = finish_install(app, "error=access_denied&state=" + s.state, s.cookie);
    CHECK(r.status == 403);
    CHECK(r.body.find("cancelled") != std::string::npos);
  }
  SECTION("Slack refuses the code") {
    auto s = start_install(app);
    auto r = finish_install(app, "code=not-a-code&state=" + s.state, s.cookie);
    CHECK(r.status == 400);
    CHECK(r.body.find("invalid_code") != std::string::npos);
  }
  CHECK_FALSE(stored_installation(app, "T0001"));
}

TEST_CASE(
    "an install binds a new workspace to the one firm its installer is an admin of, never by a bookkeeper") {
  slack_app app(install_snapshots(), with_install);
  app.fake.add_user("UIDA", "ida@p-9.example");
  auto bound = install(app, {.code = "c-ida",
                             .team_id = "T0900",
                             .team_name = "Lonely Slack",
                             .installer = "UIDA",
                             .bot_token = "xoxb-lonely"});
  CHECK(bound.status == 200);
  CHECK(bound.body.find("Lonely Revision ApS") != std::string::npos);
  {
    store::database db(app.db_path());
    auto firm = store::directory(db).partner_by_workspace("slack", "T0900");
    REQUIRE(firm);
    CHECK(firm->id == "p-9");
  }
  // The installer's e-mail was read with the new workspace's token.
  auto infos = app.fake.calls_to("users.info");
  REQUIRE(!infos.empty());
  CHECK(infos.front().authorization == "Bearer xoxb-lonely");
  // The admin's first command from the new workspace links and answers.
  auto answer = app.command("T0900", "UIDA", "clients");
  CHECK(answer.status == 200);
  CHECK(answer.body.find("Lonely Client 001") != std::string::npos);

  // A bookkeeper's install of another workspace stays unbound.
  app.fake.add_user("UKIM", "kim@p-9.example");
  auto unbound = install(app, {.code = "c-kim",
                               .team_id = "T0901",
                               .team_name = "Kim's Slack",
                               .installer = "UKIM",
                               .bot_token = "xoxb-kim"});
  CHECK(unbound.status == 200);
  CHECK(unbound.body.find("partnerbot workspaces bind FIRM slack T0901") != std::string::npos);
  {
    store::database db(app.db_path());
    CHECK_FALSE(store::directory(db).partner_by_workspace("slack", "T0901"));
    CHECK(stored_installation(app, "T0901")->installed());
  }

  // The operator lists and binds by hand.
  bot::config cfg;
  cfg.db_path = app.db_path();
  std::ostringstream out, err;
  CHECK(bot::workspaces_list(cfg, out, err) == 0);
  std::map<std::string, std::string> lines; // workspace id -> its line
  std::istringstream listed(out.str());
  for (std::string line; std::getline(listed, line);)
    for (const char* id : {"T0001", "T0002", "T0900", "T0901"})
      if (line.find(id) != std::string::npos) lines[id] = line;
  CHECK(lines["T0900"].find("p-9") != std::string::npos);
  CHECK(lines["T0900"].find(" installed") != std::string::npos);
  CHECK(lines["T0901"].find(" - ") != std::string::npos);
  CHECK(lines["T0002"].find("not installed") != std::string::npos);
  std::ostringstream out2;
  CHECK(bot::workspaces_bind(cfg, "p-1", "slack", "T0901", out2, err) == 0);
  CHECK(bot::workspaces_bind(cfg, "p-1", "matrix", "T0901", out2, err) == 2);
  CHECK(bot::workspaces_bind(cfg, "p-2", "slack", "T0901", out2, err) == 1); // p-1's now
  store::database db(app.db_path());
  CHECK(store::directory(db).partner_by_workspace("slack", "T0901")->id == "p-1");
}

TEST_CASE("after app_uninstalled no call uses the workspace's token, its pending messages end, and a "
          "reinstall resumes") {
  slack_app app(install_snapshots(), with_install);
  REQUIRE(
      install(app, {.code = "c-1", .team_id = "T0001", .team_name = "Nordic Slack", .bot_token = "xoxb-gone"})
          .status == 200);
  {
    // A digest waiting for its slot.
    store::database db(app.db_path());
    const auto later = std::chrono::duration_cast<std::chrono::milliseconds>(
                           (std::chrono::system_clock::now() + 1h).time_since_epoch())
                           .count();
    store::outbound_message m{
        "later-1",          "slack", "T0001", "user", install_nordic.admin_user(), "p-1-m1",
        R"({"blocks":[]})", "digest"};
    REQUIRE(store::outbox(db).enqueue(m, later));
    store::outbound_message elsewhere{
        "later-2",          "slack", "T0002", "user", install_faraway.admin_user(), "p-2-m1",
        R"({"blocks":[]})", "digest"};
    REQUIRE(store::outbox(db).enqueue(elsewhere, later));
  }
  auto body = signed_event("T0001", "app_uninstalled");
  auto r = app.post("/slack/events", body, "application/json");
  CHECK(r.status == 200);
  CHECK_FALSE(stored_installation(app, "T0001")->installed());
  {
    store::database db(app.db_path());
    auto ended = store::outbox(db).by_key("later-1");
    REQUIRE(ended);
    CHECK(ended->status == "failed");
    CHECK(ended->last_error == "uninstalled");
    CHECK(store::outbox(db).by_key("later-2")->status == "pending");    // another workspace's
    CHECK(store::directory(db).partner_by_workspace("slack", "T0001")); // the firm's data stays
  }
  const auto before = calls_with_token(app.fake, "xoxb-gone");
  app.fake.add_user("UC9", install_nordic.unlinked_email());
  app.command(install_nordic, "UC9", "clients");
  CHECK(calls_with_token(app.fake, "xoxb-gone") == before);
  CHECK(app.fake.calls_to("users.info").empty());

  // Installed again: the same firm, the new token.
  REQUIRE(
      install(app, {.code = "c-2", .team_id = "T0001", .team_name = "Nordic Slack", .bot_token = "xoxb-back"})
          .status == 200);
  app.command(install_nordic, "UC9", "clients");
  auto infos = app.fake.calls_to("users.info");
  REQUIRE(!infos.empty());
  CHECK(infos.back().authorization == "Bearer xoxb-back");
}

TEST_CASE("tokens_revoked for the bot forgets the workspace's token") {
  slack_app app(install_snapshots(), with_install);
  REQUIRE(install(app, {.code = "c-1", .team_id = "T0001", .bot_token = "xoxb-revoked"}).status == 200);
  CHECK(app.post("/slack/events", signed_event("T0001", "tokens_revoked"), "application/json").status == 200);
  CHECK_FALSE(stored_installation(app, "T0001")->installed());
}

TEST_CASE(
    "a rotating token is refreshed before it expires and once for many requests when Slack refuses it") {
  slack_app app(install_snapshots(), with_install);

  SECTION("about to expire: refreshed before the call") {
    REQUIRE(install(app, {.code = "c-1",
                          .team_id = "T0001",
                          .bot_token = "xoxe.xoxb-soon",
                          .refresh_token = "xoxe-1-refresh",
                          .expires_in = 60})
                .status == 200);
    app.fake.add_user("UC1", install_nordic.unlinked_email());
    app.command(install_nordic, "UC1", "clients");
    CHECK(app.fake.rotated_tokens() == std::vector<std::string>{"xoxe.xoxb-soon-r1"});
    auto infos = app.fake.calls_to("users.info");
    REQUIRE(infos.size() == 1);
    CHECK(infos[0].authorization == "Bearer xoxe.xoxb-soon-r1");
    CHECK(calls_with_token(app.fake, "xoxe.xoxb-soon") == 0);
  }
  SECTION("refused as expired under concurrent requests: one refresh, every retry with the new token") {
    REQUIRE(install(app, {.code = "c-1",
                          .team_id = "T0001",
                          .bot_token = "xoxe.xoxb-old",
                          .refresh_token = "xoxe-1-refresh",
                          .expires_in = 43200})
                .status == 200);
    app.fake.refuse_token("xoxe.xoxb-old", "token_expired");
    constexpr int n = 6;
    std::vector<std::future<http_reply>> answers;
    for (int i = 0; i < n; ++i) {
      const auto user = "UP" + std::to_string(i);
      app.fake.add_user(user, "nobody" + std::to_string(i) + "@elsewhere.example");
      answers.push_back(std::async(std::launch::async,
                                   [&app, user] { return app.command(install_nordic, user, "clients"); }));
    }
    for (auto& a : answers)
      CHECK(a.get().status == 200);
    CHECK(app.fake.rotated_tokens() == std::vector<std::string>{"xoxe.xoxb-old-r1"});
    std::size_t refreshes = 0;
    for (const auto& c : app.fake.calls_to("oauth.v2.access"))
      refreshes += c.body.contains("grant_type");
    CHECK(refreshes == 1);
    std::size_t with_new = 0;
    for (const auto& c : app.fake.calls_to("users.info"))
      with_new += c.authorization == "Bearer xoxe.xoxb-old-r1";
    CHECK(with_new == n);
    // The pair is stored: a restart would use it.
    auto stored = stored_installation(app, "T0001");
    REQUIRE(stored);
    CHECK(stored->version == 2);
    auto key = pleo::secret_key::from_base64(install_key_b64);
    CHECK(pleo::open(*key, stored->token, "installation:slack::T0001:bot") == "xoxe.xoxb-old-r1");
  }
}

TEST_CASE("Install from Slack needs its client, a public address and the secret key") {
  std::map<std::string, std::string> env{{"SLACK_CLIENT_ID", "1111.2222"}};
  auto getenv_of = [](const std::map<std::string, std::string>& e) {
    static std::map<std::string, std::string> current;
    current = e;
    return +[](const char* name) -> const char* {
      auto it = current.find(name);
      return it == current.end() ? nullptr : it->second.c_str();
    };
  };
  auto joined = [](const bot::config_result& r) {
    std::string out;
    for (const auto& e : r.errors)
      out += e + "\n";
    return out;
  };
  auto r = bot::load_config(getenv_of(env));
  CHECK_FALSE(r.value);
  CHECK(joined(r).find("SLACK_CLIENT_SECRET") != std::string::npos);

  env["SLACK_CLIENT_SECRET"] = "s3cret";
  r = bot::load_config(getenv_of(env));
  CHECK(joined(r).find("PARTNERBOT_PUBLIC_URL is not set") != std::string::npos);
  CHECK(joined(r).find("PARTNERBOT_SECRET_KEY is not set") != std::string::npos);
  CHECK(joined(r).find("s3cret") == std::string::npos);

  env["PARTNERBOT_SECRET_KEY"] = install_key_b64;
  env["PARTNERBOT_PUBLIC_URL"] = "http://partnerbot.example.com";
  r = bot::load_config(getenv_of(env));
  CHECK(joined(r).find("unencrypted") != std::string::npos);

  env["PARTNERBOT_PUBLIC_URL"] = "https://partnerbot.example.com/";
  env["SLACK_SCOPES"] = "commands, chat:write";
  r = bot::load_config(getenv_of(env));
  REQUIRE(r.value);
  CHECK(r.value->public_url == "https://partnerbot.example.com");
  CHECK(r.value->slack_scopes == "commands,chat:write");
  CHECK(r.value->slack_install_enabled());

  env["SLACK_SCOPES"] = "commands;drop";
  CHECK(joined(bot::load_config(getenv_of(env))).find("SLACK_SCOPES") != std::string::npos);
}

namespace {

std::string organisation_event(const std::string& enterprise_id, const std::string& team_id,
                               const std::string& event_type) {
  json::object event{{"type", event_type}};
  if (event_type == "tokens_revoked")
    event["tokens"] = {{"oauth", json::array{}}, {"bot", json::array{"UBOT"}}};
  return json::serialize(json::object{{"type", "event_callback"},
                                      {"enterprise_id", enterprise_id},
                                      {"team_id", team_id},
                                      {"api_app_id", "A0PARTNER"},
                                      {"event", std::move(event)},
                                      {"authorizations", json::array{{{"enterprise_id", enterprise_id},
                                                                      {"team_id", nullptr},
                                                                      {"is_enterprise_install", true}}}},
                                      {"event_id", "EvOrg"},
                                      {"event_time", 1700000000}});
}

http_reply organisation_command(slack_app& app, const std::string& enterprise_id, const std::string& team_id,
                                const std::string& user) {
  return app.post("/slack/commands", form_body({{"team_id", team_id},
                                                {"enterprise_id", enterprise_id},
                                                {"channel_id", "C0001"},
                                                {"user_id", user},
                                                {"command", "/pleo"},
                                                {"text", "clients"},
                                                {"api_app_id", "A0PARTNER"},
                                                {"response_url", app.fake.response_url("org-command")},
                                                {"trigger_id", "trigger-org"}}));
}

void enqueue_later(const slack_app& app, const std::string& key, const std::string& team_id) {
  store::database db(app.db_path());
  const auto later = std::chrono::duration_cast<std::chrono::milliseconds>(
                         (std::chrono::system_clock::now() + 1h).time_since_epoch())
                         .count();
  store::outbound_message m{key,     "slack", team_id, "user", "U-someone", "p-1-m1", R"({"blocks":[]})",
                            "digest"};
  REQUIRE(store::outbox(db).enqueue(m, later));
}

} // namespace

TEST_CASE("an organisation-wide install serves its workspaces by enterprise and team, and its uninstall ends "
          "its own rows only") {
  slack_app app(install_snapshots(), with_install);
  REQUIRE(install(app, {.code = "c-org",
                        .enterprise_id = "E0001",
                        .enterprise_install = true,
                        .installer = "UORG",
                        .bot_token = "xoxb-org"})
              .status == 200);
  {
    store::database db(app.db_path());
    auto org = store::installations(db).find("slack", "E0001", "");
    REQUIRE(org);
    CHECK(org->key.enterprise_id == "E0001");
    CHECK(org->key.workspace_id.empty()); // keyed by the organisation
    CHECK(org->installed());
  }
  // A workspace of another organisation installs on its own.
  REQUIRE(install(app, {.code = "c-own",
                        .team_id = "T0002",
                        .team_name = "Faraway Slack",
                        .enterprise_id = "E0002",
                        .bot_token = "xoxb-faraway-own"})
              .status == 200);

  // Requests name both: a workspace of the organisation is answered with the organisation's token,
  // one of another organisation with its own, one outside any organisation with SLACK_BOT_TOKEN.
  app.fake.add_user("UO1", install_nordic.unlinked_email());
  REQUIRE(organisation_command(app, "E0001", "T0001", "UO1").status == 200);
  CHECK(app.fake.calls_to("users.info").back().authorization == "Bearer xoxb-org");
  app.fake.add_user("UO2", install_faraway.unlinked_email());
  REQUIRE(organisation_command(app, "E0002", "T0002", "UO2").status == 200);
  CHECK(app.fake.calls_to("users.info").back().authorization == "Bearer xoxb-faraway-own");
  app.fake.add_user("UO3", "nobody@elsewhere.example");
  REQUIRE(app.command("T0003", "UO3", "clients").status == 200);
  // T0003 is no firm's workspace: nothing is asked of Slack for it.
  CHECK(calls_with_token(app.fake, bot_token) == 0);

  // The organisation of T0001 is remembered: an outbox row, which names only the team, finds its install.
  REQUIRE(eventually([&] {
    store::database db(app.db_path());
    auto found = store::installations(db).find("slack", "", "T0001");
    return found && found->key.enterprise_id == "E0001";
  }));
  enqueue_later(app, "later-org", "T0001");
  enqueue_later(app, "later-own", "T0002");
  enqueue_later(app, "later-none", "T0003");

  const auto before = calls_with_token(app.fake, "xoxb-org");
  REQUIRE(
      app.post("/slack/events", organisation_event("E0001", "T0001", "app_uninstalled"), "application/json")
          .status == 200);
  {
    store::database db(app.db_path());
    store::installations rows(db);
    CHECK_FALSE(rows.find("slack", "E0001", "")->installed());
    CHECK(rows.find("slack", "E0002", "T0002")
              ->installed()); // the other organisation's workspace keeps its own
    store::outbox box(db);
    CHECK(box.by_key("later-org")->status == "failed");
    CHECK(box.by_key("later-org")->last_error == "uninstalled");
    CHECK(box.by_key("later-own")->status == "pending");
    CHECK(box.by_key("later-none")->status == "pending");
    CHECK(store::directory(db).partner_by_workspace("slack", "T0001")); // the firm's data stays
  }
  // Nothing more with the organisation's token, for any of its workspaces.
  app.fake.add_user("UO4", install_nordic.unlinked_email());
  REQUIRE(organisation_command(app, "E0001", "T0001", "UO4").status == 200);
  REQUIRE(app.command("T0001", "UO4", "clients").status == 200);
  CHECK(calls_with_token(app.fake, "xoxb-org") == before);
}
