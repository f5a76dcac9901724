// A hosted partnerbot: many firms in one process, each its own Slack
// workspace with its own installation (token sealed under a generated
// PARTNERBOT_SECRET_KEY given to the server), every member linked to a Slack
// user up front. The database is built in-process through the store (one
// import and one transaction per firm); its time is printed, not measured
// against anything. Then, `--runs` times in one sitting:
//
//  1. start-up of `partnerbot serve` on it: spawn to /healthz 200, and spawn
//     to the answer of the first /pleo command (sent right after /healthz);
//  2. every answer kind cold: the first request of each kind to firms asked
//     nothing yet in that process (`--cold-firms` per kind, one connection,
//     sequential); median, p99 and max per kind;
//  3. the mixed request set (bench/support/request_mix) drawn across all
//     firms, each request signed with its own workspace's team id, in a
//     closed loop, against the same on a database holding one firm of the
//     same size; requests/s of both and their ratio, p50/p99, the server's
//     and the load generator's own CPU, and the server's VmHWM after the load;
//  4. the Monday 10:00 slot, in-process as bench/digest_pass does: every
//     member has a weekly DM digest of a few of their clients and every firm
//     one weekly channel digest; the time to compute, render and enqueue it;
//  5. the outbox drained in-process by bot::outbox_worker, each workspace's
//     calls made with its own installation token, against the fake Slack on
//     loopback, which refuses a second chat.postMessage into a channel within
//     a second (429 + Retry-After). Before the slot one workspace (the
//     backlog) has `--backlog` posts queued for its channel. Printed: drain
//     time, sent, lost, refused; per workspace when its last message arrived
//     (not the backlog's); and drain ÷ bound, where bound = max(the same
//     drain with no limit, (most messages into one channel − 1) × 1 s).
//
//   hosted [--firms 1000] [--clients 100] [--members 20] [--admins 2]
//          [--runs 3] [--connections 32] [--seconds 10] [--distinct 2000]
//          [--cold-firms 50] [--backlog 30] [--concurrency 4]
//          [--server build/partnerbot]

#include "bench/support/child.hpp"
#include "bench/support/command_line.hpp"
#include "bench/support/http.hpp"
#include "bench/support/request_mix.hpp"
#include "bench/support/slack.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/cli/platform_list.hpp"
#include "bot/jobs/outbox_worker.hpp"
#include "bot/net/http_client.hpp"
#include "bot/slack/delivery.hpp"
#include "bot/slack/oauth.hpp"
#include "bot/slack/web_api.hpp"
#include "handlers/digests.hpp"
#include "handlers/view_json.hpp"
#include "pleo/secret_box.hpp"
#include "store/database.hpp"
#include "store/installations.hpp"
#include "store/outbox.hpp"
#include "store/subscriptions.hpp"
#include "support/fake_slack.hpp"
#include "text/base64.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <openssl/rand.h>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace bench {
namespace {

struct hosted_options {
  int firms = 1000;
  int clients = 100;
  int members = 20;
  int admins = 2;
  int runs = 3;
  int connections = 32;
  int seconds = 10;
  int distinct = 2000;
  int cold_firms = 50;
  int backlog = 30;
  int concurrency = 4;
  std::string server;
};

constexpr std::string_view signing_secret = "hosted-signing-secret";
constexpr std::string_view subscribed_at = "2026-11-01T00:00:00Z";
constexpr auto post_interval = std::chrono::milliseconds(1000); // Slack: one post a second per channel

// One firm: its workspace, members and clients' names.
struct hosted_firm {
  std::string partner_id;
  std::string token; // its installation's bot token
  slack_workspace workspace;
  std::vector<linked_member> users;
  std::vector<std::string> names;
  int subscribers = 0; // members with a weekly digest
};

// The machine's load average over the last minute, as /proc says it: other
// work on the machine shows in the figures.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string first;
  in >> first;
  return first.empty() ? "?" : first;
}

double ms_since(clock_type::time_point t) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - t).count();
}

// The firm with number `f`: workspace TH0001, channel CH0001, users UH0001M001...
hosted_firm firm_named(int f) {
  hosted_firm firm;
  firm.partner_id = fmt::format("p-h{:04}", f);
  const auto team = fmt::format("TH{:04}", f);
  firm.token = fmt::format("xoxb-{}-hosted", team);
  firm.workspace = {fmt::format("h{:04}", f), team, fmt::format("CH{:04}", f), "AHOSTED",
                    std::string(signing_secret)};
  return firm;
}

