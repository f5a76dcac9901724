// Load generator for the Slack slash-command path: imports a generated firm
// into a temporary database, starts `partnerbot serve` as a child process,
// replays pre-signed /slack/commands requests over keep-alive connections
// and prints throughput, latency percentiles, the server's CPU time,
// allocations and peak RSS per request, and its start-up time: spawn to
// /healthz 200, and spawn to the first /pleo command answered with a list
// (a server that listens before its read model is built is up early, but
// answers only when the model is there). `--starts 3` starts the server
// that many times on the same imported database and reports every start.
//
// Mixed mode (the default) sends thousands of distinct requests the way a
// firm would: 70 % searches for varied fragments of the firm's names, broad
// and narrow, the rest lists over every tab, filter and sort; 30 % from
// admins, 70 % from bookkeepers. In the same run a bare one-thread Beast
// server answering a fixed 1 KiB body (bench/bare_server) gets the same
// requests: partnerbot's throughput is reported as a share of it, which
// means the same on a fast or a slow machine. `--repeat` sends the old
// eight kinds from every member instead (nearly all answered from cache).
//
// `--engine sqlite,postgresql` runs each client count on both engines in
// turn, each on a fresh database (PostgreSQL: a new database on the server
// scripts/with-postgres starts, or on `--postgres URI`), and prints
// PostgreSQL's throughput as a share of SQLite's. `--instances 2` then also
// runs two `serve` processes on one PostgreSQL database, the connections
// split between them, and prints each one's CPU and RSS beside one alone.
//
//   slack_load [--clients 1000,10000] [--connections 32] [--seconds 10]
//              [--distinct 2000] [--repeat] [--no-bare] [--starts 1]
//              [--engine sqlite,postgresql] [--postgres URI] [--instances 2]
//              [--server build/partnerbot] [--bare build/bench/bare_server]

#include "bench/support/child.hpp"
#include "bench/support/command_line.hpp"
#include "bench/support/databases.hpp"
#include "bench/support/http.hpp"
#include "bench/support/request_mix.hpp"
#include "bench/support/slack.hpp"
#include "bot/cli/platform_list.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace bench {
namespace {

struct options {
  std::vector<int> clients = {1000, 10000};
  int admins = 5;
  int bookkeepers = 45;
  int connections = 32;
  int seconds = 10;
  int distinct = 2000;
  bool repeat = false;
  bool bare = true;
  std::vector<std::string> engines = {"sqlite"};
  std::string postgres; // the server's URI; a database is created on it per run
  int instances = 1;
  int starts = 1; // start-ups measured per run, on the same database
  std::string server;
  std::string bare_server;
};

// The generated firm, with every member linked to a Slack user up front so
// that no users.info call is needed; also the clients' names.
std::string firm_snapshot(int clients, const options& opt, std::vector<linked_member>& users,
                          std::vector<std::string>& names) {
  bot::firm_spec spec;
  spec.partner_id = "p-bench";
  spec.partner_name = "Bench Revision ApS";
  spec.slack_team_id = bench_workspace.team_id;
  spec.clients = clients;
  spec.admins = opt.admins;
  spec.bookkeepers = opt.bookkeepers;
  const auto doc = linked_firm(spec, "UB{:05}", &users);
  for (const auto& c : doc.at("clients").as_array())
    names.push_back(json::value_to<std::string>(c.at("name")));
  return json::serialize(doc);
}

std::string signed_command(unsigned short port, const std::string& user_id, const std::string& text, int n) {
  return command_request(bench_workspace, port, user_id, text, n, "http://127.0.0.1:9/response/bench");
}

struct first_answer_figures {
  double ms = 0;    // spawn to the first 200 Block Kit list
  int deferred = 0; // commands before it answered "on its way" (past Slack's deadline, list sent later)
};

// Sends the command (`request(attempt)`, each attempt signed anew) on a fresh
// connection as soon as the server listens, again while the server answers
// that the list is on its way, and returns the ms from `spawned` to the first
// 200 Block Kit list (nullopt on any other answer, or when `limit` passed).
std::optional<first_answer_figures> first_answer(unsigned short port,
                                                 const std::function<std::string(int)>& request,
                                                 clock_type::time_point spawned, std::chrono::seconds limit) {
  first_answer_figures f;
  while (clock_type::now() - spawned < limit) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(limit);
    boost::system::error_code ec;
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    asio::write(stream, asio::buffer(request(f.deferred)));
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    bhttp::read(stream, buffer, parser);
    const double ms = std::chrono::duration<double, std::milli>(clock_type::now() - spawned).count();
    const auto& res = parser.get();
    if (res.result_int() != 200) return std::nullopt;
    bool list = false;
    try {
      const auto reply = json::parse(res.body()).as_object();
      list = reply.contains("blocks") && reply.at("blocks").as_array().size() >= 2;
    } catch (const std::exception&) {
    }
    if (list) {
      f.ms = ms;
      return f;
    }
    ++f.deferred;
  }
  return std::nullopt;
}

