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

#include "bot/demo_firm.hpp"
#include "bot/platforms.hpp"
#include "bot/slack/verify.hpp"
#include "store/danish.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <spawn.h>
#include <sstream>
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

constexpr std::string_view signing_secret = "bench-signing-secret";
constexpr std::string_view team_id = "TBENCH";

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

struct slack_user {
  std::string user_id;
  bool admin = false;
};

struct prepared_request {
  std::string kind; // "search broad (admin)", ...
  std::string wire; // the whole HTTP request
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

// The generated firm, with every member linked to a Slack user up front so
// that no users.info call is needed; also the clients' names.
std::string firm_snapshot(int clients, const options& opt, std::vector<slack_user>& users,
                          std::vector<std::string>& names) {
  bot::firm_spec spec;
  spec.partner_id = "p-bench";
  spec.partner_name = "Bench Revision ApS";
  spec.slack_team_id = std::string(team_id);
  spec.clients = clients;
  spec.admins = opt.admins;
  spec.bookkeepers = opt.bookkeepers;
  auto doc = json::parse(bot::generate_snapshot(spec)).as_object();
  int n = 0;
  for (auto& m : doc["members"].as_array()) {
    auto& member = m.as_object();
    const std::string user_id = fmt::format("UB{:05}", ++n);
    member["slack_user_id"] = user_id;
    users.push_back({user_id, member["role"].as_string() == "admin"});
  }
  for (const auto& c : doc["clients"].as_array())
    names.push_back(json::value_to<std::string>(c.at("name")));
  return json::serialize(doc);
}

std::string signed_command(unsigned short port, const std::string& user_id, const std::string& text, int n) {
  const std::string body = fmt::format(
      "token=bench&team_id={}&team_domain=bench&channel_id=CBENCH&channel_name=general&user_id={}"
      "&user_name=bench&command=%2Fpleo&text={}&api_app_id=ABENCH&is_enterprise_install=false"
      "&response_url={}&trigger_id=bench.{}",
      team_id, user_id, percent_encode(text), percent_encode("http://127.0.0.1:9/response/bench"), n);
  const auto timestamp = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  const auto signature = bot::slack::compute_signature(signing_secret, timestamp, body);
  return fmt::format("POST /slack/commands HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUser-Agent: Slackbot 1.0\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nX-Slack-Request-Timestamp: {}\r\n"
                     "X-Slack-Signature: {}\r\nContent-Length: {}\r\n\r\n{}",
                     port, timestamp, signature, body.size(), body);
}

std::string role_of(const slack_user& u) {
  return u.admin ? "admin" : "bookkeeper";
}

// The old set: eight kinds, each from every member (200 distinct requests).
std::vector<prepared_request> repeated_requests(unsigned short port, const std::vector<slack_user>& users) {
  const std::vector<std::pair<std::string, std::string>> commands = {
      {"search broad", "search ApS"},
      {"search narrow", "search ærø cykler"},
      {"clients", "clients"},
      {"clients all missing", "clients all missing"}};
  std::vector<prepared_request> out;
  int n = 0;
  for (const auto& u : users)
    for (const auto& [kind, text] : commands)
      out.push_back({fmt::format("{} ({})", kind, role_of(u)), signed_command(port, u.user_id, text, ++n)});
  return out;
}

// Search fragments as people type them: the start of a word, a word, two
// words, a whole name, a piece from the middle; in any case, sometimes
// without Nordic letters. Each is classed by how much of the firm it finds.
struct fragment {
  std::string text;
  bool broad = false; // matches at least a tenth of the firm
};

std::vector<fragment> search_fragments(const std::vector<std::string>& names, std::mt19937& rnd,
                                       std::size_t want) {
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rnd); };
  std::vector<std::string> folded_ascii, folded;
  for (const auto& n : names) {
    folded_ascii.push_back(store::fold_ascii(n));
    folded.push_back(store::fold_case(n));
  }
  auto matches = [&](const std::string& text) {
    const bool ascii = store::is_ascii(text);
    const auto term = ascii ? store::fold_ascii(text) : store::fold_case(text);
    std::size_t count = 0;
    for (const auto& n : ascii ? folded_ascii : folded)
      count += n.find(term) != std::string::npos;
    return count;
  };
  auto words_of = [](const std::string& name) {
    std::vector<std::string> words;
    std::istringstream in(name);
    for (std::string w; in >> w;)
      words.push_back(w);
    return words;
  };
  auto utf8_prefix = [](const std::string& word, std::size_t chars) {
    std::size_t i = 0, seen = 0;
    while (i < word.size() && seen < chars) {
      ++i;
      while (i < word.size() && (static_cast<unsigned char>(word[i]) & 0xC0) == 0x80)
        ++i;
      ++seen;
    }
    return word.substr(0, i);
  };
  // Broad terms people do type: legal forms and common trades.
  std::vector<std::string> pool{"aps",  "ApS",   "a/s",    "holding",   "Holding ApS", "ab",
                                "gmbh", "i/s",   "bageri", "auto",      "service",     "ærø",
                                "aero", "øster", "oster",  "transport", "kaffe"};
  std::set<std::string> seen(pool.begin(), pool.end());
  while (pool.size() < want) {
    const auto& name = names[pick(names.size())];
    const auto words = words_of(name);
    if (words.empty()) continue;
    std::string text;
    switch (pick(6)) {
    case 0:
      text = utf8_prefix(words[pick(words.size())], 2 + pick(5));
      break;
    case 1:
      text = words[pick(words.size())];
      break;
    case 2: {
      const auto i = pick(words.size());
      text = i + 1 < words.size() ? words[i] + " " + words[i + 1] : words[i];
      break;
    }
    case 3:
      text = name;
      break;
    case 4: {
      const auto folded_name = store::fold_ascii(name);
      const auto at = pick(std::max<std::size_t>(folded_name.size(), 4) - 3);
      text = folded_name.substr(at, 3 + pick(5));
      break;
    }
    default:
      text = store::fold_ascii(words[pick(words.size())]);
      break;
    }
    while (!text.empty() && text.back() == ' ')
      text.pop_back();
    while (!text.empty() && text.front() == ' ')
      text.erase(0, 1);
    if (text.empty()) continue;
    if (pick(3) == 0) text = store::fold_case(text);
    if (seen.insert(text).second) pool.push_back(text);
  }
  std::vector<fragment> out;
  for (auto& text : pool) {
    const auto found = matches(text);
    out.push_back({text, found * 10 >= names.size()});
  }
  return out;
}