// A firm of the generated kind, imported, installed, its digests subscribed,
// in one transaction. An import inside a transaction does not refresh the
// planner's statistics (ANALYZE, a pass over the whole database): only the
// `last` firm's import runs on its own, so that it does that once at the end.
// `import_s` adds the time the snapshot import took.
hosted_firm add_firm(store::database& db, int f, const hosted_options& opt, const pleo::secret_key& key,
                     bool last, double& import_s) {
  auto firm = firm_named(f);
  bot::firm_spec spec;
  spec.partner_id = firm.partner_id;
  spec.partner_name = fmt::format("Firma {:04} Revision ApS", f);
  spec.slack_team_id = firm.workspace.team_id;
  spec.clients = opt.clients;
  spec.admins = opt.admins;
  spec.bookkeepers = opt.members - opt.admins;
  spec.seed = static_cast<unsigned>(f + 1);
  auto doc = linked_firm(spec, fmt::format("UH{:04}M{{:03}}", f), &firm.users);
  // Every bookkeeper is assigned at least one active client (the generator
  // leaves a few with none), so that every member has a digest to get.
  auto& clients = doc["clients"].as_array();
  std::set<std::string> with_clients;
  std::vector<json::object*> active_clients;
  for (auto& c : clients) {
    auto& client = c.as_object();
    if (client.at("status").as_string() == "active") active_clients.push_back(&client);
    if (const auto* bk = client.if_contains("bookkeepers"))
      for (const auto& m : bk->as_array())
        with_clients.insert(json::value_to<std::string>(m));
  }
  std::size_t spare = 0;
  for (const auto& u : firm.users)
    if (!u.admin && !with_clients.contains(u.id) && !active_clients.empty()) {
      auto& client = *active_clients[(spare++ * 7) % active_clients.size()];
      if (!client.contains("bookkeepers")) client["bookkeepers"] = json::array();
      client["bookkeepers"].as_array().emplace_back(u.id);
    }
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> assigned; // member: clients
  std::vector<std::pair<std::string, std::string>> active;
  for (const auto& c : clients) {
    const auto& client = c.as_object();
    const auto id = json::value_to<std::string>(client.at("id"));
    const auto name = json::value_to<std::string>(client.at("name"));
    firm.names.push_back(name);
    if (client.at("status").as_string() == "active") active.emplace_back(id, name);
    if (const auto* bk = client.if_contains("bookkeepers"))
      for (const auto& m : bk->as_array())
        assigned[json::value_to<std::string>(m)].emplace_back(id, name);
  }
  std::optional<store::transaction> tx;
  if (!last) tx.emplace(db);
  const auto import_started = clock_type::now();
  const auto imported = bot::import_snapshot(db, json::serialize(doc), "2026-11-27T09:00:00Z");
  import_s += ms_since(import_started) / 1e3;
  if (!imported.ok) throw std::runtime_error("import failed: " + imported.error);
  if (!tx) tx.emplace(db);
  store::installation row;
  row.key = {"slack", "", firm.workspace.team_id};
  row.workspace_name = spec.partner_name;
  row.app_id = firm.workspace.app_id;
  row.bot_user_id = "UHOSTEDBOT";
  row.scopes = "commands,chat:write,im:write,users:read";
  row.installer = firm.users.front().user_id;
  row.token = bot::slack::seal_token(key, row.key, "bot", firm.token);
  row.installed_at = std::string(subscribed_at);
  store::installations(db).save(row);
  // Each member: a weekly DM digest of up to five clients they see.
  store::subscriptions subs(db);
  for (const auto& u : firm.users) {
    const auto& mine = u.admin ? active : assigned[u.id];
    const auto n = std::min<std::size_t>(mine.size(), 5);
    for (std::size_t i = 0; i < n; ++i)
      subs.set({u.id, mine[i].first, mine[i].second, store::frequency::weekly, "slack",
                std::string(subscribed_at)});
    firm.subscribers += n > 0;
  }
  subs.set_channel({firm.partner_id, "slack", firm.workspace.team_id, firm.workspace.channel_id,
                    store::frequency::weekly, firm.users.front().id, std::string(subscribed_at)});
  tx->commit();
  return firm;
}