struct startup_figures {
  double healthz_ms = 0;      // spawn to /healthz 200
  double first_answer_ms = 0; // spawn to the first list answered
  int deferred = 0;           // commands answered "on its way" before it
};

struct load_result {
  std::vector<std::int64_t> latencies_ns;
  std::map<std::string, std::vector<std::int64_t>> by_kind; // the same latencies per request kind
  std::size_t errors = 0;
  std::size_t bytes = 0;
  std::size_t all_requests = 0; // warm-up included
  double seconds = 0;
  double generator_cpu_seconds = 0; // this process's CPU while it sent them, warm-up included
};

load_result run_load(unsigned short port, const std::vector<prepared_request>& requests, const options& opt,
                     int connections = 0) {
  if (connections == 0) connections = opt.connections;
  load_result result;
  result.latencies_ns.reserve(static_cast<std::size_t>(opt.seconds) * 60'000);
  const double generator_cpu_before = cpu_seconds(::getpid());
  const auto start = clock_type::now();
  const auto measure_from = start + 1s; // warm-up
  // Each connection starts at its own place in the list and walks it with
  // the connection count as stride, so every request is sent in turn.
  const load_plan plan{connections, 1, measure_from + std::chrono::seconds(opt.seconds), 5s};
  result.errors += run_closed_loop(
      port, requests, plan, [&](const prepared_request& req, auto sent, auto answered, const reply& res) {
        ++result.all_requests;
        if (sent < measure_from) return;
        if (res.result_int() != 200) ++result.errors;
        result.bytes += res.body().size();
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(answered - sent).count();
        result.latencies_ns.push_back(ns);
        result.by_kind[req.kind].push_back(ns);
      });
  result.seconds = std::chrono::duration<double>(clock_type::now() - measure_from).count();
  result.generator_cpu_seconds = cpu_seconds(::getpid()) - generator_cpu_before;
  return result;
}

// The connections split between servers, one load thread each; each
// server walks the requests from its own place in the list. Returns each
// server's share, then all of them together.
std::vector<load_result> run_split_load(const std::vector<unsigned short>& ports,
                                        const std::vector<prepared_request>& requests, const options& opt) {
  const auto n = ports.size();
  std::vector<load_result> results(n + 1);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < n; ++i) {
    const int count = static_cast<int>(n);
    const int share = opt.connections / count + (static_cast<int>(i) < opt.connections % count ? 1 : 0);
    threads.emplace_back([&, i, share] {
      auto mine = requests;
      std::rotate(mine.begin(), mine.begin() + static_cast<std::ptrdiff_t>(i * mine.size() / n), mine.end());
      results[i] = run_load(ports[i], mine, opt, share);
    });
  }
  for (auto& t : threads)
    t.join();
  auto& all = results[n];
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = results[i];
    all.latencies_ns.insert(all.latencies_ns.end(), r.latencies_ns.begin(), r.latencies_ns.end());
    for (const auto& [kind, ns] : r.by_kind)
      all.by_kind[kind].insert(all.by_kind[kind].end(), ns.begin(), ns.end());
    all.errors += r.errors;
    all.bytes += r.bytes;
    all.all_requests += r.all_requests;
    all.seconds = std::max(all.seconds, r.seconds);
  }
  return results;
}