// At least `distinct` different (member, text) requests, 70 % searches, 30 %
// from admins, shuffled.
std::vector<prepared_request> mixed_requests(unsigned short port, const std::vector<slack_user>& users,
                                             const std::vector<std::string>& names, int distinct) {
  std::mt19937 rnd(20261127);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rnd); };
  std::vector<const slack_user*> admins, bookkeepers;
  for (const auto& u : users)
    (u.admin ? admins : bookkeepers).push_back(&u);
  const auto fragments = search_fragments(names, rnd, static_cast<std::size_t>(distinct));
  // Every tab, filter and sort a list command takes.
  const std::vector<std::string> lists{"clients",
                                       "clients all",
                                       "clients all desc",
                                       "clients all missing",
                                       "clients all missing desc",
                                       "clients missing desc",
                                       "clients missing",
                                       "clients mine desc",
                                       "clients onboarding",
                                       "clients onboarding missing",
                                       "clients invites",
                                       "clients invites desc",
                                       "missing"};
  auto list_kind = [](const std::string& text) {
    if (text == "missing") return std::string("missing");
    std::istringstream in(text);
    std::string first, second;
    in >> first >> second;
    if (second == "all" || second == "onboarding" || second == "invites") return first + " " + second;
    if (second == "missing") return std::string("clients missing");
    return std::string("clients");
  };

  std::set<std::pair<std::string, std::string>> used;
  std::vector<prepared_request> out;
  int n = 0;
  int attempts = 0;
  while (static_cast<int>(out.size()) < distinct && ++attempts < distinct * 100) {
    const bool admin = pick(100) < 30;
    const auto& who = admin ? *admins[pick(admins.size())] : *bookkeepers[pick(bookkeepers.size())];
    const bool search = pick(100) < 70;
    std::string text, kind;
    if (search) {
      const auto& f = fragments[pick(fragments.size())];
      text = "search " + f.text;
      kind = f.broad ? "search broad" : "search narrow";
    } else {
      text = lists[pick(lists.size())];
      kind = list_kind(text);
    }
    if (!used.emplace(who.user_id, text).second) continue;
    out.push_back({fmt::format("{} ({})", kind, role_of(who)), signed_command(port, who.user_id, text, ++n)});
  }
  std::shuffle(out.begin(), out.end(), rnd);
  return out;
}

unsigned short free_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

pid_t spawn_process(const std::vector<std::string>& args, const std::vector<std::string>& env_extra,
                    const std::string& log) {
  std::vector<std::string> env_strings = env_extra;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("PARTNERBOT_") || entry.starts_with("SLACK_")) continue;
    env_strings.emplace_back(entry);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> arg_strings = args;
  std::vector<char*> argv;
  for (auto& a : arg_strings)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, args.front().c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}: {}", args.front(), std::strerror(rc)));
  return pid;
}

