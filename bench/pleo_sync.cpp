// Benchmark of the Pleo connector against the tests' fake Pleo API on
// loopback (in this process, its own thread):
//
//  1. `partnerbot sync` (a child process) for N clients x M accounting
//     entries each: wall time, requests made, the child's peak RSS.
//  2. `partnerbot serve` with signed /slack/commands (/pleo) requests over
//     keep-alive connections while it syncs at start-up (every client's
//     figures change), idles, and syncs again after PLEO_SYNC_INTERVAL
//     (nothing changes): /pleo latency with and without a sync in progress.
//
//   pleo_sync [--clients 1000] [--entries 500] [--connections 8] [--seconds 60]
//             [--interval 40] [--sync-rpm 1000000] [--serve-rpm 60000] [--server build/partnerbot]

#include "bot/demo_firm.hpp"
#include "bot/platforms.hpp"
#include "bot/slack/verify.hpp"
#include "pleo/secret_box.hpp"
#include "store/credentials.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"
#include "support/fake_pleo.hpp"

#include <algorithm>
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
#include <optional>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
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
  int clients = 1000;
  int entries = 500;
  int connections = 8;
  int seconds = 60;
  int interval = 40;
  int sync_rpm = 1'000'000;
  int serve_rpm = 60'000;
  std::string server;
};

struct slack_user {
  std::string user_id;
  bool admin = false;
};

struct prepared_request {
  std::string kind;
  std::string wire;
};

// A company's books: one in ten entries of each kind, in a fixed order.
std::vector<test_support::fake_entry> books(int entries) {
  std::vector<test_support::fake_entry> out;
  out.reserve(static_cast<std::size_t>(entries));
  for (int j = 0; j < entries; ++j) {
    test_support::fake_entry e;
    switch (j % 10) {
    case 0:
    case 1:
    case 2:
      break; // a card purchase without a receipt
    case 3:
    case 4:
    case 5:
      e.has_receipt = true;
      break;
    case 6:
      e.export_status = "EXPORTED";
      break;
    case 7:
      e.export_status = "QUEUED";
      e.has_receipt = true;
      e.total_minors = 10000 + j;
      break;
    case 8:
      e.status = "CANCELLED";
      break;
    default:
      e.family = "OUT_OF_POCKET";
      e.export_status = "QUEUED";
      e.has_receipt = true;
      e.total_minors = 2500;
      break;
    }
    out.push_back(e);
  }
  return out;
}

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
  return fmt::format(
      "POST /slack/commands HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nX-Slack-Request-Timestamp: {}\r\nX-Slack-Signature: "
      "{}\r\nContent-Length: {}\r\n\r\n{}",
      port, timestamp, signature, body.size(), body);
}

unsigned short free_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

pid_t spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::vector<std::string>& env_extra, const std::string& log) {
  std::vector<std::string> env_strings = env_extra;
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("PARTNERBOT_") || entry.starts_with("SLACK_") || entry.starts_with("PLEO_"))
      continue;
    env_strings.emplace_back(entry);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> arg_strings = {binary};
  arg_strings.insert(arg_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : arg_strings)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error(fmt::format("cannot start {}: {}", binary, std::strerror(rc)));
  return pid;
}

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

struct sample {
  clock_type::time_point started;
  std::int64_t ns = 0;
};

struct load_result {
  std::vector<sample> samples;
  std::size_t errors = 0;
};

asio::awaitable<void> client_loop(unsigned short port, const std::vector<prepared_request>& requests,
                                  std::size_t first, std::size_t stride, clock_type::time_point end,
                                  load_result& out) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                asio::use_awaitable);
  stream.socket().set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  for (std::size_t i = first; clock_type::now() < end; i += stride) {
    const auto& req = requests[i % requests.size()];
    const auto started = clock_type::now();
    stream.expires_after(10s);
    co_await asio::async_write(stream, asio::buffer(req.wire), asio::use_awaitable);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
    if (parser.get().result_int() != 200) ++out.errors;
    out.samples.push_back(
        {started, std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now() - started).count()});
  }
}

