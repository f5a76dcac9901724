// Load generator for the Slack slash-command path: imports a generated firm
// into a temporary database, starts `partnerbot serve` as a child process,
// replays pre-signed /slack/commands requests over keep-alive connections
// and prints throughput, latency percentiles, the server's peak RSS and its
// start-up time.
//
//   slack_load [--clients 1000,10000] [--connections 32] [--seconds 10]
//              [--server build/partnerbot]

#include "bot/platforms.hpp"
#include "bot/slack/verify.hpp"
#include "store/database.hpp"
#include "bot/demo_firm.hpp"
#include "store/snapshot.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

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
  std::string server;
};

struct slack_user {
  std::string user_id;
  bool admin = false;
};

struct prepared_request {
  std::string kind; // "search broad", ...
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
// that no users.info call is needed.
std::string firm_snapshot(int clients, const options& opt, std::vector<slack_user>& users) {
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
  return json::serialize(doc);
}

std::string signed_command(unsigned short port, const std::string& user_id, const std::string& text, int n) {
  const std::string body = fmt::format(
      "token=bench&team_id={}&team_domain=bench&channel_id=CBENCH&channel_name=general&user_id={}"
      "&user_name=bench&command=%2Fpleo&text={}&api_app_id=ABENCH&is_enterprise_install=false"
      "&response_url={}&trigger_id=bench.{}",
      team_id, user_id, percent_encode(text), percent_encode("http://127.0.0.1:9/response/bench"), n);
  const auto timestamp =
      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count());
  const auto signature = bot::slack::compute_signature(signing_secret, timestamp, body);
  return fmt::format("POST /slack/commands HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nUser-Agent: Slackbot 1.0\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nX-Slack-Request-Timestamp: {}\r\n"
                     "X-Slack-Signature: {}\r\nContent-Length: {}\r\n\r\n{}",
                     port, timestamp, signature, body.size(), body);
}

std::vector<prepared_request> prepare_requests(unsigned short port, const std::vector<slack_user>& users) {
  // Broad matches most of the firm, narrow one or two clients.
  const std::vector<std::pair<std::string, std::string>> commands = {{"search broad", "search ApS"},
                                                                     {"search narrow", "search ærø cykler"},
                                                                     {"clients", "clients"},
                                                                     {"clients all missing", "clients all missing"}};
  std::vector<prepared_request> out;
  int n = 0;
  for (const auto& u : users)
    for (const auto& [kind, text] : commands)
      out.push_back({fmt::format("{} ({})", kind, u.admin ? "admin" : "bookkeeper"),
                     signed_command(port, u.user_id, text, ++n)});
  return out;
}

unsigned short free_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

pid_t spawn_server(const std::string& binary, const std::vector<std::string>& env_extra, const std::string& log) {
  std::vector<std::string> env_strings = env_extra;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("PARTNERBOT_") || entry.starts_with("SLACK_")) continue;
    env_strings.emplace_back(entry);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string arg0 = binary, arg1 = "serve";
  char* argv[] = {arg0.data(), arg1.data(), nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}: {}", binary, std::strerror(rc)));
  return pid;
}

// One request on a fresh connection; the status, or nullopt when the
// server is not there (yet).
std::optional<int> probe(unsigned short port, const std::string& target) {
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
    return res.result_int();
  } catch (const std::exception&) {
    return std::nullopt;
  }
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

struct load_result {
  std::vector<std::int64_t> latencies_ns;
  std::map<std::string, std::vector<std::int64_t>> by_kind; // the same latencies per request kind
  std::size_t errors = 0;
  std::size_t bytes = 0;
  double seconds = 0;
};

