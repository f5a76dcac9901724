// Soak: a steady mix of traffic for a long time against `partnerbot serve`
// (a child process) on the demo firm scaled up, with a digest pass every few
// minutes and an import every ten, while a fake Slack on loopback takes the
// deliveries. Every minute it prints the server's resident memory, open file
// descriptors, outbox depth and the requests that were not answered 200;
// at the end, start against end.
//
//   soak [--minutes 15] [--rate 40] [--clients 10000] [--digest-every 3]
//        [--import-every 10] [--server build/partnerbot]

#include "bench/support/child.hpp"
#include "bench/support/command_line.hpp"
#include "bench/support/http.hpp"
#include "bench/support/slack.hpp"
#include "bot/cli/platform_list.hpp"
#include "handlers/digest_schedule.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"
#include "store/subscriptions.hpp"
#include "support/fake_slack.hpp"
#include "support/slack_signing.hpp"

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace bench {
namespace {

const slack_workspace workspace{"soak", "TSOAK", "CSOAK", "ASOAK", "soak-signing-secret"};

struct options {
  int minutes = 15;
  int rate = 40; // requests a second, all kinds together
  int clients = 10000;
  int digest_every = 3;  // minutes
  int import_every = 10; // minutes
  int connections = 8;
  std::string server;
};

// The demo firm's shape at `clients` clients, every member linked to Slack.
// `round` changes the figures (as a fresh export would) without changing who
// is who.
std::string firm_snapshot(const options& opt, unsigned round, std::vector<linked_member>* members,
                          std::vector<std::string>* client_names) {
  bot::firm_spec spec;
  spec.partner_id = "p-soak";
  spec.partner_name = "Nordlys Revision ApS";
  spec.slack_team_id = workspace.team_id;
  spec.clients = opt.clients;
  auto doc = linked_firm(spec, "US{:04}", members);
  std::mt19937 figures(round);
  for (auto& c : doc["clients"].as_array()) {
    auto& o = c.as_object();
    if (client_names) client_names->emplace_back(o["name"].as_string());
    if (round > 0) o["missing_receipts"] = static_cast<std::int64_t>(figures() % 30);
  }
  return json::serialize(doc);
}

// ---- The server and helper commands as child processes. --------------------

// Runs a helper command to its end; its exit status and how long it took.
std::pair<int, double> run_to_end(const std::string& binary, const std::vector<std::string>& args,
                                  const std::vector<std::string>& env, const std::string& log) {
  const auto started = clock_type::now();
  const pid_t pid = spawn_child(binary, args, env, log);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {exit_code(status), std::chrono::duration<double>(clock_type::now() - started).count()};
}

// ---- Requests. --------------------------------------------------------------

std::string command_request(unsigned short port, const linked_member& m, const std::string& text, int n,
                            const std::string& response_url) {
  return bench::command_request(workspace, port, m.user_id, text, n, response_url);
}

// A control pressed on an ephemeral list, as Slack sends it.
struct control {
  std::string action_id;
  std::string value;
  bool overflow = false;
  std::string user_id; // who was shown it
};

std::string press_request(unsigned short port, const control& c, const std::string& response_url) {
  auto payload = test_support::block_action_payload(workspace.team_id, c.user_id, c.action_id, c.value,
                                                    response_url, c.overflow);
  payload["team"].as_object()["domain"] = workspace.name;
  payload["api_app_id"] = workspace.app_id;
  payload["trigger_id"] = "soak-trigger";
  payload["container"].as_object()["channel_id"] = workspace.channel_id;
  payload["channel"].as_object()["id"] = workspace.channel_id;
  return signed_post(workspace, port, "/slack/interactions", test_support::interaction_body(payload));
}

std::string get_request(unsigned short port, std::string_view target) {
  return fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n", target, port);
}

// Buttons and overflow options (not links) anywhere in a Block Kit reply.
void collect_controls(const json::value& v, const std::string& user_id, std::vector<control>& out) {
  if (v.is_array()) {
    for (const auto& e : v.as_array())
      collect_controls(e, user_id, out);
    return;
  }
  if (!v.is_object()) return;
  const auto& o = v.as_object();
  const auto* type = o.if_contains("type");
  const auto* action_id = o.if_contains("action_id");
  if (type && action_id && action_id->is_string() && !o.contains("url")) {
    if (*type == "button" && o.contains("value"))
      out.push_back(
          {std::string(action_id->as_string()), std::string(o.at("value").as_string()), false, user_id});
    if (*type == "overflow" && o.contains("options"))
      for (const auto& opt : o.at("options").as_array())
        if (opt.as_object().contains("value") && !opt.as_object().contains("url"))
          out.push_back(
              {std::string(action_id->as_string()), std::string(opt.at("value").as_string()), true, user_id});
  }
  for (const auto& [key, child] : o)
    collect_controls(child, user_id, out);
}

// ---- Traffic. ---------------------------------------------------------------

struct tally {
  std::mutex mutex;
  std::map<std::string, std::int64_t> answered;                 // by kind
  std::map<std::pair<std::string, unsigned>, std::int64_t> bad; // (kind, status) not 200
  std::int64_t transport_errors = 0;
  std::vector<std::int64_t> minute_latencies_us;
};

struct traffic {
  const options& opt;
  unsigned short port;
  const std::vector<linked_member>& members;
  const std::vector<std::string>& client_names;
  const test_support::fake_slack& slack;
  tally& stats;
  std::atomic<bool>& stop;
  std::mutex pool_mutex;
  std::vector<control> pool; // controls seen in replies, pressed later
  std::atomic<int> counter{0};

  struct request {
    std::string kind;
    std::string wire;
    std::string user_id; // whose reply it is, for the controls it shows
  };

  // One request of the mix.
  request next(std::mt19937& rng) {
    const int n = ++counter;
    const auto& m = members[rng() % members.size()];
    const auto response_url = slack.response_url(fmt::format("soak-{}", n));
    const int roll = static_cast<int>(rng() % 100);
    if (roll < 10) return {"healthz", get_request(port, "/healthz"), ""};
    if (roll < 15) return {"metrics", get_request(port, "/metrics"), ""};
    if (roll < 40) {
      std::lock_guard lock(pool_mutex);
      if (!pool.empty())
        return {"interaction", press_request(port, pool[rng() % pool.size()], response_url), ""};
    }
    if (roll < 48) {
      const auto& name = client_names[rng() % client_names.size()];
      const char* frequency = (rng() % 3 == 0) ? "off" : "weekly";
      return {"digest setting",
              command_request(port, m, fmt::format("digest {} {}", name, frequency), n, response_url),
              m.user_id};
    }
    static const std::vector<std::string> lists = {
        "clients", "clients all", "clients missing desc", "missing", "clients onboarding", "digests", "help"};
    if (roll < 70) {
      const auto& text = lists[rng() % lists.size()];
      return {"list", command_request(port, m, text, n, response_url), m.user_id};
    }
    const auto& name = client_names[rng() % client_names.size()];
    if (roll < 85) {
      // A fragment of a real name: broad or narrow, never the same twice in a row.
      const auto length = 3 + rng() % 6;
      const auto from = rng() % std::max<std::size_t>(1, name.size() > length ? name.size() - length : 1);
      return {"search", command_request(port, m, "search " + name.substr(from, length), n, response_url),
              m.user_id};
    }
    return {"client card", command_request(port, m, "client " + name, n, response_url), m.user_id};
  }

  void harvest(const std::string& kind, const std::string& body, const std::string& user_id) {
    if (kind != "list" && kind != "search") return;
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec) return;
    std::vector<control> found;
    collect_controls(v, user_id, found);
    std::lock_guard lock(pool_mutex);
    for (auto& c : found) {
      if (pool.size() < 2000)
        pool.push_back(std::move(c));
      else
        pool[static_cast<std::size_t>(counter.load()) % pool.size()] = std::move(c);
    }
  }

  // One keep-alive connection sending its share of the rate on a fixed beat.
  asio::awaitable<void> connection(int index) {
    std::mt19937 rng(static_cast<unsigned>(index) * 7919u + 1u);
    const auto beat = std::chrono::microseconds(1'000'000LL * opt.connections / opt.rate);
    auto due = clock_type::now() + beat * index / opt.connections;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    while (!stop) {
      timer.expires_at(due);
      co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      due += beat;
      auto [kind, wire, user_id] = next(rng);
      const auto started = clock_type::now();
      try {
        if (!stream) {
          stream.emplace(co_await asio::this_coro::executor);
          stream->expires_after(5s);
          co_await stream->async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                         asio::use_awaitable);
          buffer.clear();
        }
        stream->expires_after(10s);
        co_await asio::async_write(*stream, asio::buffer(wire), asio::use_awaitable);
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(16 * 1024 * 1024);
        co_await bhttp::async_read(*stream, buffer, parser, asio::use_awaitable);
        const auto status = parser.get().result_int();
        const auto us =
            std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - started).count();
        {
          std::lock_guard lock(stats.mutex);
          ++stats.answered[kind];
          if (status != 200) ++stats.bad[{kind, status}];
          stats.minute_latencies_us.push_back(us);
        }
        if (status == 200) harvest(kind, parser.get().body(), user_id);
        if (!parser.get().keep_alive()) stream.reset();
      } catch (const std::exception&) {
        std::lock_guard lock(stats.mutex);
        ++stats.transport_errors;
        stream.reset();
      }
    }
  }
};