load_result run_load(unsigned short port, const std::vector<prepared_request>& requests, const options& opt,
                     clock_type::time_point end) {
  asio::io_context io(1);
  load_result result;
  for (int c = 0; c < opt.connections; ++c)
    asio::co_spawn(io,
                   client_loop(port, requests, static_cast<std::size_t>(c) * 7919,
                               static_cast<std::size_t>(opt.connections), end, result),
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
  return result;
}

double percentile_ms(std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return static_cast<double>(sorted[index]) / 1e6;
}

// Periods of Pleo traffic: requests closer than 2 s to each other belong to one sync.
std::vector<std::pair<clock_type::time_point, clock_type::time_point>>
sync_windows(const std::vector<test_support::pleo_request>& log, clock_type::time_point from) {
  std::vector<std::pair<clock_type::time_point, clock_type::time_point>> out;
  for (const auto& r : log) {
    if (r.at < from) continue;
    if (out.empty() || r.at - out.back().second > 2s)
      out.emplace_back(r.at, r.at);
    else
      out.back().second = r.at;
  }
  return out;
}

int run(const options& opt) {
  const auto dir =
      std::filesystem::temp_directory_path() / fmt::format("partnerbot-pleo-bench-{}", ::getpid());
  std::filesystem::create_directories(dir);
  const auto db_path = (dir / "bench.db").string();
  const auto key = pleo::base64_encode(std::string(32, 'b'));
  test_support::fake_pleo api;

  // The firm (50 members linked to Slack), one company and one credential per client.
  std::vector<slack_user> users;
  std::vector<std::string> client_names;
  std::vector<std::string> company_ids;
  {
    bot::firm_spec spec;
    spec.partner_id = "p-bench";
    spec.partner_name = "Bench Revision ApS";
    spec.slack_team_id = std::string(team_id);
    spec.clients = opt.clients;
    spec.admins = 5;
    spec.bookkeepers = 45;
    auto doc = json::parse(bot::generate_snapshot(spec)).as_object();
    int n = 0;
    for (auto& m : doc["members"].as_array()) {
      auto& member = m.as_object();
      const std::string user_id = fmt::format("UB{:05}", ++n);
      member["slack_user_id"] = user_id;
      users.push_back({user_id, member["role"].as_string() == "admin"});
    }
    store::database db(db_path);
    const auto imported = bot::import_snapshot(db, json::serialize(doc), "2026-11-27T09:00:00Z");
    if (!imported.ok) throw std::runtime_error("import failed: " + imported.error);
    const auto sealing_key = *pleo::secret_key::from_base64(key);
    const auto entries = books(opt.entries);
    store::credentials creds(db);
    store::transaction tx(db);
    int i = 0;
    for (const auto& c : doc["clients"].as_array()) {
      const std::string client_id(c.as_object().at("id").as_string());
      test_support::fake_company company;
      company.id = test_support::fake_uuid(static_cast<std::uint64_t>(++i));
      company.name = std::string(c.as_object().at("name").as_string());
      company.api_key = fmt::format("bench-api-key-{:06}", i);
      company.entries = entries;
      creds.put(client_id, store::credential_kind::api_key,
                pleo::seal(sealing_key, company.api_key, client_id), "2026-11-27T09:00:00Z");
      client_names.push_back(company.name);
      company_ids.push_back(company.id);
      api.add_company(std::move(company));
    }
    tx.commit();
    fmt::print("== {} clients x {} accounting entries, {} members; fake Pleo at {}\n", imported.clients,
               opt.entries, imported.members, api.base_url());
  }
  const std::vector<std::string> pleo_env = {"PARTNERBOT_DB=" + db_path, "PARTNERBOT_SECRET_KEY=" + key,
                                             "PLEO_API_URL=" + api.base_url()};

  // 1. partnerbot sync
  {
    auto env = pleo_env;
    env.push_back(fmt::format("PLEO_REQUESTS_PER_MINUTE={}", opt.sync_rpm));
    const auto log = (dir / "sync.log").string();
    const auto before = api.requests().size();
    const auto started = clock_type::now();
    const pid_t pid = spawn(opt.server, {"sync"}, env, log);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    const double seconds = std::chrono::duration<double>(clock_type::now() - started).count();
    const auto requests = api.requests().size() - before;
    std::ifstream in(log);
    std::string line, last;
    while (std::getline(in, line))
      last = line;
    fmt::print("\n1. partnerbot sync (PLEO_REQUESTS_PER_MINUTE={})\n", opt.sync_rpm);
    fmt::print("  wall time     {:.2f} s, exit status {}\n", seconds,
               WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    fmt::print("  requests      {} ({:.0f}/s; {:.1f} per client)\n", requests,
               static_cast<double>(requests) / seconds, static_cast<double>(requests) / opt.clients);
    fmt::print("  peak RSS      {} MB (child, ru_maxrss)\n", usage.ru_maxrss / 1024);
    fmt::print("  CPU           {:.2f} s user, {:.2f} s system (child)\n",
               static_cast<double>(usage.ru_utime.tv_sec) + static_cast<double>(usage.ru_utime.tv_usec) / 1e6,
               static_cast<double>(usage.ru_stime.tv_sec) +
                   static_cast<double>(usage.ru_stime.tv_usec) / 1e6);
    fmt::print("  at 300/min    the default budget would take {:.0f} min for these requests\n",
               static_cast<double>(requests) / 300.0);
    fmt::print("  its summary   {}\n", last);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }

  // 2. /pleo while serve syncs. Every client's figures change in the first sync.
  for (const auto& id : company_ids)
    api.add_entries(id, {test_support::fake_entry{}});
  const auto port = free_port();
  auto env = pleo_env;
  env.push_back(fmt::format("PLEO_REQUESTS_PER_MINUTE={}", opt.serve_rpm));
  env.push_back(fmt::format("PLEO_SYNC_INTERVAL={}s", opt.interval));
  env.push_back(fmt::format("PARTNERBOT_LISTEN=127.0.0.1:{}", port));
  env.push_back("SLACK_SIGNING_SECRET=" + std::string(signing_secret));
  env.push_back("SLACK_BOT_TOKEN=xoxb-bench");
  env.push_back("SLACK_API_URL=http://127.0.0.1:9/api/");
  const auto serve_log = (dir / "serve.log").string();
  const auto spawned = clock_type::now();
  const pid_t pid = spawn(opt.server, {"serve"}, env, serve_log);
  while (clock_type::now() - spawned < 10s && probe(port, "/healthz") != 200)
    std::this_thread::sleep_for(1ms);

  std::vector<prepared_request> requests;
  int n = 0;
  for (const auto& u : users)
    for (const auto& [kind, text] : std::vector<std::pair<std::string, std::string>>{
             {"clients", "clients"},
             {"search ApS", "search ApS"},
             {"missing", "missing"},
             {"client card", "client " + client_names[static_cast<std::size_t>(n) % client_names.size()]}})
      requests.push_back({kind, signed_command(port, u.user_id, text, ++n)});
  auto result = run_load(port, requests, opt, spawned + std::chrono::seconds(opt.seconds));
  const auto peak_rss = proc_status_field(pid, "VmHWM:");
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);

  const auto windows = sync_windows(api.requests(), spawned);
  fmt::print(
      "\n2. /pleo over /slack/commands while serve syncs ({} connections, PLEO_REQUESTS_PER_MINUTE={}, "
      "PLEO_SYNC_INTERVAL={}s)\n",
      opt.connections, opt.serve_rpm, opt.interval);
  std::vector<std::vector<std::int64_t>> during(windows.size());
  std::vector<std::int64_t> outside;
  for (const auto& s : result.samples) {
    bool in_sync = false;
    for (std::size_t w = 0; w < windows.size(); ++w)
      if (s.started >= windows[w].first && s.started <= windows[w].second) {
        during[w].push_back(s.ns);
        in_sync = true;
      }
    if (!in_sync && s.started > spawned + 1s) outside.push_back(s.ns);
  }
  auto report = [](std::string_view label, std::vector<std::int64_t>& ns, double seconds) {
    std::sort(ns.begin(), ns.end());
    fmt::print("  {:<36} {:>7} requests ({:>6.0f}/s)  p50 {:.3f} ms  p99 {:.3f} ms  max {:.3f} ms\n", label,
               ns.size(), seconds > 0 ? static_cast<double>(ns.size()) / seconds : 0.0,
               percentile_ms(ns, 0.5), percentile_ms(ns, 0.99), percentile_ms(ns, 1.0));
  };
  double sync_seconds_total = 0;
  for (std::size_t w = 0; w < windows.size(); ++w) {
    const double secs = std::chrono::duration<double>(windows[w].second - windows[w].first).count();
    sync_seconds_total += secs;
    report(
        fmt::format("sync {} ({:.1f} s, {})", w + 1, secs, w == 0 ? "figures change" : "figures unchanged"),
        during[w], secs);
  }
  report("no sync in progress", outside, opt.seconds - 1 - sync_seconds_total);
  fmt::print("  errors        {}\n", result.errors);
  fmt::print("  server peak RSS {}\n", peak_rss);

  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return result.errors == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  options opt;
  opt.server =
      (std::filesystem::path(argv[0]).parent_path() / ".." / "partnerbot").lexically_normal().string();
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string arg = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
        return argv[++i];
      };
      if (arg == "--clients")
        opt.clients = std::stoi(value());
      else if (arg == "--entries")
        opt.entries = std::stoi(value());
      else if (arg == "--connections")
        opt.connections = std::stoi(value());
      else if (arg == "--seconds")
        opt.seconds = std::stoi(value());
      else if (arg == "--interval")
        opt.interval = std::stoi(value());
      else if (arg == "--sync-rpm")
        opt.sync_rpm = std::stoi(value());
      else if (arg == "--serve-rpm")
        opt.serve_rpm = std::stoi(value());
      else if (arg == "--server")
        opt.server = value();
      else
        throw std::invalid_argument("unknown option " + arg);
    }
  } catch (const std::exception& e) {
    fmt::print(
        stderr,
        "pleo_sync: {}\nusage: pleo_sync [--clients 1000] [--entries 500] [--connections 8] [--seconds 60] "
        "[--interval 40] [--sync-rpm 1000000] [--serve-rpm 60000] [--server build/partnerbot]\n",
        e.what());
    return 2;
  }
  try {
    return run(opt);
  } catch (const std::exception& e) {
    fmt::print(stderr, "pleo_sync: {}\n", e.what());
    return 1;
  }
}