// Each kind once, checked: the server must answer with a real Block Kit list.
// These are the first requests after start-up, so their time is the cold
// cost (no answer cached yet). Returns the slowest.
bool check_requests(unsigned short port, const std::vector<prepared_request>& requests, double& slowest_ms) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(30s);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  std::vector<std::string> seen;
  bool ok = true;
  slowest_ms = 0;
  for (const auto& req : requests) {
    if (std::find(seen.begin(), seen.end(), req.kind) != seen.end()) continue;
    seen.push_back(req.kind);
    const auto started = clock_type::now();
    asio::write(stream, asio::buffer(req.wire));
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    const double cold_ms = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
    slowest_ms = std::max(slowest_ms, cold_ms);
    std::string summary;
    try {
      const auto reply = json::parse(res.body()).as_object();
      summary = fmt::format("{} blocks, \"{}\"", reply.at("blocks").as_array().size(),
                            json::value_to<std::string>(reply.at("text")));
    } catch (const std::exception&) {
      summary = "not a Block Kit message: " + res.body().substr(0, 120);
      ok = false;
    }
    if (res.result_int() != 200) ok = false;
    fmt::print("  {:<34} {} {:>6} bytes {:>7.3f} ms cold  {}\n", req.kind, res.result_int(),
               res.body().size(), cold_ms, summary);
  }
  return ok;
}

struct server_figures {
  double rps = 0, p50 = 0, p99 = 0, max = 0;
  double cpu_us_per_request = 0;
  std::optional<double> allocations_per_request;
  std::string peak_rss;
  std::size_t errors = 0;
  double slowest_kind_max_ms = 0;
};

void print_load(const std::string& who, load_result& result, server_figures& f, bool per_kind) {
  std::sort(result.latencies_ns.begin(), result.latencies_ns.end());
  f.rps = static_cast<double>(result.latencies_ns.size()) / result.seconds;
  f.p50 = percentile_ms(result.latencies_ns, 0.50);
  f.p99 = percentile_ms(result.latencies_ns, 0.99);
  f.max = percentile_ms(result.latencies_ns, 1.0);
  f.errors = result.errors;
  fmt::print("  {}: {} requests in {:.1f} s, {} errors, {:.0f} bytes/response on average\n", who,
             result.latencies_ns.size(), result.seconds, result.errors,
             result.latencies_ns.empty()
                 ? 0.0
                 : static_cast<double>(result.bytes) / static_cast<double>(result.latencies_ns.size()));
  fmt::print("    throughput  {:.0f} requests/s\n", f.rps);
  fmt::print("    latency     p50 {:.3f} ms, p90 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms\n", f.p50,
             percentile_ms(result.latencies_ns, 0.90), f.p99, f.max);
  // The load generator shares the machine: what it costs is what the server could not use.
  fmt::print("    load generator CPU {:.1f} µs per request ({:.2f} cores)\n",
             result.generator_cpu_seconds * 1e6 /
                 static_cast<double>(std::max<std::size_t>(result.all_requests, 1)),
             result.generator_cpu_seconds / (result.seconds + 1.0));
  if (!per_kind) return;
  for (auto& [kind, ns] : result.by_kind) {
    std::sort(ns.begin(), ns.end());
    f.slowest_kind_max_ms = std::max(f.slowest_kind_max_ms, percentile_ms(ns, 1.0));
    fmt::print("      {:<34} p50 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms ({} requests)\n", kind,
               percentile_ms(ns, 0.50), percentile_ms(ns, 0.99), percentile_ms(ns, 1.0), ns.size());
  }
}

