// Entry point: parse the command line, build the app, run it.

#include "bot/chat/config.hpp"
#include "bot/cli/app.hpp"
#include "bot/cli/ask_command.hpp"
#include "bot/cli/db_command.hpp"
#include "bot/cli/demo_firm.hpp"
#include "bot/cli/digest_command.hpp"
#include "bot/cli/log.hpp"
#include "bot/cli/platform_list.hpp"
#include "bot/cli/workspaces_command.hpp"
#include "bot/jobs/pleo_service.hpp"
#include "handlers/digest_schedule.hpp"
#include "pleo/commands.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <spdlog/spdlog.h>
#include <sstream>
#include <unistd.h>

namespace {

constexpr int exit_error = 1;
constexpr int exit_config = 2;

std::optional<bot::config> load_config_or_report() {
  auto result = bot::load_config([](const char* name) -> const char* { return std::getenv(name); });
  for (const auto& line : result.errors)
    fmt::print(stderr, "partnerbot: {}\n", line);
  return result.value;
}

std::string now_iso() {
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

// Imports `json` into the database at `db_path`; prints the outcome.
// `source` names the input in messages.
bool import_into(const std::string& db_path, const std::string& json, const std::string& source) {
  try {
    store::database db(db_path);
    const auto result = bot::import_snapshot(db, json, now_iso());
    if (!result.ok) {
      fmt::print(stderr, "partnerbot: {}: {}\n", source, result.error);
      return false;
    }
    fmt::print("imported partner {}: {} members, {} clients", result.partner_id, result.members,
               result.clients);
    if (result.removed_clients > 0) fmt::print(", {} removed", result.removed_clients);
    fmt::print("\n");
    return true;
  } catch (const std::exception& e) {
    fmt::print(stderr, "partnerbot: {}: {}\n", store::engine::redacted(db_path), e.what());
    return false;
  }
}

int serve(bot::config cfg, std::function<void(const bot::app&)> on_ready = {}) {
  try {
    bot::app app(std::move(cfg));
    if (on_ready) app.on_ready([&app, on_ready] { on_ready(app); });
    return app.run();
  } catch (const std::exception& e) {
    spdlog::error("cannot start: {}", e.what());
    return exit_error;
  }
}

int run_import(const std::string& path) {
  auto cfg = load_config_or_report();
  if (!cfg) return exit_config;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "partnerbot: {}: cannot open the file\n", path);
    return exit_error;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    fmt::print(stderr, "partnerbot: {}: cannot read the file\n", path);
    return exit_error;
  }
  return import_into(cfg->db_path, text.str(), path) ? 0 : exit_error;
}

int run_digest(const std::string& at_text) {
  std::optional<std::chrono::system_clock::time_point> at;
  if (!at_text.empty()) {
    // With "Z" or an offset, that instant; without, Copenhagen wall-clock time.
    at = handlers::parse_iso(at_text);
    if (!at) {
      fmt::print(stderr, "partnerbot: --at \"{}\" is not an ISO 8601 time (e.g. 2026-11-30T10:00:00+01:00)\n",
                 at_text);
      return exit_config;
    }
  }
  auto cfg = load_config_or_report();
  if (!cfg) return exit_config;
  return bot::run_digest_command(*cfg, at);
}

int run_serve() {
  auto cfg = load_config_or_report();
  if (!cfg) return exit_config;
  return serve(std::move(*cfg));
}

int run_demo(const std::string& argv0) {
  auto cfg = load_config_or_report();
  if (!cfg) return exit_config;
  if (!import_into(cfg->db_path, bot::demo_snapshot(), "demo firm")) return exit_error;
  const std::string db_path = store::engine::redacted(cfg->db_path);
  // `ask` reads the same database: name it when it is not the default.
  const std::string program =
      (db_path == bot::config{}.db_path ? "" : "PARTNERBOT_DB=" + db_path + " ") + argv0;
  return serve(std::move(*cfg), [db_path, program](const bot::app& app) {
    const auto ep = app.local_endpoint();
    const auto host =
        ep.address().is_v6() ? fmt::format("[{}]", ep.address().to_string()) : ep.address().to_string();
    fmt::print("\n"
               "  partnerbot demo: the fictional firm Nordlys Revision ApS, in {}\n"
               "  listening on http://{}:{}  (try /healthz and /metrics; Ctrl-C stops)\n"
               "\n"
               "  In another terminal, ask as a member of the firm:\n"
               "    {} ask --as anna@nordlys.example clients\n"
               "    {} ask --as anna@nordlys.example search ærø\n"
               "    {} ask --as carla@nordlys.example missing\n"
               "    {} ask --json --as anna@nordlys.example clients all\n"
               "\n",
               db_path, host, ep.port(), program, program, program, program);
    std::fflush(stdout);
  });
}