asio::awaitable<void> client_loop(unsigned short port, const std::vector<prepared_request>& requests, std::size_t first,
                                  std::size_t stride, clock_type::time_point measure_from,
                                  clock_type::time_point end, load_result& out) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), asio::use_awaitable);
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
  result.latencies_ns.reserve(static_cast<std::size_t>(opt.seconds) * 50'000);
  const auto start = clock_type::now();
  const auto measure_from = start + 1s; // warm-up
  const auto end = measure_from + std::chrono::seconds(opt.seconds);
  for (int c = 0; c < opt.connections; ++c)
    asio::co_spawn(io,
                   client_loop(port, requests, static_cast<std::size_t>(c) * 7919,
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

double percentile_ms(std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return static_cast<double>(sorted[index]) / 1e6;
}

// Each kind once, checked: the server must answer with a real Block Kit list.
// These are the first requests after start-up, so their time is the cold
// cost (no cached answer, statements not yet prepared).
bool check_requests(unsigned short port, const std::vector<prepared_request>& requests) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(10s);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  std::vector<std::string> seen;
  bool ok = true;
  for (const auto& req : requests) {
    if (std::find(seen.begin(), seen.end(), req.kind) != seen.end()) continue;
    seen.push_back(req.kind);
    const auto started = clock_type::now();
    asio::write(stream, asio::buffer(req.wire));
    beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(stream, buffer, res);
    const double cold_ms = std::chrono::duration<double, std::milli>(clock_type::now() - started).count();
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
    fmt::print("  {:<34} {} {:>6} bytes {:>7.3f} ms cold  {}\n", req.kind, res.result_int(), res.body().size(), cold_ms,
               summary);
  }
  return ok;
}

int run_one(int clients, const options& opt) {
  const auto dir = std::filesystem::temp_directory_path() /
                   fmt::format("partnerbot-bench-{}-{}", ::getpid(), clients);
  std::filesystem::create_directories(dir);
  const auto db_path = (dir / "bench.db").string();
  const auto log_path = (dir / "server.log").string();

  std::vector<slack_user> users;
  {
    const auto snapshot = firm_snapshot(clients, opt, users);
    store::database db(db_path);
    const auto imported = bot::import_snapshot(db, snapshot, "2026-11-27T09:00:00Z");
    if (!imported.ok) throw std::runtime_error("import failed: " + imported.error);
    fmt::print("\n== {} clients, {} members ({} admins), {} connections, {} s\n", imported.clients,
               imported.members, opt.admins, opt.connections, opt.seconds);
  }

  const auto port = free_port();
  const auto spawned = clock_type::now();
  const pid_t pid = spawn_server(opt.server,
                                 {"PARTNERBOT_DB=" + db_path, fmt::format("PARTNERBOT_LISTEN=127.0.0.1:{}", port),
                                  "SLACK_SIGNING_SECRET=" + std::string(signing_secret),
                                  "SLACK_BOT_TOKEN=xoxb-bench", "SLACK_API_URL=http://127.0.0.1:9/api/"},
                                 log_path);
  std::optional<double> startup_ms;
  while (clock_type::now() - spawned < 10s) {
    if (probe(port, "/healthz") == 200) {
      startup_ms = std::chrono::duration<double, std::milli>(clock_type::now() - spawned).count();
      break;
    }
    std::this_thread::sleep_for(1ms);
  }
  int exit_code = 1;
  if (!startup_ms) {
    fmt::print(stderr, "the server did not answer /healthz within 10 s (log: {})\n", log_path);
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return exit_code;
  }
  const auto idle_rss = proc_status_field(pid, "VmRSS:");

  const auto requests = prepare_requests(port, users);
  const bool valid = check_requests(port, requests);
  auto result = run_load(port, requests, opt);
  const auto peak_rss = proc_status_field(pid, "VmHWM:");

  const auto stopping = clock_type::now();
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const double stop_ms = std::chrono::duration<double, std::milli>(clock_type::now() - stopping).count();

  std::sort(result.latencies_ns.begin(), result.latencies_ns.end());
  const double rps = static_cast<double>(result.latencies_ns.size()) / result.seconds;
  fmt::print("  requests      {} in {:.1f} s, {} errors, {:.0f} bytes/response on average\n",
             result.latencies_ns.size(), result.seconds, result.errors,
             result.latencies_ns.empty() ? 0.0
                                         : static_cast<double>(result.bytes) /
                                               static_cast<double>(result.latencies_ns.size()));
  fmt::print("  throughput    {:.0f} requests/s\n", rps);
  fmt::print("  latency       p50 {:.3f} ms, p90 {:.3f} ms, p99 {:.3f} ms, max {:.3f} ms\n",
             percentile_ms(result.latencies_ns, 0.50), percentile_ms(result.latencies_ns, 0.90),
             percentile_ms(result.latencies_ns, 0.99), percentile_ms(result.latencies_ns, 1.0));
  for (auto& [kind, ns] : result.by_kind) {
    std::sort(ns.begin(), ns.end());
    fmt::print("    {:<34} p50 {:.3f} ms, p99 {:.3f} ms ({} requests)\n", kind, percentile_ms(ns, 0.50),
               percentile_ms(ns, 0.99), ns.size());
  }
  fmt::print("  server RSS    {} after start, peak {}\n", idle_rss, peak_rss);
  fmt::print("  start-up      {:.1f} ms (spawn to /healthz 200)\n", *startup_ms);
  fmt::print("  shutdown      {:.1f} ms after SIGTERM, exit status {}\n", stop_ms,
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);

  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  exit_code = valid && result.errors == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
  return exit_code;
}

std::vector<int> parse_list(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoi(item));
  return out;
}

} // namespace

int main(int argc, char** argv) {
  options opt;
  // The server binary sits one folder up from bench/ in the build tree.
  opt.server = (std::filesystem::path(argv[0]).parent_path() / ".." / "partnerbot").lexically_normal().string();
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
      else if (arg == "--server")
        opt.server = value();
      else
        throw std::invalid_argument("unknown option " + arg);
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "slack_load: {}\nusage: slack_load [--clients 1000,10000] [--connections 32] "
                       "[--seconds 10] [--server build/partnerbot]\n",
               e.what());
    return 2;
  }
  int rc = 0;
  try {
    for (int clients : opt.clients) rc |= run_one(clients, opt);
  } catch (const std::exception& e) {
    fmt::print(stderr, "slack_load: {}\n", e.what());
    return 1;
  }
  return rc;
}