// The bare server under the same requests; nullopt when it cannot run.
std::optional<server_figures> run_bare(const std::vector<prepared_request>& requests, const options& opt,
                                       const std::string& log_path) {
  const auto port = free_port();
  const auto spawned = clock_type::now();
  const pid_t pid = spawn_child(opt.bare_server, {std::to_string(port)}, {}, log_path);
  if (!wait_until_up(port, "/", spawned, 30s)) {
    fmt::print(stderr, "the bare server did not answer (log: {})\n", log_path);
    kill_child(pid);
    return std::nullopt;
  }
  const double cpu_before = cpu_seconds(pid);
  auto result = run_load(port, requests, opt);
  const double cpu = cpu_seconds(pid) - cpu_before;
  server_figures f;
  f.peak_rss = proc_status_field(pid, "VmHWM:");
  int status = 0;
  stop_child(pid, status);
  print_load("bare Beast server, fixed 1 KiB body", result, f, false);
  f.cpu_us_per_request = cpu * 1e6 / static_cast<double>(std::max<std::size_t>(result.all_requests, 1));
  fmt::print("    server CPU  {:.1f} µs per request; peak RSS {}\n", f.cpu_us_per_request, f.peak_rss);
  return f;
}

// One server process's share of a run.
struct instance_figures {
  double rps = 0;
  double cpu_us_per_request = 0;
  double cpu_share = 0;         // of one core, over the load (warm-up included)
  double idle_cpu_ms_per_s = 0; // before the load, nothing to answer
  std::string idle_rss, peak_rss;
};

struct run_figures {
  int clients = 0;
  std::string engine = "sqlite";
  server_figures partnerbot;
  std::optional<server_figures> bare;
  std::vector<instance_figures> instances;
  std::optional<double> database_cpu_us_per_request; // PostgreSQL's backends, on this machine
};

double sum_cpu_seconds(const std::vector<pid_t>& pids) {
  double total = 0;
  for (const auto pid : pids)
    total += cpu_seconds(pid);
  return total;
}

