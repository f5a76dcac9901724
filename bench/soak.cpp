// Soak: a steady mix of traffic for a long time against `partnerbot serve`
// (a child process) on the demo firm scaled up, with a digest pass every few
// minutes and an import every ten, while a fake Slack on loopback takes the
// deliveries. Every minute it prints the server's resident memory, open file
// descriptors, outbox depth and the requests that were not answered 200;
// at the end, start against end.
//
//   soak [--minutes 15] [--rate 40] [--clients 10000] [--digest-every 3]
//        [--import-every 10] [--server build/partnerbot]

#include "bot/demo_firm.hpp"
#include "bot/platforms.hpp"
#include "bot/slack/verify.hpp"
#include "handlers/digest_schedule.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"
#include "store/subscriptions.hpp"
#include "support/fake_slack.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::string_view signing_secret = "soak-signing-secret";
constexpr std::string_view team_id = "TSOAK";

struct options {
  int minutes = 15;
  int rate = 40; // requests a second, all kinds together
  int clients = 10000;
  int digest_every = 3;  // minutes
  int import_every = 10; // minutes
  int connections = 8;
  std::string server;
};

struct member {
  std::string id;
  std::string user_id;
  bool admin = false;
};

std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// The demo firm's shape at `clients` clients, every member linked to Slack.
// `round` changes the figures (as a fresh export would) without changing who
// is who.
std::string firm_snapshot(const options& opt, unsigned round, std::vector<member>* members,
                          std::vector<std::string>* client_names) {
  bot::firm_spec spec;
  spec.partner_id = "p-soak";
  spec.partner_name = "Nordlys Revision ApS";
  spec.slack_team_id = std::string(team_id);
  spec.clients = opt.clients;
  auto doc = json::parse(bot::generate_snapshot(spec)).as_object();
  int n = 0;
  for (auto& m : doc["members"].as_array()) {
    auto& o = m.as_object();
    const std::string user_id = fmt::format("US{:04}", ++n);
    o["slack_user_id"] = user_id;
    if (members)
      members->push_back({std::string(o["id"].as_string()), user_id, o["role"].as_string() == "admin"});
  }
  std::mt19937 figures(round);
  for (auto& c : doc["clients"].as_array()) {
    auto& o = c.as_object();
    if (client_names) client_names->emplace_back(o["name"].as_string());
    if (round > 0) o["missing_receipts"] = static_cast<std::int64_t>(figures() % 30);
  }
  return json::serialize(doc);
}

// ---- The server and helper commands as child processes. --------------------

pid_t spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::vector<std::string>& env, const std::string& log) {
  std::vector<std::string> env_strings = env;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("PARTNERBOT_") || entry.starts_with("SLACK_")) continue;
    env_strings.emplace_back(entry);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> arg_strings{binary};
  arg_strings.insert(arg_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : arg_strings)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}: {}", binary, std::strerror(rc)));
  return pid;
}

// Runs a helper command to its end; its exit status and how long it took.
std::pair<int, double> run_to_end(const std::string& binary, const std::vector<std::string>& args,
                                  const std::vector<std::string>& env, const std::string& log) {
  const auto started = clock_type::now();
  const pid_t pid = spawn(binary, args, env, log);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1,
          std::chrono::duration<double>(clock_type::now() - started).count()};
}

long proc_status_kib(pid_t pid, std::string_view field) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(field)) return std::stol(line.substr(field.size() + 1));
  return -1;
}

