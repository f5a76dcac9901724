// Load generator for the Slack slash-command path: imports a generated firm
// into a temporary database, starts `partnerbot serve` as a child process,
// replays pre-signed /slack/commands requests over keep-alive connections
// and prints throughput, latency percentiles, the server's CPU time,
// allocations and peak RSS per request, and its start-up time.
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
//   slack_load [--clients 1000,10000] [--connections 32] [--seconds 10]
//              [--distinct 2000] [--repeat] [--no-bare]
//              [--server build/partnerbot] [--bare build/bench/bare_server]

#include "bench/support/child.hpp"
#include "bench/support/command_line.hpp"
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
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
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

struct load_result {
  std::vector<std::int64_t> latencies_ns;
  std::map<std::string, std::vector<std::int64_t>> by_kind; // the same latencies per request kind
  std::size_t errors = 0;
  std::size_t bytes = 0;
  std::size_t all_requests = 0; // warm-up included
  double seconds = 0;
};

load_result run_load(unsigned short port, const std::vector<prepared_request>& requests, const options& opt) {
  load_result result;
  result.latencies_ns.reserve(static_cast<std::size_t>(opt.seconds) * 60'000);
  const auto start = clock_type::now();
  const auto measure_from = start + 1s; // warm-up
  // Each connection starts at its own place in the list and walks it with
  // the connection count as stride, so every request is sent in turn.
  const load_plan plan{opt.connections, 1, measure_from + std::chrono::seconds(opt.seconds), 5s};
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
  return result;
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

struct run_figures {
  int clients = 0;
  server_figures partnerbot;
  std::optional<server_figures> bare;
};

int run_one(int clients, const options& opt, std::vector<run_figures>& all) {
  const auto dir = make_scratch_dir(fmt::format("partnerbot-bench-{}-{}", ::getpid(), clients));
  const auto db_path = (dir / "bench.db").string();
  const auto log_path = (dir / "server.log").string();

  std::vector<linked_member> users;
  std::vector<std::string> names;
  {
    const auto snapshot = firm_snapshot(clients, opt, users, names);
    store::database db(db_path);
    const auto imported = bot::import_snapshot(db, snapshot, "2026-11-27T09:00:00Z");
    if (!imported.ok) throw std::runtime_error("import failed: " + imported.error);
    fmt::print("\n== {} clients, {} members ({} admins), {} connections, {} s, {}\n", imported.clients,
               imported.members, opt.admins, opt.connections, opt.seconds,
               opt.repeat ? "repeated requests" : "mixed requests");
  }

  const auto port = free_port();
  const auto spawned = clock_type::now();
  const pid_t pid =
      spawn_child(opt.server, {"serve"},
                  {"PARTNERBOT_DB=" + db_path, fmt::format("PARTNERBOT_LISTEN=127.0.0.1:{}", port),
                   "SLACK_SIGNING_SECRET=" + bench_workspace.signing_secret, "SLACK_BOT_TOKEN=xoxb-bench",
                   "SLACK_API_URL=http://127.0.0.1:9/api/"},
                  log_path);
  const auto startup_ms = wait_until_up(port, "/healthz", spawned, 30s);
  if (!startup_ms) {
    fmt::print(stderr, "the server did not answer /healthz within 30 s (log: {})\n", log_path);
    kill_child(pid);
    return 1;
  }
  const auto idle_rss = proc_status_field(pid, "VmRSS:");
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
  const auto allocations_before = metric(port, "partnerbot_heap_allocations_total");
  const double cpu_before = cpu_seconds(pid);
  auto result = run_load(port, requests, opt);
  const double cpu = cpu_seconds(pid) - cpu_before;
  const auto allocations_after = metric(port, "partnerbot_heap_allocations_total");
  const auto waited = metric(port, "partnerbot_read_model_built_on_request_total");

  run_figures figures;
  figures.clients = clients;
  auto& f = figures.partnerbot;
  f.peak_rss = proc_status_field(pid, "VmHWM:");
  int status = 0;
  const double stop_ms = stop_child(pid, status);

  print_load("partnerbot", result, f, true);
  const auto sent = static_cast<double>(std::max<std::size_t>(result.all_requests, 1));
  f.cpu_us_per_request = cpu * 1e6 / sent;
  if (allocations_before && allocations_after)
    f.allocations_per_request = (*allocations_after - *allocations_before) / sent;
  fmt::print("    server CPU  {:.1f} µs per request", f.cpu_us_per_request);
  if (f.allocations_per_request)
    fmt::print(", {:.0f} heap allocations per request", *f.allocations_per_request);
  fmt::print("\n    server RSS  {} after start, peak {}; read model {:.1f} MiB\n", idle_rss, f.peak_rss,
             model_bytes.value_or(0) / (1024.0 * 1024.0));
  if (waited) fmt::print("    answers that waited for a model to be built: {:.0f}\n", *waited);
  fmt::print("    cold        slowest first answer of a kind {:.3f} ms\n", slowest_cold_ms);
  fmt::print("    start-up    {:.1f} ms (spawn to /healthz 200)\n", *startup_ms);
  fmt::print("    shutdown    {:.1f} ms after SIGTERM, exit status {}\n", stop_ms, exit_code(status));

  if (opt.bare) {
    figures.bare = run_bare(requests, opt, (dir / "bare.log").string());
    if (figures.bare && figures.bare->rps > 0)
      fmt::print("  ratio         partnerbot ÷ bare = {:.1f} % of the bare server's requests/s "
                 "(CPU per request {:.1f}×)\n",
                 100.0 * f.rps / figures.bare->rps, f.cpu_us_per_request / figures.bare->cpu_us_per_request);
  }
  all.push_back(figures);

  remove_scratch_dir(dir);
  return valid && result.errors == 0 && exit_code(status) == 0 ? 0 : 1;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    out.push_back(std::stoi(item));
  return out;
}

int run(const options& opt) {
  int rc = 0;
  std::vector<run_figures> all;
  for (int clients : opt.clients)
    rc |= run_one(clients, opt, all);
  if (all.size() > 1) {
    const auto& small = all.front();
    fmt::print("\n== cost per request from {} to {} clients\n", small.clients, all.back().clients);
    for (const auto& r : all)
      fmt::print("  {:>7} clients: {:.1f} µs server CPU per request ({:.2f}× the first), {:.0f} requests/s\n",
                 r.clients, r.partnerbot.cpu_us_per_request,
                 r.partnerbot.cpu_us_per_request / small.partnerbot.cpu_us_per_request, r.partnerbot.rps);
  }
  return rc;
}

} // namespace
} // namespace bench