int run_one(int clients, const std::string& engine, int instances, bool with_bare, const options& opt,
            std::vector<run_figures>& all) {
  const auto dir = make_scratch_dir(fmt::format("partnerbot-bench-{}-{}", ::getpid(), clients));
  const scratch_database database(engine, dir, opt.postgres);
  const auto& db_path = database.location();

  std::vector<linked_member> users;
  std::vector<std::string> names;
  {
    const auto snapshot = firm_snapshot(clients, opt, users, names);
    store::database db(db_path);
    const auto imported = bot::import_snapshot(db, snapshot, "2026-11-27T09:00:00Z");
    if (!imported.ok) throw std::runtime_error("import failed: " + imported.error);
    fmt::print("\n== {} clients, {} members ({} admins), {} connections, {} s, {}, {}{}\n", imported.clients,
               imported.members, opt.admins, opt.connections, opt.seconds,
               opt.repeat ? "repeated requests" : "mixed requests", engine_title(engine),
               instances > 1 ? fmt::format(", {} instances on one database", instances) : "");
  }

  std::vector<unsigned short> ports;
  std::vector<pid_t> pids;
  std::vector<std::string> log_paths;
  const auto stop_all = [&] {
    for (const auto pid : pids)
      kill_child(pid);
  };
  // The first answer: an admin's list of every client, the firm's largest page.
  const auto admin = std::find_if(users.begin(), users.end(), [](const linked_member& u) { return u.admin; });
  if (admin == users.end()) throw std::runtime_error("the firm has no admin");
  std::vector<startup_figures> starts;
  for (int i = 0; i < instances; ++i) {
    const auto port = free_port();
    log_paths.push_back((dir / fmt::format("server{}.log", i + 1)).string());
    const auto first_request = [&](int attempt) {
      return signed_command(port, admin->user_id, "clients all", -1 - attempt);
    };
    // The first instance is started `--starts` times; all but the last start are stopped again.
    const int times = i == 0 ? opt.starts : 1;
    for (int start = 1; start <= times; ++start) {
      const auto spawned = clock_type::now();
      const pid_t pid =
          spawn_child(opt.server, {"serve"},
                      {"PARTNERBOT_DB=" + db_path, fmt::format("PARTNERBOT_LISTEN=127.0.0.1:{}", port),
                       "SLACK_SIGNING_SECRET=" + bench_workspace.signing_secret, "SLACK_BOT_TOKEN=xoxb-bench",
                       "SLACK_API_URL=http://127.0.0.1:9/api/"},
                      log_paths.back());
      pids.push_back(pid);
      const auto up_ms = wait_until_up(port, "/healthz", spawned, 60s);
      if (!up_ms) {
        fmt::print(stderr, "the server did not answer /healthz within 60 s (log: {})\n", log_paths.back());
        stop_all();
        return 1;
      }
      const auto answered = first_answer(port, first_request, spawned, 60s);
      if (!answered) {
        fmt::print(stderr, "the server did not answer its first list within 60 s (log: {})\n",
                   log_paths.back());
        stop_all();
        return 1;
      }
      if (i == 0) {
        starts.push_back({*up_ms, answered->ms, answered->deferred});
        fmt::print("  start {}: {:.1f} ms spawn to /healthz 200, {:.1f} ms spawn to first answer{}\n", start,
                   *up_ms, answered->ms,
                   answered->deferred ? fmt::format(" ({} earlier command(s) answered \"on its way\": over "
                                                    "Slack's deadline, the list sent to response_url later)",
                                                    answered->deferred)
                                      : "");
      }
      if (start < times) {
        int status = 0;
        stop_child(pid, status);
        pids.pop_back();
        if (exit_code(status) != 0) {
          fmt::print(stderr, "the server did not stop cleanly (log: {})\n", log_paths.back());
          stop_all();
          return 1;
        }
      }
    }
    ports.push_back(port);
  }
  const auto port = ports.front();
  const auto model_bytes = metric(port, "partnerbot_read_model_bytes");

  const command_signer sign = [port](const std::string& user_id, const std::string& text, int n) {
    return signed_command(port, user_id, text, n);
  };
  const auto requests =
      opt.repeat ? repeated_requests(sign, users) : mixed_requests(sign, users, names, opt.distinct);
  std::map<std::string, int> kinds;
  for (const auto& r : requests)
    ++kinds[r.kind];
  fmt::print("  {} distinct requests:", requests.size());
  for (const auto& [kind, count] : kinds)
    fmt::print(" {} {};", count, kind);
  fmt::print("\n");

  double slowest_cold_ms = 0;
  const bool valid = check_requests(port, requests, slowest_cold_ms);

  run_figures figures;
  figures.clients = clients;
  figures.engine = engine;
  figures.instances.resize(pids.size());
  // What each server costs while it has nothing to answer (on PostgreSQL:
  // its listening connection and the periodic generation check).
  {
    constexpr auto idle = 2s;
    std::vector<double> before;
    for (const auto pid : pids)
      before.push_back(cpu_seconds(pid));
    std::this_thread::sleep_for(idle);
    for (std::size_t i = 0; i < pids.size(); ++i) {
      figures.instances[i].idle_cpu_ms_per_s =
          (cpu_seconds(pids[i]) - before[i]) * 1e3 / std::chrono::duration<double>(idle).count();
      figures.instances[i].idle_rss = proc_status_field(pids[i], "VmRSS:");
    }
  }

  const auto backends = database.backend_pids();
  const auto allocations_before = metric(port, "partnerbot_heap_allocations_total");
  std::vector<double> cpu_before;
  for (const auto pid : pids)
    cpu_before.push_back(cpu_seconds(pid));
  const double database_cpu_before = sum_cpu_seconds(backends);
  const auto load_started = clock_type::now();
  std::vector<load_result> shares;
  if (pids.size() == 1)
    shares.push_back(run_load(port, requests, opt));
  else
    shares = run_split_load(ports, requests, opt);
  const double load_wall_s = std::chrono::duration<double>(clock_type::now() - load_started).count();
  std::vector<double> cpu;
  for (std::size_t i = 0; i < pids.size(); ++i)
    cpu.push_back(cpu_seconds(pids[i]) - cpu_before[i]);
  const double database_cpu = sum_cpu_seconds(backends) - database_cpu_before;
  auto& result = shares.back();
  const auto allocations_after = metric(port, "partnerbot_heap_allocations_total");
  const auto waited = metric(port, "partnerbot_read_model_built_on_request_total");

  auto& f = figures.partnerbot;
  for (std::size_t i = 0; i < pids.size(); ++i)
    figures.instances[i].peak_rss = proc_status_field(pids[i], "VmHWM:");
  f.peak_rss = figures.instances.front().peak_rss;
  int status = 0;
  double stop_ms = 0;
  bool stopped_cleanly = true;
  for (const auto pid : pids) {
    stop_ms = std::max(stop_ms, stop_child(pid, status));
    stopped_cleanly = stopped_cleanly && exit_code(status) == 0;
  }

  print_load("partnerbot", result, f, true);
  const auto sent = static_cast<double>(std::max<std::size_t>(result.all_requests, 1));
  double cpu_total = 0;
  for (std::size_t i = 0; i < pids.size(); ++i) {
    auto& in = figures.instances[i];
    const auto& share = shares.size() == 1 ? result : shares[i];
    in.rps = static_cast<double>(share.latencies_ns.size()) / share.seconds;
    in.cpu_us_per_request = cpu[i] * 1e6 / static_cast<double>(std::max<std::size_t>(share.all_requests, 1));
    in.cpu_share = cpu[i] / load_wall_s;
    cpu_total += cpu[i];
  }
  f.cpu_us_per_request = cpu_total * 1e6 / sent;
  if (allocations_before && allocations_after && pids.size() == 1)
    f.allocations_per_request = (*allocations_after - *allocations_before) / sent;
  fmt::print("    server CPU  {:.1f} µs per request", f.cpu_us_per_request);
  if (f.allocations_per_request)
    fmt::print(", {:.0f} heap allocations per request", *f.allocations_per_request);
  if (!backends.empty()) {
    figures.database_cpu_us_per_request = database_cpu * 1e6 / sent;
    fmt::print("; PostgreSQL's {} backends {:.1f} µs per request", backends.size(),
               *figures.database_cpu_us_per_request);
  }
  fmt::print("\n");
  for (std::size_t i = 0; i < pids.size(); ++i) {
    const auto& in = figures.instances[i];
    fmt::print("    {}RSS  {} after start, peak {}; idle CPU {:.1f} ms/s",
               pids.size() > 1 ? fmt::format("instance {}: {:.0f} requests/s, {:.1f} µs CPU per request, ",
                                             i + 1, in.rps, in.cpu_us_per_request)
                               : "server ",
               in.idle_rss, in.peak_rss, in.idle_cpu_ms_per_s);
    if (i == 0) fmt::print("; read model {:.1f} MiB", model_bytes.value_or(0) / (1024.0 * 1024.0));
    fmt::print("\n");
  }
  if (waited) fmt::print("    answers that waited for a model to be built: {:.0f}\n", *waited);
  fmt::print("    cold        slowest first answer of a kind {:.3f} ms\n", slowest_cold_ms);
  {
    auto range = [&](auto field) {
      auto [lo, hi] = std::minmax_element(starts.begin(), starts.end(),
                                          [&](const auto& a, const auto& b) { return field(a) < field(b); });
      return starts.size() == 1
                 ? fmt::format("{:.1f} ms", field(*lo))
                 : fmt::format("{:.1f}–{:.1f} ms over {} starts", field(*lo), field(*hi), starts.size());
    };
    fmt::print("    start-up    {} (spawn to /healthz 200)\n",
               range([](const startup_figures& s) { return s.healthz_ms; }));
    fmt::print("                {} (spawn to first answer, an admin's list of every client)\n",
               range([](const startup_figures& s) { return s.first_answer_ms; }));
  }
  fmt::print("    shutdown    {:.1f} ms after SIGTERM, exit status {}\n", stop_ms, stopped_cleanly ? 0 : 1);

  if (opt.bare && with_bare) {
    figures.bare = run_bare(requests, opt, (dir / "bare.log").string());
    if (figures.bare && figures.bare->rps > 0)
      fmt::print("  ratio         partnerbot ÷ bare = {:.1f} % of the bare server's requests/s "
                 "(CPU per request {:.1f}×)\n",
                 100.0 * f.rps / figures.bare->rps, f.cpu_us_per_request / figures.bare->cpu_us_per_request);
  }
  all.push_back(figures);

  remove_scratch_dir(dir);
  return valid && result.errors == 0 && stopped_cleanly ? 0 : 1;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    out.push_back(std::stoi(item));
  return out;
}