pleo::secret_key generated_key(std::string& base64) {
  std::string bytes(pleo::secret_key::size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("no random bytes for the secret key");
  base64 = text::base64_encode(bytes);
  auto key = pleo::secret_key::from_base64(base64);
  if (!key) throw std::runtime_error("the generated secret key does not read back");
  return *key;
}

// The median and range of one figure over the runs.
struct series {
  std::vector<double> values;
  void add(double v) { values.push_back(v); }
  double median() const {
    auto v = values;
    std::sort(v.begin(), v.end());
    if (v.empty()) return 0;
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  }
  double low() const { return values.empty() ? 0 : *std::min_element(values.begin(), values.end()); }
  double high() const { return values.empty() ? 0 : *std::max_element(values.begin(), values.end()); }
  std::string text(std::string_view unit, int decimals = 1) const {
    std::string all;
    for (const auto v : values)
      all += fmt::format("{}{:.{}f}", all.empty() ? "" : ", ", v, decimals);
    return fmt::format("median {:.{}f} {} (range {:.{}f}–{:.{}f}; runs: {})", median(), decimals, unit, low(),
                       decimals, high(), decimals, all);
  }
};

// ---- the serve process ----------------------------------------------------

struct server_process {
  pid_t pid = 0;
  unsigned short port = 0;
  std::string log;
  clock_type::time_point spawned;
};

server_process spawn_server(const hosted_options& opt, const std::string& db_path, const std::string& key,
                            const std::string& log) {
  server_process s;
  s.port = free_port();
  s.log = log;
  s.spawned = clock_type::now();
  s.pid = spawn_child(opt.server, {"serve"},
                      {"PARTNERBOT_DB=" + db_path, fmt::format("PARTNERBOT_LISTEN=127.0.0.1:{}", s.port),
                       "SLACK_SIGNING_SECRET=" + std::string(signing_secret), "SLACK_CLIENT_ID=1111.2222",
                       "SLACK_CLIENT_SECRET=hosted-client-secret",
                       "PARTNERBOT_PUBLIC_URL=https://partnerbot.example", "PARTNERBOT_SECRET_KEY=" + key,
                       "SLACK_API_URL=http://127.0.0.1:9/api/"},
                      log);
  return s;
}

std::string command_for(const hosted_firm& firm, unsigned short port, const std::string& user_id,
                        const std::string& text, int n) {
  return command_request(firm.workspace, port, user_id, text, n, "http://127.0.0.1:9/response/hosted");
}

// One request on an open connection; its time in ms, or throws. `ok` says
// whether it was a 200 with a Slack message in it.
double exchange(beast::tcp_stream& stream, const std::string& wire, bool& ok, std::string* body = nullptr) {
  const auto started = clock_type::now();
  stream.expires_after(30s);
  asio::write(stream, asio::buffer(wire));
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  bhttp::read(stream, buffer, parser);
  const double ms = ms_since(started);
  const auto& res = parser.get();
  ok = res.result_int() == 200;
  if (ok) try {
      const auto reply = json::parse(res.body()).as_object();
      ok = reply.contains("blocks") || reply.contains("text");
    } catch (const std::exception&) {
      ok = false;
    }
  if (body) *body = res.body();
  return ms;
}

// ---- cold answers -------------------------------------------------------------

struct answer_kind {
  std::string name;
  bool bookkeeper = false; // sent by a bookkeeper, else by an admin
  std::function<std::string(const hosted_firm&)> text;
};

std::vector<answer_kind> answer_kinds() {
  const auto fixed = [](std::string t) { return [t](const hosted_firm&) { return t; }; };
  return {
      {"default list (empty)", false, fixed("")},
      {"clients (mine, bookkeeper)", true, fixed("clients")},
      {"clients all", false, fixed("clients all")},
      {"clients all missing desc", false, fixed("clients all missing desc")},
      {"clients onboarding", false, fixed("clients onboarding")},
      {"clients invites", false, fixed("clients invites")},
      {"clients missing (bookkeeper)", true, fixed("clients missing")},
      {"missing", false, fixed("missing")},
      {"search broad", false, fixed("search ApS")},
      {"search narrow", false, [](const hosted_firm& f) { return "search " + f.names[f.names.size() / 3]; }},
      {"client NAME (card)", false,
       [](const hosted_firm& f) { return "client " + f.names[f.names.size() / 2]; }},
      {"digests (settings)", true, fixed("digests")},
      {"language", true, fixed("language")},
      {"help", false, fixed("help")},
  };
}

const linked_member& sender(const hosted_firm& firm, bool bookkeeper) {
  for (const auto& u : firm.users)
    if (u.admin != bookkeeper) return u;
  return firm.users.front();
}

// ---- closed-loop load ---------------------------------------------------------

struct load_figures {
  double rps = 0, p50 = 0, p99 = 0, max = 0;
  double server_cpu_us = 0;   // per request
  double generator_cpu_s = 0; // this process, over the load
  double generator_share = 0; // of one core
  std::size_t errors = 0, requests = 0;
};

load_figures run_mixed(const server_process& s, const std::vector<prepared_request>& requests,
                       const hosted_options& opt) {
  load_figures f;
  std::vector<std::int64_t> ns;
  ns.reserve(static_cast<std::size_t>(opt.seconds) * 60'000);
  std::size_t all = 0;
  const double server_before = cpu_seconds(s.pid);
  const double self_before = cpu_seconds(::getpid());
  const auto start = clock_type::now();
  const auto measure_from = start + 1s; // warm-up
  const load_plan plan{opt.connections, 1, measure_from + std::chrono::seconds(opt.seconds), 5s};
  f.errors = run_closed_loop(
      s.port, requests, plan, [&](const prepared_request&, auto sent, auto answered, const reply& res) {
        ++all;
        if (sent < measure_from) return;
        if (res.result_int() != 200) ++f.errors;
        ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(answered - sent).count());
      });
  const double wall = std::chrono::duration<double>(clock_type::now() - start).count();
  const double measured = std::chrono::duration<double>(clock_type::now() - measure_from).count();
  f.generator_cpu_s = cpu_seconds(::getpid()) - self_before;
  f.generator_share = f.generator_cpu_s / wall;
  f.server_cpu_us =
      (cpu_seconds(s.pid) - server_before) * 1e6 / static_cast<double>(std::max<std::size_t>(all, 1));
  std::sort(ns.begin(), ns.end());
  f.requests = ns.size();
  f.rps = static_cast<double>(ns.size()) / measured;
  f.p50 = percentile_ms(ns, 0.50);
  f.p99 = percentile_ms(ns, 0.99);
  f.max = percentile_ms(ns, 1.0);
  return f;
}

void print_load(const std::string& who, const load_figures& f) {
  fmt::print("    {:<22} {:>7.0f} requests/s, p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms, {} errors; "
             "server CPU {:.1f} µs/request; load generator CPU {:.2f} s ({:.0f} % of a core)\n",
             who, f.rps, f.p50, f.p99, f.max, f.errors, f.server_cpu_us, f.generator_cpu_s,
             100 * f.generator_share);
}

// Distinct requests drawn across every firm, each firm's signed with its own
// team id; shuffled the same on every run.
std::vector<prepared_request> across_firms(const std::vector<hosted_firm>& firms, unsigned short port,
                                           int distinct) {
  const int per_firm =
      std::max(2, (distinct + static_cast<int>(firms.size()) - 1) / static_cast<int>(firms.size()));
  std::vector<prepared_request> out;
  for (const auto& firm : firms) {
    const command_signer sign = [&](const std::string& user, const std::string& text, int n) {
      return command_for(firm, port, user, text, n);
    };
    auto mine = mixed_requests(sign, firm.users, firm.names, per_firm);
    out.insert(out.end(), std::make_move_iterator(mine.begin()), std::make_move_iterator(mine.end()));
  }
  std::shuffle(out.begin(), out.end(), std::mt19937(20261206));
  return out;
}

// ---- one run of the serve process --------------------------------------------

struct serve_figures {
  double healthz_ms = 0, first_command_ms = 0;
  std::map<std::string, std::vector<double>> cold; // per kind, ms
  bool cold_ok = true;
  bool cold_fresh = true; // every cold request went to a firm not asked before
  load_figures hosted, single;
  long hwm_kib = 0, rss_after_start_kib = 0;
  double model_mib = 0; // the read models' own account of their size
  bool stopped_cleanly = true;
};

void stop_server(const server_process& s, bool& clean) {
  int status = 0;
  stop_child(s.pid, status);
  clean = clean && exit_code(status) == 0;
}

bool serve_run(const hosted_options& opt, const std::vector<hosted_firm>& firms,
               const hosted_firm& single_firm, const std::string& hosted_db, const std::string& single_db,
               const std::string& key, const std::filesystem::path& dir, int run, serve_figures& out) {
  {
    const auto s = spawn_server(opt, hosted_db, key, (dir / fmt::format("serve{}.log", run)).string());
    const auto up = wait_until_up(s.port, "/healthz", s.spawned, 60s);
    if (!up) {
      fmt::print(stderr, "the server did not answer /healthz within 60 s (log: {})\n", s.log);
      kill_child(s.pid);
      return false;
    }
    out.healthz_ms = *up;
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port));
    stream.socket().set_option(tcp::no_delay(true));
    bool ok = false;
    const auto& first = firms.front();
    std::string body;
    exchange(stream, command_for(first, s.port, sender(first, false).user_id, "clients", 1), ok, &body);
    out.first_command_ms = ms_since(s.spawned);
    if (!ok) {
      fmt::print(stderr, "the first command was not answered with a message: {}\n", body.substr(0, 200));
      kill_child(s.pid);
      return false;
    }
    out.rss_after_start_kib = proc_status_kib(s.pid, "VmRSS:");

    // Cold: each kind to firms nobody asked yet in this process (firm 0 had
    // the first command); the kinds take turns, so that none pays alone for
    // what the process does in its first seconds.
    const auto kinds = answer_kinds();
    int n = 1;
    std::size_t next_firm = 1;
    for (int i = 0; i < opt.cold_firms; ++i)
      for (const auto& kind : kinds) {
        if (next_firm >= firms.size()) {
          next_firm = 1;
          out.cold_fresh = false;
        }
        const auto& firm = firms[next_firm++];
        const auto& who = sender(firm, kind.bookkeeper);
        bool answered = false;
        out.cold[kind.name].push_back(
            exchange(stream, command_for(firm, s.port, who.user_id, kind.text(firm), ++n), answered));
        out.cold_ok = out.cold_ok && answered;
      }

    const auto requests = across_firms(firms, s.port, opt.distinct);
    out.hosted = run_mixed(s, requests, opt);
    out.hwm_kib = proc_status_kib(s.pid, "VmHWM:");
    out.model_mib = metric(s.port, "partnerbot_read_model_bytes").value_or(0) / (1024.0 * 1024.0);
    stop_server(s, out.stopped_cleanly);
    if (run == 1) fmt::print("  mixed across firms: {} distinct requests\n", requests.size());
  }
  {
    const auto s = spawn_server(opt, single_db, key, (dir / fmt::format("single{}.log", run)).string());
    if (!wait_until_up(s.port, "/healthz", s.spawned, 60s)) {
      fmt::print(stderr, "the single-firm server did not answer /healthz (log: {})\n", s.log);
      kill_child(s.pid);
      return false;
    }
    const command_signer sign = [&](const std::string& user, const std::string& text, int n) {
      return command_for(single_firm, s.port, user, text, n);
    };
    const auto requests = mixed_requests(sign, single_firm.users, single_firm.names, opt.distinct);
    out.single = run_mixed(s, requests, opt);
    stop_server(s, out.stopped_cleanly);
    if (run == 1) fmt::print("  mixed in one firm: {} distinct requests\n", requests.size());
  }
  return true;
}