int main(int argc, char** argv) {
  bench::options opt;
  opt.server = bench::next_to_benchmark(argv[0], "../partnerbot");
  opt.bare_server = bench::next_to_benchmark(argv[0], "bare_server");
  const auto read_command_line = [&] {
    bench::parse_options(
        argc, argv,
        {{{"--clients", [&](const std::string& v) { opt.clients = bench::parse_list(v); }},
          {"--connections", bench::into(opt.connections)},
          {"--seconds", bench::into(opt.seconds)},
          {"--distinct", bench::into(opt.distinct)},
          {"--server", bench::into(opt.server)},
          {"--bare", bench::into(opt.bare_server)}},
         {{"--repeat", [&] { opt.repeat = true; }}, {"--no-bare", [&] { opt.bare = false; }}}});
    if (opt.distinct < 1 || opt.connections < 1 || opt.seconds < 1)
      throw std::invalid_argument("--distinct, --connections and --seconds must be positive");
  };
  return bench::run_benchmark("slack_load",
                              "slack_load [--clients 1000,10000] [--connections 32] [--seconds 10] "
                              "[--distinct 2000] [--repeat] [--no-bare] [--server build/partnerbot] "
                              "[--bare build/bench/bare_server]",
                              read_command_line, [&] { return bench::run(opt); });
}