const run_figures* find_run(const std::vector<run_figures>& all, int clients, const std::string& engine,
                            std::size_t instances) {
  for (const auto& r : all)
    if (r.clients == clients && r.engine == engine && r.instances.size() == instances) return &r;
  return nullptr;
}

// PostgreSQL's figures as a share of SQLite's, from the same sitting.
void print_engines(const std::vector<run_figures>& all, const options& opt) {
  fmt::print("\n== PostgreSQL ÷ SQLite, {} connections, one instance each\n", opt.connections);
  for (int clients : opt.clients) {
    const auto* lite = find_run(all, clients, "sqlite", 1);
    const auto* pg = find_run(all, clients, "postgresql", 1);
    if (!lite || !pg) continue;
    fmt::print("  {:>7} clients: SQLite {:.0f} requests/s, PostgreSQL {:.0f} requests/s = {:.1f} %; "
               "CPU per request {:.1f} / {:.1f} µs ({:.2f}×); p99 {:.3f} / {:.3f} ms\n",
               clients, lite->partnerbot.rps, pg->partnerbot.rps,
               100.0 * pg->partnerbot.rps / lite->partnerbot.rps, lite->partnerbot.cpu_us_per_request,
               pg->partnerbot.cpu_us_per_request,
               pg->partnerbot.cpu_us_per_request / lite->partnerbot.cpu_us_per_request, lite->partnerbot.p99,
               pg->partnerbot.p99);
  }
}