// ---- the Monday slot and its delivery -----------------------------------------

struct drain_figures {
  double pass_s = 0;
  handlers::pass_counts counts;
  double drain_s = 0;
  double drain_cpu_s = 0; // this process (the worker and the fake Slack) over the drain
  std::string load_average;
  std::size_t expected = 0, sent = 0, refused = 0, pending = 0, failed = 0;
  std::size_t posts = 0, wrong_token = 0;
  std::size_t most_in_one_channel = 0;
  std::vector<double> last_arrival_s; // per workspace but the backlog's, sorted
  double backlog_last_s = 0;
  std::vector<double> backlog_posts_s; // when each post into the backlog's channel arrived
};

const auto monday_slot = std::chrono::sys_days{std::chrono::year{2026} / 11 / 30} + std::chrono::hours{9} +
                         std::chrono::minutes{30};

// The firm a Slack id belongs to ("TH0001", "CH0001", "DUH0001M003", "UH0001M003"), or -1.
int firm_of(std::string_view id) {
  const auto at = id.find('H');
  if (at == std::string_view::npos || id.size() < at + 5) return -1;
  int f = 0;
  for (std::size_t i = at + 1; i < at + 5; ++i) {
    if (id[i] < '0' || id[i] > '9') return -1;
    f = f * 10 + (id[i] - '0');
  }
  return f;
}