// partnerbot_outbox_depth from /metrics, or -1.
long outbox_depth(unsigned short port) {
  return static_cast<long>(metric(port, "partnerbot_outbox_depth", 5s).value_or(-1));
}

// The n-th Monday after today at 10:30 UTC: a new digest slot each time.
std::string monday(int n) {
  using namespace std::chrono;
  auto day = floor<days>(system_clock::now()) + days(1);
  while (weekday(day) != Monday)
    day += days(1);
  day += days(7 * n);
  const year_month_day ymd(day);
  return fmt::format("{:04}-{:02}-{:02}T10:30:00Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

int run(const options& opt) {
  const auto dir = make_scratch_dir(fmt::format("partnerbot-soak-{}", ::getpid()));
  const auto db_path = (dir / "soak.db").string();
  const auto log_path = (dir / "server.log").string();
  const auto helper_log = (dir / "helpers.log").string();

  test_support::fake_slack slack;
  std::vector<linked_member> members;
  std::vector<std::string> client_names;
  {
    store::database db(db_path);
    const auto imported =
        bot::import_snapshot(db, firm_snapshot(opt, 0, &members, &client_names), "2026-11-27T09:00:00Z");
    if (!imported.ok) throw std::runtime_error("import failed: " + imported.error);
    // Every member follows 20 clients weekly; the first admin's channel gets the firm digest.
    const auto created = handlers::to_iso(std::chrono::system_clock::now());
    store::subscriptions subs(db);
    for (std::size_t i = 0; i < members.size(); ++i)
      for (int k = 0; k < 20; ++k) {
        // generate_snapshot numbers clients c-<partner>-0001, ...
        const auto c = fmt::format("c-soak-{:04}", 1 + (i * 97 + static_cast<std::size_t>(k) * 31) %
                                                           static_cast<std::size_t>(opt.clients));
        subs.set(store::subscription{members[i].id, c, "", store::frequency::weekly, "slack", created});
      }
    subs.set_channel(store::channel_subscription{"p-soak", "slack", workspace.team_id, "CFIRM",
                                                 store::frequency::weekly, members.front().id, created});
    fmt::print("soak: {} clients, {} members, {} requests/s over {} connections, {} minutes\n",
               imported.clients, imported.members, opt.rate, opt.connections, opt.minutes);
  }

  const auto port = free_port();
  const std::vector<std::string> env = {"PARTNERBOT_DB=" + db_path,
                                        fmt::format("PARTNERBOT_LISTEN=127.0.0.1:{}", port),
                                        "SLACK_SIGNING_SECRET=" + workspace.signing_secret,
                                        "SLACK_BOT_TOKEN=xoxb-soak", "SLACK_API_URL=" + slack.base_url()};
  const pid_t server = spawn_child(opt.server, {"serve"}, env, log_path);
  if (!wait_until_up(port, "/healthz", clock_type::now(), 10s)) {
    kill_child(server);
    throw std::runtime_error("the server did not answer /healthz within 10 s; log: " + log_path);
  }
  const long rss_after_start = proc_status_kib(server, "VmRSS:");
  const long fds_after_start = open_fds(server);

  tally stats;
  std::atomic<bool> stop{false};
  traffic t{opt, port, members, client_names, slack, stats, stop, {}, {}, {}};
  asio::io_context io(1);
  for (int c = 0; c < opt.connections; ++c)
    asio::co_spawn(io, t.connection(c), asio::detached);
  std::thread load([&] { io.run(); });

  const auto started = clock_type::now();
  std::map<std::pair<std::string, unsigned>, std::int64_t> bad_so_far;
  std::int64_t errors_so_far = 0;
  long rss_after_warm_up = -1, fds_after_warm_up = -1;
  std::vector<std::string> helper_failures;
  int digest_runs = 0, imports = 0;
  double digest_seconds = 0, import_seconds = 0;
  fmt::print("{:>6} {:>9} {:>9} {:>9} {:>6} {:>7} {:>8} {:>8}  {}\n", "minute", "requests", "p50 ms",
             "p99 ms", "non200", "RSS MiB", "open fds", "outbox", "events");
  for (int minute = 1; minute <= opt.minutes; ++minute) {
    const auto minute_end = started + std::chrono::minutes(minute);
    std::string events;
    if (opt.digest_every > 0 && minute % opt.digest_every == 0) {
      const auto at = monday(minute / opt.digest_every);
      const auto [rc, seconds] = run_to_end(opt.server, {"digest", "run", "--at", at}, env, helper_log);
      ++digest_runs;
      digest_seconds += seconds;
      events += fmt::format(" digest run --at {} ({:.1f} s, exit {})", at, seconds, rc);
      if (rc != 0) helper_failures.push_back(fmt::format("digest run --at {} exited {}", at, rc));
    }
    if (opt.import_every > 0 && minute % opt.import_every == 0) {
      const auto file = (dir / fmt::format("snapshot-{}.json", minute)).string();
      std::ofstream(file) << firm_snapshot(opt, static_cast<unsigned>(minute), nullptr, nullptr);
      const auto [rc, seconds] = run_to_end(opt.server, {"import", file}, env, helper_log);
      ++imports;
      import_seconds += seconds;
      events += fmt::format(" import ({:.1f} s, exit {})", seconds, rc);
      if (rc != 0) helper_failures.push_back(fmt::format("import at minute {} exited {}", minute, rc));
    }
    std::this_thread::sleep_until(minute_end);

    std::vector<std::int64_t> latencies;
    std::int64_t answered = 0, bad = 0, errors = 0;
    {
      std::lock_guard lock(stats.mutex);
      latencies.swap(stats.minute_latencies_us);
      for (const auto& [key, n] : stats.bad)
        bad += n - bad_so_far[key];
      bad_so_far = stats.bad;
      errors = stats.transport_errors - errors_so_far;
      errors_so_far = stats.transport_errors;
    }
    answered = static_cast<std::int64_t>(latencies.size());
    std::sort(latencies.begin(), latencies.end());
    const auto pct = [&](double p) { return percentile(latencies, p) / 1000.0; };
    const long rss = proc_status_kib(server, "VmRSS:");
    const long fds = open_fds(server);
    if (minute == 1) {
      rss_after_warm_up = rss;
      fds_after_warm_up = fds;
    }
    fmt::print("{:>6} {:>9} {:>9.2f} {:>9.2f} {:>6} {:>7.1f} {:>8} {:>8} {}\n", minute, answered, pct(0.5),
               pct(0.99), bad + errors, static_cast<double>(rss) / 1024.0, fds, outbox_depth(port), events);
    std::fflush(stdout);
  }
  stop = true;
  load.join();

  const long rss_end = proc_status_kib(server, "VmRSS:");
  const long peak = proc_status_kib(server, "VmHWM:");
  const long fds_end = open_fds(server);
  const long depth_end = outbox_depth(port);
  int status = 0;
  stop_child(server, status);

  std::int64_t total = 0, bad_total = 0;
  fmt::print("\nrequests answered, by kind:");
  for (const auto& [kind, n] : stats.answered) {
    fmt::print(" {} {}", kind, n);
    total += n;
  }
  fmt::print("\nnot 200:");
  for (const auto& [key, n] : stats.bad) {
    fmt::print(" {} {}: {}", key.first, key.second, n);
    bad_total += n;
  }
  if (stats.bad.empty()) fmt::print(" none");
  fmt::print("\ntransport errors: {}\n", stats.transport_errors);
  std::map<std::string, int> copies;
  for (const auto& call : slack.calls_to("chat.postMessage"))
    ++copies[json::serialize(call.body.at("channel")) + json::serialize(call.body.at("text"))];
  int repeated = 0;
  for (const auto& [key, n] : copies)
    repeated += n > 1 ? n - 1 : 0;
  fmt::print("fake Slack: {} messages posted ({} repeated), {} response_url posts\n",
             slack.calls_to("chat.postMessage").size(), repeated, slack.calls_to("response").size());
  fmt::print("digest runs: {} ({:.1f} s on average); imports: {} ({:.1f} s on average)\n", digest_runs,
             digest_runs ? digest_seconds / digest_runs : 0.0, imports,
             imports ? import_seconds / imports : 0.0);
  for (const auto& f : helper_failures)
    fmt::print("  {}\n", f);
  fmt::print("server RSS: {:.1f} MiB after start, {:.1f} MiB after the first minute, {:.1f} MiB at the end "
             "({:+.1f} % since the first minute), peak {:.1f} MiB\n",
             rss_after_start / 1024.0, rss_after_warm_up / 1024.0, rss_end / 1024.0,
             100.0 * static_cast<double>(rss_end - rss_after_warm_up) /
                 static_cast<double>(rss_after_warm_up),
             peak / 1024.0);
  fmt::print("open fds: {} after start, {} after the first minute, {} at the end\n", fds_after_start,
             fds_after_warm_up, fds_end);
  fmt::print("outbox depth at the end: {}\n", depth_end);
  fmt::print("server exit status: {}\n", exit_code(status));

  remove_scratch_dir(dir);
  return bad_total == 0 && stats.transport_errors == 0 && helper_failures.empty() && exit_code(status) == 0
             ? 0
             : 1;
}

} // namespace
} // namespace bench

int main(int argc, char** argv) {
  bench::options opt;
  opt.server = bench::next_to_benchmark(argv[0], "../partnerbot");
  const auto read_command_line = [&] {
    bench::parse_options(argc, argv,
                         {{{"--minutes", bench::into(opt.minutes)},
                           {"--rate", bench::into(opt.rate)},
                           {"--clients", bench::into(opt.clients)},
                           {"--digest-every", bench::into(opt.digest_every)},
                           {"--import-every", bench::into(opt.import_every)},
                           {"--connections", bench::into(opt.connections)},
                           {"--server", bench::into(opt.server)}},
                          {}});
    if (opt.minutes < 1 || opt.rate < 1 || opt.connections < 1 || opt.clients < 1)
      throw std::invalid_argument("--minutes, --rate, --connections and --clients must be at least 1");
  };
  return bench::run_benchmark("soak",
                              "soak [--minutes 15] [--rate 40] [--clients 10000] [--digest-every 3] "
                              "[--import-every 10] [--connections 8] [--server build/partnerbot]",
                              read_command_line, [&] { return bench::run(opt); });
}