// Each instance of the split run beside the one instance alone.
void print_instances(const std::vector<run_figures>& all, const options& opt) {
  fmt::print("\n== {} instances on one PostgreSQL database beside one alone, {} connections in all\n",
             opt.instances, opt.connections);
  for (int clients : opt.clients) {
    const auto* one = find_run(all, clients, "postgresql", 1);
    const auto* many = find_run(all, clients, "postgresql", static_cast<std::size_t>(opt.instances));
    if (!one || !many) continue;
    fmt::print("  {} clients       requests/s  CPU µs/request  CPU (cores)  idle CPU ms/s  RSS after start  "
               "peak RSS\n",
               clients);
    const auto row = [](const std::string& who, const instance_figures& in) {
      fmt::print("    {:<16} {:>9.0f}  {:>14.1f}  {:>11.2f}  {:>13.1f}  {:>15}  {:>8}\n", who, in.rps,
                 in.cpu_us_per_request, in.cpu_share, in.idle_cpu_ms_per_s, in.idle_rss, in.peak_rss);
    };
    row("alone", one->instances.front());
    for (std::size_t i = 0; i < many->instances.size(); ++i)
      row(fmt::format("{} of {}", i + 1, many->instances.size()), many->instances[i]);
    fmt::print("    together: {:.0f} requests/s ({:.1f} % of one alone), {:.1f} µs CPU per request ({:.2f}×)",
               many->partnerbot.rps, 100.0 * many->partnerbot.rps / one->partnerbot.rps,
               many->partnerbot.cpu_us_per_request,
               many->partnerbot.cpu_us_per_request / one->partnerbot.cpu_us_per_request);
    if (one->database_cpu_us_per_request && many->database_cpu_us_per_request)
      fmt::print("; PostgreSQL {:.1f} µs per request (alone {:.1f})", *many->database_cpu_us_per_request,
                 *one->database_cpu_us_per_request);
    fmt::print("\n");
  }
}