// A fresh copy of the built database, the backlog queued, the slot enqueued
// (timed), then drained against the fake Slack, with or without its limit.
drain_figures slot_and_drain(const hosted_options& opt, const std::vector<hosted_firm>& firms,
                             const std::filesystem::path& base, const std::filesystem::path& copy,
                             const pleo::secret_key& key, bool limited) {
  drain_figures d;
  for (const char* suffix : {"-wal", "-shm"})
    std::filesystem::remove(copy.string() + suffix);
  std::filesystem::copy_file(base, copy, std::filesystem::copy_options::overwrite_existing);
  store::database db(copy.string());
  const auto& backlog = firms.front();
  {
    store::outbox box(db);
    store::transaction tx(db);
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    for (int i = 0; i < opt.backlog; ++i) {
      handlers::view v;
      v.summary = fmt::format("Queued notice {} of {}", i + 1, opt.backlog);
      v.blocks.push_back(handlers::section{"", v.summary, {}});
      store::outbound_message m;
      m.idempotency_key = fmt::format("hosted-backlog-{}", i);
      m.platform = "slack";
      m.workspace_id = backlog.workspace.team_id;
      m.recipient_kind = store::recipient_kinds::channel;
      m.recipient = backlog.workspace.channel_id;
      m.payload = handlers::view_to_json(v);
      m.origin = "notice";
      box.enqueue(m, now_ms);
    }
    tx.commit();
  }

  handlers::settings settings;
  handlers::context ctx{db, settings};
  const auto t = clock_type::now();
  d.counts = handlers::digest_pass(ctx, monday_slot);
  d.pass_s = ms_since(t) / 1e3;
  d.expected = static_cast<std::size_t>(d.counts.dms + d.counts.channels + opt.backlog);

  test_support::fake_slack slack;
  if (limited) slack.limit_posts_per_channel(post_interval);
  asio::io_context io{1};
  bot::http_client http(io);
  bot::slack::web_api api(http, slack.base_url(), "");
  bot::store_thread store_work(copy.string(), db);
  bot::slack::token_settings token_settings;
  token_settings.key = key; // no fallback token: every workspace has its installation
  bot::slack::installation_tokens tokens(io, store_work, api, token_settings);
  api.use_tokens(tokens);
  bot::outbox_options options;
  options.concurrency = opt.concurrency;
  bot::outbox_worker worker(io, store_work, options);
  worker.add_delivery("slack", std::make_unique<bot::slack::delivery>(api));
  d.load_average = load_average();
  const double cpu_before = cpu_seconds(::getpid());
  const auto started = clock_type::now();
  worker.start();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await worker.drain(clock_type::now() + std::chrono::minutes(10));
        co_await worker.stop();
      },
      asio::detached);
  io.run();
  d.drain_s = ms_since(started) / 1e3;
  d.drain_cpu_s = cpu_seconds(::getpid()) - cpu_before;
  d.sent = static_cast<std::size_t>(worker.done().sent);
  const auto left = store::outbox(db).counts();
  d.pending = static_cast<std::size_t>(left.pending);
  d.failed = static_cast<std::size_t>(left.failed);
  d.refused = slack.posts_refused();

  std::map<int, clock_type::time_point> last;
  std::map<std::string, std::size_t> per_channel;
  for (const auto& call : slack.calls()) {
    const auto bearer = call.authorization.starts_with("Bearer ") ? call.authorization.substr(7) : "";
    const auto target =
        call.method == "conversations.open"
            ? std::string(call.body.contains("users") ? call.body.at("users").as_string() : "")
        : call.body.contains("channel") ? std::string(call.body.at("channel").as_string())
                                        : std::string();
    const int f = firm_of(target);
    if (f < 0 || f >= static_cast<int>(firms.size()) || bearer != firms[static_cast<std::size_t>(f)].token)
      ++d.wrong_token;
    if (call.method != "chat.postMessage" || call.status != 200) continue;
    ++d.posts;
    ++per_channel[target];
    if (target == backlog.workspace.channel_id)
      d.backlog_posts_s.push_back(std::chrono::duration<double>(call.at - started).count());
    auto& l = last[f];
    l = std::max(l, call.at);
  }
  for (const auto& [channel, count] : per_channel)
    d.most_in_one_channel = std::max(d.most_in_one_channel, count);
  for (const auto& [f, at] : last) {
    const double s = std::chrono::duration<double>(at - started).count();
    if (f == 0)
      d.backlog_last_s = s;
    else
      d.last_arrival_s.push_back(s);
  }
  std::sort(d.last_arrival_s.begin(), d.last_arrival_s.end());
  std::sort(d.backlog_posts_s.begin(), d.backlog_posts_s.end());
  return d;
}