// Runs TEXT through the chat grammar as the member with `email` and prints
// the reply as terminal text, the Block Kit Slack would get or the Adaptive
// Card Teams would get. With `digest`, the reply is the firm digest a
// channel would get at the next slot (admins only, as the subscription is).
int run_ask(const std::string& email, bot::ask_output output, bool digest, const std::string& lang,
            const std::vector<std::string>& words) {
  auto cfg = load_config_or_report();
  if (!cfg) return exit_config;
  std::string text;
  for (const auto& w : words)
    text += (text.empty() ? "" : " ") + w;
  return bot::run_ask_command(*cfg, email, text, output, digest, lang);
}

// `credentials add|list|remove` and `sync`: the work is in pleo/commands.hpp.
int run_pleo(const std::function<int(const pleo::command_settings&)>& command) {
  auto cfg = load_config_or_report();
  if (!cfg) return exit_config;
  return command(bot::pleo_command_settings(*cfg));
}

} // namespace

int main(int argc, char** argv) {
  CLI::App cli{"partnerbot: the Pleo partner portal's Clients page in Slack"};
  cli.require_subcommand(1);

  auto* serve_cmd = cli.add_subcommand("serve", "HTTP server, digest scheduler, outbox delivery");
  std::string import_path;
  auto* import_cmd = cli.add_subcommand("import", "load (upsert) a partner snapshot");
  import_cmd->add_option("FILE", import_path, "snapshot JSON file")->required();
  auto* digest_cmd = cli.add_subcommand("digest", "digests");
  digest_cmd->require_subcommand(1);
  std::string digest_at;
  auto* digest_run_cmd =
      digest_cmd->add_subcommand("run", "send the digests due at an instant, deliver, exit");
  digest_run_cmd->add_option("--at", digest_at, "ISO 8601 instant (default now; no offset: Copenhagen time)");
  auto* demo_cmd = cli.add_subcommand("demo", "import the bundled demo firm, then serve");
  std::string ask_email;
  bool ask_json = false;
  bool ask_card = false;
  bool ask_digest = false;
  bool ask_home_tab = false;
  std::vector<std::string> ask_words;
  auto* ask_cmd = cli.add_subcommand("ask", "run TEXT through the chat grammar as a member; print the reply");
  ask_cmd->add_option("--as", ask_email, "the member's e-mail")->required();
  auto* ask_json_flag = ask_cmd->add_flag("--json", ask_json, "print the Block Kit Slack would get");
  auto* ask_card_flag = ask_cmd->add_flag("--card", ask_card, "print the Adaptive Card Teams would get")
                            ->excludes(ask_json_flag);
  ask_cmd
      ->add_flag("--home-tab", ask_home_tab,
                 "print the view views.publish would show on the member's Slack Home tab (TEXT: home)")
      ->excludes(ask_json_flag)
      ->excludes(ask_card_flag);
  ask_cmd->add_flag("--digest", ask_digest,
                    "instead of TEXT: the firm digest a channel would get at the next slot");
  std::string ask_lang;
  ask_cmd->add_option("--lang", ask_lang, "answer in da or en (default: the member's own language)")
      ->check(CLI::IsMember({"da", "en"}));
  ask_cmd->add_option("TEXT", ask_words, "what to ask, e.g. clients, search ærø, help");
  ask_cmd->positionals_at_end();
  auto* credentials_cmd = cli.add_subcommand("credentials", "per-client Pleo credentials (secrets on stdin)");
  credentials_cmd->require_subcommand(1);
  std::string credential_client;
  bool credential_oauth = false;
  auto* credentials_add_cmd = credentials_cmd->add_subcommand(
      "add", "store a client's API key (or --oauth refresh token) read from stdin");
  credentials_add_cmd->add_option("CLIENT_ID", credential_client, "the client's id")->required();
  credentials_add_cmd->add_flag("--oauth", credential_oauth,
                                "stdin holds an OAuth refresh token, not an API key");
  auto* credentials_list_cmd =
      credentials_cmd->add_subcommand("list", "clients with a credential, last sync result");
  auto* credentials_remove_cmd = credentials_cmd->add_subcommand("remove", "forget a client's credential");
  credentials_remove_cmd->add_option("CLIENT_ID", credential_client, "the client's id")->required();
  std::string sync_client;
  auto* sync_cmd = cli.add_subcommand("sync", "pull figures from Pleo's External API once");
  sync_cmd->add_option("--client", sync_client, "only this client");

  auto* workspaces_cmd = cli.add_subcommand("workspaces", "chat workspaces, their firms and installs");
  workspaces_cmd->require_subcommand(1);
  auto* workspaces_list_cmd =
      workspaces_cmd->add_subcommand("list", "every workspace and tenant, its firm, install state");
  std::string bind_firm, bind_platform, bind_workspace;
  auto* workspaces_bind_cmd = workspaces_cmd->add_subcommand("bind", "bind a workspace to a firm");
  workspaces_bind_cmd->add_option("FIRM", bind_firm, "the firm's (partner's) id")->required();
  workspaces_bind_cmd->add_option("PLATFORM", bind_platform, "slack or teams")->required();
  workspaces_bind_cmd->add_option("ID", bind_workspace, "the Slack team id or Teams tenant id")->required();

  auto* db_cmd = cli.add_subcommand("db", "the database itself");
  db_cmd->require_subcommand(1);
  std::string copy_from, copy_to;
  auto* db_copy_cmd = db_cmd->add_subcommand(
      "copy", "copy every row into an empty database of either engine (SQLite file or postgresql:// URI)");
  db_copy_cmd->add_option("FROM", copy_from, "source: a SQLite file or a PostgreSQL URI")->required();
  db_copy_cmd->add_option("TO", copy_to, "target (empty): a SQLite file or a PostgreSQL URI")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help exits 0; a usage error is a configuration error.
    return cli.exit(e) == 0 ? 0 : exit_config;
  }

  bot::setup_logging();
  if (*serve_cmd) return run_serve();
  if (*import_cmd) return run_import(import_path);
  if (*digest_run_cmd) return run_digest(digest_at);
  if (*demo_cmd) return run_demo(argv[0]);
  if (*ask_cmd)
    return run_ask(ask_email,
                   ask_json       ? bot::ask_output::slack_json
                   : ask_card     ? bot::ask_output::teams_card
                   : ask_home_tab ? bot::ask_output::slack_home_tab
                                  : bot::ask_output::text,
                   ask_digest, ask_lang, ask_words);
  if (*credentials_add_cmd)
    return run_pleo([&](const pleo::command_settings& s) {
      return pleo::credentials_add(s, credential_client, credential_oauth, std::cin,
                                   ::isatty(STDIN_FILENO) == 1, std::cout, std::cerr);
    });
  if (*credentials_list_cmd)
    return run_pleo(
        [](const pleo::command_settings& s) { return pleo::credentials_list(s, std::cout, std::cerr); });
  if (*credentials_remove_cmd)
    return run_pleo([&](const pleo::command_settings& s) {
      return pleo::credentials_remove(s, credential_client, std::cout, std::cerr);
    });
  if (*workspaces_list_cmd || *workspaces_bind_cmd) {
    auto cfg = load_config_or_report();
    if (!cfg) return exit_config;
    if (*workspaces_list_cmd) return bot::workspaces_list(*cfg, std::cout, std::cerr);
    return bot::workspaces_bind(*cfg, bind_firm, bind_platform, bind_workspace, std::cout, std::cerr);
  }
  if (*db_copy_cmd) return bot::run_db_copy(copy_from, copy_to, std::cout, std::cerr);
  if (*sync_cmd)
    return run_pleo([&](const pleo::command_settings& s) {
      const auto only = sync_client.empty() ? std::nullopt : std::optional<std::string>(sync_client);
      return pleo::sync_once(s, only, ::isatty(STDOUT_FILENO) == 1, std::cout, std::cerr);
    });
  return exit_error;
}