int run(const options& opt) {
  int rc = 0;
  std::vector<run_figures> all;
  for (int clients : opt.clients) {
    for (const auto& engine : opt.engines)
      rc |= run_one(clients, engine, 1, engine == opt.engines.front(), opt, all);
    if (opt.instances > 1) rc |= run_one(clients, "postgresql", opt.instances, false, opt, all);
  }
  if (opt.clients.size() > 1) {
    const auto& first_engine = opt.engines.front();
    const auto* small = find_run(all, opt.clients.front(), first_engine, 1);
    fmt::print("\n== cost per request from {} to {} clients ({})\n", opt.clients.front(), opt.clients.back(),
               engine_title(first_engine));
    for (int clients : opt.clients)
      if (const auto* r = find_run(all, clients, first_engine, 1); r && small)
        fmt::print(
            "  {:>7} clients: {:.1f} µs server CPU per request ({:.2f}× the first), {:.0f} requests/s\n",
            r->clients, r->partnerbot.cpu_us_per_request,
            r->partnerbot.cpu_us_per_request / small->partnerbot.cpu_us_per_request, r->partnerbot.rps);
  }
  if (opt.engines.size() > 1) print_engines(all, opt);
  if (opt.instances > 1) print_instances(all, opt);
  return rc;
}

} // namespace
} // namespace bench

int main(int argc, char** argv) {
  bench::options opt;
  opt.server = bench::next_to_benchmark(argv[0], "../partnerbot");
  opt.bare_server = bench::next_to_benchmark(argv[0], "bare_server");
  opt.postgres = bench::default_postgres_server();
  const auto read_command_line = [&] {
    bench::parse_options(
        argc, argv,
        {{{"--clients", [&](const std::string& v) { opt.clients = bench::parse_list(v); }},
          {"--connections", bench::into(opt.connections)},
          {"--seconds", bench::into(opt.seconds)},
          {"--distinct", bench::into(opt.distinct)},
          {"--engine", [&](const std::string& v) { opt.engines = bench::parse_engines(v); }},
          {"--postgres", bench::into(opt.postgres)},
          {"--instances", bench::into(opt.instances)},
          {"--starts", bench::into(opt.starts)},
          {"--server", bench::into(opt.server)},
          {"--bare", bench::into(opt.bare_server)}},
         {{"--repeat", [&] { opt.repeat = true; }}, {"--no-bare", [&] { opt.bare = false; }}}});
    if (opt.distinct < 1 || opt.connections < 1 || opt.seconds < 1 || opt.instances < 1 || opt.starts < 1)
      throw std::invalid_argument(
          "--distinct, --connections, --seconds, --instances and --starts must be positive");
    if (opt.instances > opt.connections) throw std::invalid_argument("more --instances than --connections");
    // The split run is set beside one instance alone on the same engine.
    if (opt.instances > 1 &&
        std::find(opt.engines.begin(), opt.engines.end(), "postgresql") == opt.engines.end())
      opt.engines.push_back("postgresql");
    bench::require_postgres_server(opt.engines, opt.postgres);
  };
  return bench::run_benchmark(
      "slack_load",
      "slack_load [--clients 1000,10000] [--connections 32] [--seconds 10] "
      "[--distinct 2000] [--repeat] [--no-bare] [--starts 1] [--engine sqlite,postgresql] "
      "[--postgres URI] [--instances 2] [--server build/partnerbot] "
      "[--bare build/bench/bare_server]",
      read_command_line, [&] { return bench::run(opt); });
}
