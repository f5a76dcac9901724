// Benchmark of the Pleo connector against the tests' fake Pleo API on
// loopback (in this process, its own thread):
//
//  1. `partnerbot sync` (a child process) for N clients x M accounting
//     entries each, at the default budget (300 requests a minute for each
//     credential, 16 in flight): wall time against the default 15-minute
//     interval, requests made, the child's peak RSS.
//  2. `partnerbot serve` with signed /slack/commands (/pleo) requests over
//     keep-alive connections while it syncs at start-up (every client's
//     figures change), idles, and syncs again after PLEO_SYNC_INTERVAL
//     (nothing changes): /pleo latency with and without a sync in progress.
//
//   pleo_sync [--clients 1000] [--entries 500] [--connections 8] [--seconds 60]
//             [--interval 40] [--sync-rpm 300] [--serve-rpm 60000] [--server build/partnerbot]

#include "bench/support/child.hpp"
#include "bench/support/command_line.hpp"
#include "bench/support/http.hpp"
#include "bench/support/slack.hpp"
#include "bot/cli/platform_list.hpp"
#include "pleo/secret_box.hpp"
#include "store/credentials.hpp"
#include "store/database.hpp"
#include "store/snapshot.hpp"
#include "support/fake_pleo.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace bench {
namespace {

struct options {
  int clients = 1000;
  int entries = 500;
  int connections = 8;
  int seconds = 60;
  int interval = 40;
  int sync_rpm = 300; // the default: per credential
  int serve_rpm = 60'000;
  std::string server;
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

struct sample {
  clock_type::time_point started;
  std::int64_t ns = 0;
};

struct load_result {
  std::vector<sample> samples;
  std::size_t errors = 0;
};

load_result run_load(unsigned short port, const std::vector<prepared_request>& requests, const options& opt,
                     clock_type::time_point end) {
  load_result result;
  result.errors += run_closed_loop(
      port, requests, {opt.connections, 7919, end, 10s},
      [&](const prepared_request&, auto sent, auto answered, const reply& res) {
        if (res.result_int() != 200) ++result.errors;
        result.samples.push_back(
            {sent, std::chrono::duration_cast<std::chrono::nanoseconds>(answered - sent).count()});
      });
  return result;
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
  const auto dir = make_scratch_dir(fmt::format("partnerbot-pleo-bench-{}", ::getpid()));
  const auto db_path = (dir / "bench.db").string();
  const auto key = pleo::base64_encode(std::string(32, 'b'));
  test_support::fake_pleo api;

  // The firm (50 members linked to Slack), one company and one credential per client.
  std::vector<linked_member> users;
  std::vector<std::string> client_names;
  std::vector<std::string> company_ids;
  {
    bot::firm_spec spec;
    spec.partner_id = "p-bench";
    spec.partner_name = "Bench Revision ApS";
    spec.slack_team_id = bench_workspace.team_id;
    spec.clients = opt.clients;
    spec.admins = 5;
    spec.bookkeepers = 45;
    const auto doc = linked_firm(spec, "UB{:05}", &users);
    store::database db(db_path);
    const auto imported = bot::import_snapshot(db, json::serialize(doc), "2026-11-27T09:00:00Z");
    if (!imported.ok) throw std::runtime_error("import failed: " + imported.error);
    const auto sealing_key = *pleo::secret_key::from_base64(key);
    const auto entries = books(opt.entries);
    store::credentials creds(db);
    store::transaction tx(db);
    int i = 0;
    for (const auto& c : doc.at("clients").as_array()) {
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
    const pid_t pid = spawn_child(opt.server, {"sync"}, env, log);
    // The child's own peak, read from /proc while it runs: ru_maxrss would
    // also count this process's pages, which the child shares between fork
    // and exec (Linux keeps the larger high-water mark across exec).
    memory_peak memory(pid);
    int status = 0;
    rusage usage{};
    // Reaped only after a last look at its peak, so that /proc still has it.
    siginfo_t info{};
    ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT);
    const auto peak = memory.stop();
    ::wait4(pid, &status, 0, &usage);
    const double seconds = std::chrono::duration<double>(clock_type::now() - started).count();
    const auto requests = api.requests().size() - before;
    std::ifstream in(log);
    std::string line, last;
    while (std::getline(in, line))
      last = line;
    fmt::print("\n1. partnerbot sync (PLEO_REQUESTS_PER_MINUTE={})\n", opt.sync_rpm);
    fmt::print("  wall time     {:.2f} s, exit status {}\n", seconds, exit_code(status));
    fmt::print("  requests      {} ({:.0f}/s; {:.1f} per client)\n", requests,
               static_cast<double>(requests) / seconds, static_cast<double>(requests) / opt.clients);
    fmt::print("  peak RSS      {:.1f} MB (the child's VmHWM), anonymous memory at most {:.1f} MB\n",
               peak.hwm_kib / 1024.0, peak.anonymous_kib / 1024.0);
    fmt::print("  CPU           {:.2f} s user, {:.2f} s system (child)\n",
               static_cast<double>(usage.ru_utime.tv_sec) + static_cast<double>(usage.ru_utime.tv_usec) / 1e6,
               static_cast<double>(usage.ru_stime.tv_sec) +
                   static_cast<double>(usage.ru_stime.tv_usec) / 1e6);
    fmt::print("  interval      {:.0f} % of the default 15 min; one budget shared by every client, at this "
               "rate, would have taken {:.0f} min\n",
               100.0 * seconds / (15 * 60), static_cast<double>(requests) / opt.sync_rpm);
    fmt::print("  its summary   {}\n", last);
    if (exit_code(status) != 0) return 1;
  }

  // 2. /pleo while serve syncs. Every client's figures change in the first sync.
  for (const auto& id : company_ids)
    api.add_entries(id, {test_support::fake_entry{}});
  const auto port = free_port();
  auto env = pleo_env;
  env.push_back(fmt::format("PLEO_REQUESTS_PER_MINUTE={}", opt.serve_rpm));
  env.push_back(fmt::format("PLEO_SYNC_INTERVAL={}s", opt.interval));
  env.push_back(fmt::format("PARTNERBOT_LISTEN=127.0.0.1:{}", port));
  env.push_back("SLACK_SIGNING_SECRET=" + bench_workspace.signing_secret);
  env.push_back("SLACK_BOT_TOKEN=xoxb-bench");
  env.push_back("SLACK_API_URL=http://127.0.0.1:9/api/");
  const auto serve_log = (dir / "serve.log").string();
  const auto spawned = clock_type::now();
  const pid_t pid = spawn_child(opt.server, {"serve"}, env, serve_log);
  wait_until_up(port, "/healthz", spawned, 10s);

  std::vector<prepared_request> requests;
  int n = 0;
  for (const auto& u : users)
    for (const auto& [kind, text] : std::vector<std::pair<std::string, std::string>>{
             {"clients", "clients"},
             {"search ApS", "search ApS"},
             {"missing", "missing"},
             {"client card", "client " + client_names[static_cast<std::size_t>(n) % client_names.size()]}})
      requests.push_back({kind, command_request(bench_workspace, port, u.user_id, text, ++n,
                                                "http://127.0.0.1:9/response/bench")});
  auto result = run_load(port, requests, opt, spawned + std::chrono::seconds(opt.seconds));
  const auto peak_rss = proc_status_field(pid, "VmHWM:");
  int status = 0;
  stop_child(pid, status);

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

  remove_scratch_dir(dir);
  return result.errors == 0 && exit_code(status) == 0 ? 0 : 1;
}

} // namespace
} // namespace bench

int main(int argc, char** argv) {
  bench::options opt;
  opt.server = bench::next_to_benchmark(argv[0], "../partnerbot");
  const auto read_command_line = [&] {
    bench::parse_options(argc, argv,
                         {{{"--clients", bench::into(opt.clients)},
                           {"--entries", bench::into(opt.entries)},
                           {"--connections", bench::into(opt.connections)},
                           {"--seconds", bench::into(opt.seconds)},
                           {"--interval", bench::into(opt.interval)},
                           {"--sync-rpm", bench::into(opt.sync_rpm)},
                           {"--serve-rpm", bench::into(opt.serve_rpm)},
                           {"--server", bench::into(opt.server)}},
                          {}});
  };
  return bench::run_benchmark(
      "pleo_sync",
      "pleo_sync [--clients 1000] [--entries 500] [--connections 8] [--seconds 60] "
      "[--interval 40] [--sync-rpm 300] [--serve-rpm 60000] [--server build/partnerbot]",
      read_command_line, [&] { return bench::run(opt); });
}