double sorted_at(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))];
}

// ---- the sitting ------------------------------------------------------------------

std::string met(bool yes) {
  return yes ? "met" : "NOT met";
}

int run(const hosted_options& opt) {
  const auto dir = make_scratch_dir(fmt::format("partnerbot-hosted-{}", ::getpid()));
  const auto hosted_db = dir / "hosted.db";
  const auto single_db = dir / "single.db";
  std::string key_text;
  const auto key = generated_key(key_text);

  std::vector<hosted_firm> firms;
  hosted_firm single_firm;
  int subscribers = 0;
  {
    const auto t = clock_type::now();
    double import_s = 0;
    store::database db(hosted_db.string());
    for (int f = 0; f < opt.firms; ++f) {
      firms.push_back(add_firm(db, f, opt, key, f + 1 == opt.firms, import_s));
      subscribers += firms.back().subscribers;
    }
    fmt::print("== {} firms × {} clients × {} members ({} admins), each its own Slack workspace and "
               "installation\n",
               opt.firms, opt.clients, opt.members, opt.admins);
    fmt::print("  database built in {:.1f} s, {:.1f} s of it in the snapshot imports (import, "
               "installation and subscriptions: one transaction a firm; not part of any target)\n",
               ms_since(t) / 1e3, import_s);
  }
  {
    store::database db(single_db.string());
    double ignored = 0;
    single_firm = add_firm(db, 0, opt, key, true, ignored);
  }
  fmt::print("  {}: {:.1f} MiB; one firm alone: {:.1f} MiB\n", hosted_db.filename().string(),
             static_cast<double>(std::filesystem::file_size(hosted_db)) / (1024.0 * 1024.0),
             static_cast<double>(std::filesystem::file_size(single_db)) / (1024.0 * 1024.0));

  int rc = 0;
  std::vector<serve_figures> serves;
  for (int r = 1; r <= opt.runs; ++r) {
    fmt::print("\n== run {} of {}: serve (load average {})\n", r, opt.runs, load_average());
    serve_figures f;
    if (!serve_run(opt, firms, single_firm, hosted_db.string(), single_db.string(), key_text, dir, r, f)) {
      remove_scratch_dir(dir);
      return 1;
    }
    fmt::print("    start-up {:.1f} ms to /healthz 200, {:.1f} ms to the first /pleo answer; RSS after "
               "start {} KiB\n",
               f.healthz_ms, f.first_command_ms, f.rss_after_start_kib);
    print_load(fmt::format("across {} firms", opt.firms), f.hosted);
    print_load("one firm alone", f.single);
    fmt::print(
        "    across ÷ one firm = {:.1f} %; serve VmHWM after the load {:.1f} MiB (read models {:.1f} MiB)\n",
        100 * f.hosted.rps / f.single.rps, static_cast<double>(f.hwm_kib) / 1024, f.model_mib);
    if (!f.cold_ok || f.hosted.errors || f.single.errors || !f.stopped_cleanly) rc = 1;
    serves.push_back(std::move(f));
  }

  std::vector<drain_figures> limited, unlimited;
  for (int r = 1; r <= opt.runs; ++r) {
    fmt::print("\n== run {} of {}: the Monday 10:00 slot and its delivery\n", r, opt.runs);
    // Which drain goes first alternates, so that a drift in the machine's
    // load over the sitting does not always fall on the same one.
    for (const bool limit : r % 2 ? std::vector<bool>{true, false} : std::vector<bool>{false, true}) {
      auto d = slot_and_drain(opt, firms, hosted_db, dir / "slot.db", key, limit);
      fmt::print("    slot {}: {} DMs, {} channel digests, {} unreachable; enqueued in {:.3f} s\n",
                 d.counts.slot, d.counts.dms, d.counts.channels, d.counts.unreachable, d.pass_s);
      fmt::print("    drain {}: {:.2f} s, {:.2f} s CPU in this process, load average {} before; {} sent of "
                 "{} ({} posts seen), {} lost ({} pending, {} failed), "
                 "{} refused with 429, {} calls with another workspace's token; most into one channel {}\n",
                 limit ? "with one post a second per channel" : "with no limit", d.drain_s, d.drain_cpu_s,
                 d.load_average, d.sent, d.expected, d.posts, d.expected - std::min(d.sent, d.expected),
                 d.pending, d.failed, d.refused, d.wrong_token, d.most_in_one_channel);
      fmt::print("    last message per workspace (not the backlog's): median {:.2f} s, p99 {:.2f} s, max "
                 "{:.2f} s; the backlog's {:.2f} s\n",
                 sorted_at(d.last_arrival_s, 0.5), sorted_at(d.last_arrival_s, 0.99),
                 sorted_at(d.last_arrival_s, 1.0), d.backlog_last_s);
      if (d.backlog_posts_s.size() > 1) {
        const auto& at = d.backlog_posts_s;
        double widest = 0;
        for (std::size_t i = 1; i < at.size(); ++i)
          widest = std::max(widest, at[i] - at[i - 1]);
        fmt::print(
            "    the backlog's channel: {} posts from {:.2f} s to {:.2f} s, {:.3f} s apart on average, "
            "{:.3f} s at most\n",
            at.size(), at.front(), at.back(), (at.back() - at.front()) / static_cast<double>(at.size() - 1),
            widest);
      }
      if (d.sent != d.expected || d.wrong_token || d.counts.unreachable) rc = 1;
      (limit ? limited : unlimited).push_back(std::move(d));
    }
  }

  // Summary: each figure's median and range over the runs.
  fmt::print("\n== summary over {} runs\n", opt.runs);
  series healthz, first, hwm, hosted_rps, single_rps, ratio, hosted_p50, hosted_p99, single_p50, single_p99,
      gen_hosted, gen_single;
  for (const auto& f : serves) {
    healthz.add(f.healthz_ms);
    first.add(f.first_command_ms);
    hwm.add(static_cast<double>(f.hwm_kib) / 1024);
    hosted_rps.add(f.hosted.rps);
    single_rps.add(f.single.rps);
    ratio.add(100 * f.hosted.rps / f.single.rps);
    hosted_p50.add(f.hosted.p50);
    hosted_p99.add(f.hosted.p99);
    single_p50.add(f.single.p50);
    single_p99.add(f.single.p99);
    gen_hosted.add(100 * f.hosted.generator_share);
    gen_single.add(100 * f.single.generator_share);
  }
  fmt::print("1. start-up to /healthz 200         {}\n", healthz.text("ms"));
  fmt::print("   start-up to first /pleo answer   {}  → target < 2 s {}\n", first.text("ms"),
             met(first.high() < 2000 && healthz.high() < 2000));
  fmt::print("2. serve VmHWM after the load       {}  → target < 400 MB {}\n", hwm.text("MiB"),
             met(hwm.high() * 1.048576 < 400));
  fmt::print("3. every answer kind cold ({} firms a kind, first request to each{}), all runs together:\n",
             opt.cold_firms, serves.front().cold_fresh ? "" : "; fewer firms than that: some asked twice");
  double slowest_cold = 0;
  for (const auto& kind : answer_kinds()) {
    std::vector<std::int64_t> ns;
    for (const auto& f : serves)
      for (const auto ms : f.cold.at(kind.name))
        ns.push_back(static_cast<std::int64_t>(ms * 1e6));
    std::sort(ns.begin(), ns.end());
    slowest_cold = std::max(slowest_cold, percentile_ms(ns, 1.0));
    fmt::print("     {:<30} median {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms ({} requests)\n", kind.name,
               percentile_ms(ns, 0.5), percentile_ms(ns, 0.99), percentile_ms(ns, 1.0), ns.size());
  }
  fmt::print("   slowest cold answer {:.3f} ms → target each < 2 ms {}\n", slowest_cold,
             met(slowest_cold < 2));
  fmt::print("4. mixed across {} firms            {}, p50 {}, p99 {}\n", opt.firms,
             hosted_rps.text("req/s", 0), hosted_p50.text("ms", 3), hosted_p99.text("ms", 3));
  fmt::print("   mixed in one firm alone          {}, p50 {}, p99 {}\n", single_rps.text("req/s", 0),
             single_p50.text("ms", 3), single_p99.text("ms", 3));
  fmt::print("   across ÷ alone                   {}  → target ≥ 80 % {}\n", ratio.text("%"),
             met(ratio.median() >= 80));
  fmt::print("   load generator CPU               across {}; alone {}\n", gen_hosted.text("% of a core", 0),
             gen_single.text("% of a core", 0));

  series pass, drain, bound, over, over_limit, fair_median, fair_p99, fair_max, backlog_last;
  std::size_t lost = 0, refused = 0;
  for (std::size_t i = 0; i < limited.size(); ++i) {
    const auto& d = limited[i];
    const auto& u = unlimited[i];
    pass.add(d.pass_s);
    pass.add(u.pass_s);
    drain.add(d.drain_s);
    const double by_limit = static_cast<double>(d.most_in_one_channel > 0 ? d.most_in_one_channel - 1 : 0) *
                            std::chrono::duration<double>(post_interval).count();
    const double b = std::max(u.drain_s, by_limit);
    bound.add(b);
    over.add(d.drain_s / b);
    if (by_limit > 0) over_limit.add(d.drain_s / by_limit);
    fair_median.add(sorted_at(d.last_arrival_s, 0.5));
    fair_p99.add(sorted_at(d.last_arrival_s, 0.99));
    fair_max.add(sorted_at(d.last_arrival_s, 1.0));
    backlog_last.add(d.backlog_last_s);
    lost += d.expected - std::min(d.sent, d.expected);
    refused += d.refused;
    fmt::print("   run {}: bound = max(unlimited drain {:.2f} s, ({} − 1) × 1 s = {:.2f} s) = {:.2f} s; "
               "drain {:.2f} s ÷ {:.2f} s = {:.3f}\n",
               i + 1, u.drain_s, d.most_in_one_channel, by_limit, b, d.drain_s, b, d.drain_s / b);
  }
  const auto& c = limited.front().counts;
  fmt::print("5. Monday slot ({} DMs of {} members with a digest, {} channel posts) enqueued in-process "
             "(compute, render, enqueue; no delivery)\n"
             "                                    {}  → target < 5 s {}\n",
             c.dms, subscribers, c.channels, pass.text("s", 3), met(pass.high() < 5));
  fmt::print("6. drain with the limit             {}; {} lost, {} refused with 429 over all runs\n",
             drain.text("s", 2), lost, refused);
  fmt::print("   bound                            {}\n", bound.text("s", 2));
  fmt::print("   drain ÷ bound                    {}  → target ≤ 1.10 {}\n", over.text("", 3),
             met(over.median() <= 1.10));
  if (!over_limit.values.empty())
    fmt::print("   drain ÷ what the limit alone allows ((most into one channel − 1) × 1 s)\n"
               "                                    {}\n",
               over_limit.text("", 3));
  fmt::print("   last message per workspace (all but the backlog's), after the drain began:\n"
             "     median over workspaces         {}\n"
             "     p99 over workspaces            {}\n"
             "     max over workspaces            {}\n",
             fair_median.text("s", 2), fair_p99.text("s", 2), fair_max.text("s", 2));
  fmt::print("   the backlog workspace's last     {} ({} posts queued before the slot)\n",
             backlog_last.text("s", 2), opt.backlog);
  remove_scratch_dir(dir);
  return rc;
}

} // namespace
} // namespace bench