long open_fds(pid_t pid) {
  long n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(fmt::format("/proc/{}/fd", pid), ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

unsigned short free_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

// ---- Requests. --------------------------------------------------------------

std::string signed_post(unsigned short port, std::string_view path, const std::string& body) {
  const auto timestamp = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  return fmt::format(
      "POST {} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "X-Slack-Request-Timestamp: {}\r\nX-Slack-Signature: {}\r\nContent-Length: {}\r\n\r\n{}",
      path, port, timestamp, bot::slack::compute_signature(signing_secret, timestamp, body), body.size(),
      body);
}

std::string command_request(unsigned short port, const member& m, const std::string& text, int n,
                            const std::string& response_url) {
  const auto body = fmt::format("token=soak&team_id={}&team_domain=soak&channel_id=CSOAK&channel_name=general"
                                "&user_id={}&user_name=soak&command=%2Fpleo&text={}&api_app_id=ASOAK"
                                "&response_url={}&trigger_id=soak.{}",
                                team_id, m.user_id, percent_encode(text), percent_encode(response_url), n);
  return signed_post(port, "/slack/commands", body);
}

// A control pressed on an ephemeral list, as Slack sends it.
struct control {
  std::string action_id;
  std::string value;
  bool overflow = false;
  std::string user_id; // who was shown it
};

std::string press_request(unsigned short port, const control& c, const std::string& response_url) {
  json::object action{{"action_id", c.action_id}, {"block_id", "b1"}, {"action_ts", "1700000000.000001"}};
  if (c.overflow) {
    action["type"] = "overflow";
    action["selected_option"] = {{"text", {{"type", "plain_text"}, {"text", "item"}}}, {"value", c.value}};
  } else {
    action["type"] = "button";
    action["value"] = c.value;
  }
  const json::object payload{
      {"type", "block_actions"},
      {"team", {{"id", team_id}, {"domain", "soak"}}},
      {"user", {{"id", c.user_id}, {"team_id", team_id}}},
      {"api_app_id", "ASOAK"},
      {"trigger_id", "soak-trigger"},
      {"container", {{"type", "message"}, {"channel_id", "CSOAK"}, {"is_ephemeral", true}}},
      {"channel", {{"id", "CSOAK"}, {"name", "general"}}},
      {"response_url", response_url},
      {"actions", json::array{action}}};
  return signed_post(port, "/slack/interactions", "payload=" + percent_encode(json::serialize(payload)));
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
  const std::vector<member>& members;
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
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(5s);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/metrics", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    const auto& text = res.body();
    constexpr std::string_view name = "\npartnerbot_outbox_depth ";
    const auto at = text.find(name);
    return at == std::string::npos ? -1 : std::stol(text.substr(at + name.size()));
  } catch (const std::exception&) {
    return -1;
  }
}

bool healthy(unsigned short port) {
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(1s);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/healthz", 11};
    req.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    return res.result_int() == 200;
  } catch (const std::exception&) {
    return false;
  }
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
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("partnerbot-soak-{}", ::getpid());
  std::filesystem::create_directories(dir);
  const auto db_path = (dir / "soak.db").string();
  const auto log_path = (dir / "server.log").string();
  const auto helper_log = (dir / "helpers.log").string();

  test_support::fake_slack slack;
  std::vector<member> members;
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
    subs.set_channel(store::channel_subscription{"p-soak", "slack", std::string(team_id), "CFIRM",
                                                 store::frequency::weekly, members.front().id, created});
    fmt::print("soak: {} clients, {} members, {} requests/s over {} connections, {} minutes\n",
               imported.clients, imported.members, opt.rate, opt.connections, opt.minutes);
  }

  const auto port = free_port();
  const std::vector<std::string> env = {"PARTNERBOT_DB=" + db_path,
                                        fmt::format("PARTNERBOT_LISTEN=127.0.0.1:{}", port),
                                        "SLACK_SIGNING_SECRET=" + std::string(signing_secret),
                                        "SLACK_BOT_TOKEN=xoxb-soak", "SLACK_API_URL=" + slack.base_url()};
  const pid_t server = spawn(opt.server, {"serve"}, env, log_path);
  const auto spawned = clock_type::now();
  while (!healthy(port)) {
    if (clock_type::now() - spawned > 10s) {
      ::kill(server, SIGKILL);
      throw std::runtime_error("the server did not answer /healthz within 10 s; log: " + log_path);
    }
    std::this_thread::sleep_for(10ms);
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
    const auto pct = [&](double p) {
      return latencies.empty()
                 ? 0.0
                 : static_cast<double>(
                       latencies[static_cast<std::size_t>(p * static_cast<double>(latencies.size() - 1))]) /
                       1000.0;
    };
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
  ::kill(server, SIGTERM);
  int status = 0;
  ::waitpid(server, &status, 0);

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
  fmt::print("server exit status: {}\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return bad_total == 0 && stats.transport_errors == 0 && helper_failures.empty() && WIFEXITED(status) &&
                 WEXITSTATUS(status) == 0
             ? 0
             : 1;
}

} // namespace

int main(int argc, char** argv) {
  options opt;
  // The server binary sits one folder up from bench/ in the build tree.
  opt.server =
      (std::filesystem::path(argv[0]).parent_path() / ".." / "partnerbot").lexically_normal().string();
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--minutes")
        opt.minutes = std::stoi(value());
      else if (arg == "--rate")
        opt.rate = std::stoi(value());
      else if (arg == "--clients")
        opt.clients = std::stoi(value());
      else if (arg == "--digest-every")
        opt.digest_every = std::stoi(value());
      else if (arg == "--import-every")
        opt.import_every = std::stoi(value());
      else if (arg == "--connections")
        opt.connections = std::stoi(value());
      else if (arg == "--server")
        opt.server = value();
      else
        throw std::invalid_argument("unknown option " + arg);
    }
    if (opt.minutes < 1 || opt.rate < 1 || opt.connections < 1 || opt.clients < 1)
      throw std::invalid_argument("--minutes, --rate, --connections and --clients must be at least 1");
  } catch (const std::exception& e) {
    fmt::print(stderr,
               "soak: {}\nusage: soak [--minutes 15] [--rate 40] [--clients 10000] [--digest-every 3] "
               "[--import-every 10] [--connections 8] [--server build/partnerbot]\n",
               e.what());
    return 2;
  }
  try {
    return run(opt);
  } catch (const std::exception& e) {
    fmt::print(stderr, "soak: {}\n", e.what());
    return 1;
  }
}