// One GET on a fresh connection; the reply, or nullopt when the server is
// not there (yet).
std::optional<bhttp::response<bhttp::string_body>> fetch(unsigned short port, const std::string& target) {
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(1s);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    return res;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// A sample of a Prometheus text page, or nullopt.
std::optional<double> metric(unsigned short port, const std::string& name) {
  const auto res = fetch(port, "/metrics");
  if (!res) return std::nullopt;
  std::istringstream in(res->body());
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(name + " ")) return std::stod(line.substr(name.size() + 1));
  return std::nullopt;
}

std::string proc_status_field(pid_t pid, std::string_view field) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line))
    if (line.starts_with(field)) {
      auto value = line.substr(field.size() + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
  return "?";
}

// User plus system CPU time the process has used, in seconds.
double cpu_seconds(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  double utime = 0, stime = 0;
  for (int i = 3; fields >> f; ++i) {
    if (i == 14) utime = std::stod(f);
    if (i == 15) {
      stime = std::stod(f);
      break;
    }
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

struct load_result {
  std::vector<std::int64_t> latencies_ns;
  std::map<std::string, std::vector<std::int64_t>> by_kind; // the same latencies per request kind
  std::size_t errors = 0;
  std::size_t bytes = 0;
  std::size_t all_requests = 0; // warm-up included
  double seconds = 0;
};

asio::awaitable<void> client_loop(unsigned short port, const std::vector<prepared_request>& requests,
                                  std::size_t first, std::size_t stride, clock_type::time_point measure_from,
                                  clock_type::time_point end, load_result& out) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                asio::use_awaitable);
  stream.socket().set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  for (std::size_t i = first; clock_type::now() < end; i += stride) {
    const auto& req = requests[i % requests.size()];
    const auto started = clock_type::now();
    stream.expires_after(5s);
    co_await asio::async_write(stream, asio::buffer(req.wire), asio::use_awaitable);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
    const auto finished = clock_type::now();
    ++out.all_requests;
    if (started < measure_from) continue;
    if (parser.get().result_int() != 200) ++out.errors;
    out.bytes += parser.get().body().size();
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(finished - started).count();
    out.latencies_ns.push_back(ns);
    out.by_kind[req.kind].push_back(ns);
  }
}

load_result run_load(unsigned short port, const std::vector<prepared_request>& requests, const options& opt) {
  asio::io_context io(1);
  load_result result;
  result.latencies_ns.reserve(static_cast<std::size_t>(opt.seconds) * 60'000);
  const auto start = clock_type::now();
  const auto measure_from = start + 1s; // warm-up
  const auto end = measure_from + std::chrono::seconds(opt.seconds);
  // Each connection starts at its own place in the list and walks it with
  // the connection count as stride, so every request is sent in turn.
  for (int c = 0; c < opt.connections; ++c)
    asio::co_spawn(io,
                   client_loop(port, requests, static_cast<std::size_t>(c),
                               static_cast<std::size_t>(opt.connections), measure_from, end, result),
                   [&](std::exception_ptr e) {
                     if (!e) return;
                     ++result.errors;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       fmt::print(stderr, "connection failed: {}\n", ex.what());
                     }
                   });
  io.run();
  result.seconds = std::chrono::duration<double>(clock_type::now() - measure_from).count();
  return result;
}

double percentile_ms(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return static_cast<double>(sorted[index]) / 1e6;
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

void stop_process(pid_t pid, int& status, double& stop_ms) {
  const auto stopping = clock_type::now();
  ::kill(pid, SIGTERM);
  ::waitpid(pid, &status, 0);
  stop_ms = std::chrono::duration<double, std::milli>(clock_type::now() - stopping).count();
}

std::optional<double> wait_until_up(unsigned short port, const std::string& target,
                                    clock_type::time_point spawned) {
  while (clock_type::now() - spawned < 30s) {
    if (auto r = fetch(port, target); r && r->result_int() == 200)
      return std::chrono::duration<double, std::milli>(clock_type::now() - spawned).count();
    std::this_thread::sleep_for(1ms);
  }
  return std::nullopt;
}

// The bare server under the same requests; nullopt when it cannot run.
std::optional<server_figures> run_bare(const std::vector<prepared_request>& requests, const options& opt,
                                       const std::string& log_path) {
  const auto port = free_port();
  const auto spawned = clock_type::now();
  const pid_t pid = spawn_process({opt.bare_server, std::to_string(port)}, {}, log_path);
  if (!wait_until_up(port, "/", spawned)) {
    fmt::print(stderr, "the bare server did not answer (log: {})\n", log_path);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return std::nullopt;
  }
  const double cpu_before = cpu_seconds(pid);
  auto result = run_load(port, requests, opt);
  const double cpu = cpu_seconds(pid) - cpu_before;
  server_figures f;
  f.peak_rss = proc_status_field(pid, "VmHWM:");
  int status = 0;
  double stop_ms = 0;
  stop_process(pid, status, stop_ms);
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
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("partnerbot-bench-{}-{}", ::getpid(), clients);
  std::filesystem::create_directories(dir);
  const auto db_path = (dir / "bench.db").string();
  const auto log_path = (dir / "server.log").string();

  std::vector<slack_user> users;
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
      spawn_process({opt.server, "serve"},
                    {"PARTNERBOT_DB=" + db_path, fmt::format("PARTNERBOT_LISTEN=127.0.0.1:{}", port),
                     "SLACK_SIGNING_SECRET=" + std::string(signing_secret), "SLACK_BOT_TOKEN=xoxb-bench",
                     "SLACK_API_URL=http://127.0.0.1:9/api/"},
                    log_path);
  const auto startup_ms = wait_until_up(port, "/healthz", spawned);
  if (!startup_ms) {
    fmt::print(stderr, "the server did not answer /healthz within 30 s (log: {})\n", log_path);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return 1;
  }
  const auto idle_rss = proc_status_field(pid, "VmRSS:");
  const auto model_bytes = metric(port, "partnerbot_read_model_bytes");

  const auto requests =
      opt.repeat ? repeated_requests(port, users) : mixed_requests(port, users, names, opt.distinct);
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
  const auto fallbacks = metric(port, "partnerbot_read_model_fallbacks_total");

  run_figures figures;
  figures.clients = clients;
  auto& f = figures.partnerbot;
  f.peak_rss = proc_status_field(pid, "VmHWM:");
  int status = 0;
  double stop_ms = 0;
  stop_process(pid, status, stop_ms);

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
  if (fallbacks) fmt::print("    answers read from SQLite while no model was ready: {:.0f}\n", *fallbacks);
  fmt::print("    cold        slowest first answer of a kind {:.3f} ms\n", slowest_cold_ms);
  fmt::print("    start-up    {:.1f} ms (spawn to /healthz 200)\n", *startup_ms);
  fmt::print("    shutdown    {:.1f} ms after SIGTERM, exit status {}\n", stop_ms,
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);

  if (opt.bare) {
    figures.bare = run_bare(requests, opt, (dir / "bare.log").string());
    if (figures.bare && figures.bare->rps > 0)
      fmt::print("  ratio         partnerbot ÷ bare = {:.1f} % of the bare server's requests/s "
                 "(CPU per request {:.1f}×)\n",
                 100.0 * f.rps / figures.bare->rps, f.cpu_us_per_request / figures.bare->cpu_us_per_request);
  }
  all.push_back(figures);

  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return valid && result.errors == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    out.push_back(std::stoi(item));
  return out;
}

} // namespace

int main(int argc, char** argv) {
  options opt;
  // The server binary sits one folder up from bench/ in the build tree.
  const auto here = std::filesystem::path(argv[0]).parent_path();
  opt.server = (here / ".." / "partnerbot").lexically_normal().string();
  opt.bare_server = (here / "bare_server").lexically_normal().string();
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--clients")
        opt.clients = parse_list(value());
      else if (arg == "--connections")
        opt.connections = std::stoi(value());
      else if (arg == "--seconds")
        opt.seconds = std::stoi(value());
      else if (arg == "--distinct")
        opt.distinct = std::stoi(value());
      else if (arg == "--repeat")
        opt.repeat = true;
      else if (arg == "--no-bare")
        opt.bare = false;
      else if (arg == "--server")
        opt.server = value();
      else if (arg == "--bare")
        opt.bare_server = value();
      else
        throw std::invalid_argument("unknown option " + arg);
    }
    if (opt.distinct < 1 || opt.connections < 1 || opt.seconds < 1)
      throw std::invalid_argument("--distinct, --connections and --seconds must be positive");
  } catch (const std::exception& e) {
    fmt::print(stderr,
               "slack_load: {}\nusage: slack_load [--clients 1000,10000] [--connections 32] [--seconds 10] "
               "[--distinct 2000] [--repeat] [--no-bare] [--server build/partnerbot] "
               "[--bare build/bench/bare_server]\n",
               e.what());
    return 2;
  }
  int rc = 0;
  std::vector<run_figures> all;
  try {
    for (int clients : opt.clients)
      rc |= run_one(clients, opt, all);
  } catch (const std::exception& e) {
    fmt::print(stderr, "slack_load: {}\n", e.what());
    return 1;
  }
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