int main(int argc, char** argv) {
  bench::hosted_options opt;
  opt.server = bench::next_to_benchmark(argv[0], "../partnerbot");
  const auto read_command_line = [&] {
    bench::parse_options(argc, argv,
                         {{{"--firms", bench::into(opt.firms)},
                           {"--clients", bench::into(opt.clients)},
                           {"--members", bench::into(opt.members)},
                           {"--admins", bench::into(opt.admins)},
                           {"--runs", bench::into(opt.runs)},
                           {"--connections", bench::into(opt.connections)},
                           {"--seconds", bench::into(opt.seconds)},
                           {"--distinct", bench::into(opt.distinct)},
                           {"--cold-firms", bench::into(opt.cold_firms)},
                           {"--backlog", bench::into(opt.backlog)},
                           {"--concurrency", bench::into(opt.concurrency)},
                           {"--server", bench::into(opt.server)}},
                          {}});
    if (opt.firms < 2 || opt.firms > 9999) throw std::invalid_argument("--firms must be from 2 to 9999");
    if (opt.clients < 1 || opt.admins < 1 || opt.members <= opt.admins)
      throw std::invalid_argument("--clients and --admins must be positive, --members more than --admins");
    if (opt.runs < 1 || opt.connections < 1 || opt.seconds < 1 || opt.distinct < 1 || opt.cold_firms < 1 ||
        opt.backlog < 0 || opt.concurrency < 1)
      throw std::invalid_argument("--runs, --connections, --seconds, --distinct, --cold-firms and "
                                  "--concurrency must be positive, --backlog not negative");
  };
  return bench::run_benchmark("hosted",
                              "hosted [--firms 1000] [--clients 100] [--members 20] [--admins 2] [--runs 3] "
                              "[--connections 32] [--seconds 10] [--distinct 2000] [--cold-firms 50] "
                              "[--backlog 30] [--concurrency 4] [--server build/partnerbot]",
                              read_command_line, [&] { return bench::run(opt); });
}
