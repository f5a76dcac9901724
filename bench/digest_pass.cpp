// Digest pass benchmark: a generated firm (default 10,000 clients and 2,000
// members with 20 subscriptions each, Slack links pre-made), one full pass
// (compute, render, enqueue) and the outbox drain against the fake Slack on
// loopback. Prints times, rates and peak RSS (VmHWM) per phase.
//
// `--engine sqlite,postgresql` runs it on each engine in turn, each on a
// fresh database (PostgreSQL: a new database on the server
// scripts/with-postgres starts, or on `--postgres URI`), and prints
// PostgreSQL's times as a multiple of SQLite's.
//
//   digest_pass [--clients N] [--members N] [--subscriptions N] [--concurrency N]
//               [--engine sqlite,postgresql] [--postgres URI]

#include "bench/support/child.hpp"
#include "bench/support/databases.hpp"
#include "bot/chat/store_thread.hpp"
#include "bot/cli/platform_list.hpp"
#include "bot/jobs/outbox_worker.hpp"
#include "bot/net/http_client.hpp"
#include "bot/slack/delivery.hpp"
#include "bot/slack/web_api.hpp"
#include "handlers/digests.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"
#include "store/snapshot.hpp"
#include "store/subscriptions.hpp"
#include "support/fake_slack.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

struct params {
  int clients = 10000;
  int members = 2000;
  int subscriptions = 20;
  int admins = 100;
  int bookkeepers_per_client = 4;
  int concurrency = 4;
};

long vm_kib(std::string_view field) {
  return bench::proc_status_kib(::getpid(), field);
}

// Starts a new peak: VmHWM is reset to the current RSS.
void reset_peak() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

std::string snapshot(const params& p) {
  namespace json = boost::json;
  json::array members, clients;
  const int bookkeepers = p.members - p.admins;
  for (int i = 0; i < p.members; ++i) {
    const bool admin = i < p.admins;
    members.push_back(json::object{{"id", fmt::format("m-{:05}", i)},
                                   {"name", fmt::format("Member {:05}", i)},
                                   {"email", fmt::format("member{}@firm.example", i)},
                                   {"role", admin ? "admin" : "bookkeeper"},
                                   {"slack_user_id", fmt::format("U{:06}", i)}});
  }
  for (int c = 0; c < p.clients; ++c) {
    json::array assigned;
    for (int k = 0; k < p.bookkeepers_per_client; ++k)
      assigned.push_back(
          json::string(fmt::format("m-{:05}", p.admins + (c * p.bookkeepers_per_client + k) % bookkeepers)));
    const int missing = (c * 7) % 5 == 0 ? 0 : (c * 13) % 40;
    const int ready = (c * 11) % 3 == 0 ? 0 : (c * 17) % 25;
    clients.push_back(json::object{
        {"id", fmt::format("c-{:06}", c)},
        {"name", fmt::format("Klient {:06} ApS", c)},
        {"status", c % 20 == 0 ? "onboarding" : "active"},
        {"wallet_balance", json::object{{"amount", fmt::format("{}.{:02}", (c * 7919) % 100000, c % 100)},
                                        {"currency", "DKK"}}},
        {"missing_receipts", missing},
        {"ready_for_export", ready},
        {"bookkeepers", std::move(assigned)}});
  }
  json::object root{
      {"partner",
       json::object{{"id", "p-bench"}, {"name", "Bench Revision ApS"}, {"slack_team_id", "TBENCH"}}},
      {"synced_at", "2026-11-27T09:00:00Z"},
      {"members", std::move(members)},
      {"clients", std::move(clients)}};
  return json::serialize(root);
}

// Each bookkeeper subscribes to clients assigned to them; admins to any.
void subscribe_all(store::database& db, const params& p) {
  store::subscriptions subs(db);
  store::transaction tx(db);
  const int bookkeepers = p.members - p.admins;
  for (int i = 0; i < p.members; ++i) {
    for (int s = 0; s < p.subscriptions; ++s) {
      int client = 0;
      if (i < p.admins) {
        client = (i * 97 + s * 331) % p.clients;
      } else {
        // Clients c with (c * per + k) % bookkeepers == i - admins, for k = 0..per-1.
        const int slot = i - p.admins + s * bookkeepers; // the s-th assignment of this bookkeeper
        client = slot / p.bookkeepers_per_client;
        if (client >= p.clients)
          client = (i * 97 + s * 331) % p.clients; // fewer assignments than subscriptions
      }
      const auto f = s % 3 == 0 ? store::frequency::daily : store::frequency::weekly;
      subs.set(store::subscription{fmt::format("m-{:05}", i), fmt::format("c-{:06}", client), "", f, "slack",
                                   "2026-11-01T00:00:00Z"});
    }
  }
  subs.set_channel(
      {"p-bench", "slack", "TBENCH", "CFIRM1", store::frequency::weekly, "m-00000", "2026-11-01T00:00:00Z"});
  subs.set_channel(
      {"p-bench", "slack", "TBENCH", "CFIRM2", store::frequency::daily, "m-00001", "2026-11-01T00:00:00Z"});
  tx.commit();
}

int arg(int argc, char** argv, const char* name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string_view{argv[i]} == name) return std::atoi(argv[i + 1]);
  return fallback;
}

std::string text_arg(int argc, char** argv, const char* name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string_view{argv[i]} == name) return argv[i + 1];
  return fallback;
}

struct phase_times {
  double pass_s = 0, again_s = 0, drain_s = 0;
  std::size_t sent = 0;
};

// One engine's run: setup, the pass, the same slot again, the drain.
phase_times measure(const params& p, const std::string& engine, const std::string& postgres) {
  const auto dir = bench::make_scratch_dir(fmt::format("digest_pass_bench_{}", ::getpid()));
  const bench::scratch_database database(engine, dir, postgres);
  const auto& path = database.location();
  phase_times times;
  fmt::print("\n== {}\n", bench::engine_title(engine));
  {
    store::database db(path);
    auto t = clock_type::now();
    const auto r = bot::import_snapshot(db, snapshot(p), "2026-11-27T09:00:00Z");
    if (!r.ok) throw std::runtime_error("import failed: " + r.error);
    subscribe_all(db, p);
    fmt::print("setup: {:.2f} s (import and subscriptions; not part of the pass)\n", seconds_since(t));
  }

  store::database db(path);
  handlers::settings settings;
  handlers::context ctx{db, settings};
  const auto monday = std::chrono::sys_days{std::chrono::year{2026} / 11 / 30} + std::chrono::hours{9} +
                      std::chrono::minutes{30};

  reset_peak();
  const long rss_before = vm_kib("VmRSS:");
  const long anon_before = vm_kib("RssAnon:");
  bench::memory_peak sampler(::getpid());
  auto t = clock_type::now();
  const auto counts = handlers::digest_pass(ctx, monday);
  const double pass_s = times.pass_s = seconds_since(t);
  const long pass_anon_peak = sampler.stop().anonymous_kib;
  const long pass_peak = vm_kib("VmHWM:");
  fmt::print("pass: {:.3f} s for slot {}: {} DMs, {} channel digests, {} unreachable "
             "({:.0f} subscriptions/s)\n",
             pass_s, counts.slot, counts.dms, counts.channels, counts.unreachable,
             p.members * p.subscriptions / pass_s);
  fmt::print("pass memory: VmHWM {} KiB (RSS {} KiB before, +{} KiB, mostly the mmapped database file); "
             "anonymous {} KiB before, peak {} KiB (+{} KiB)\n",
             pass_peak, rss_before, pass_peak - rss_before, anon_before, pass_anon_peak,
             pass_anon_peak - anon_before);

  t = clock_type::now();
  const auto again = handlers::digest_pass(ctx, monday + std::chrono::hours{2});
  times.again_s = seconds_since(t);
  fmt::print("second pass, same slot: {:.3f} s, {} enqueued, {} already claimed\n", times.again_s,
             again.dms + again.channels, again.already_claimed);

  test_support::fake_slack slack;
  boost::asio::io_context io{1};
  bot::http_client http(io);
  bot::slack::web_api api(http, slack.base_url(), "xoxb-bench");
  bot::outbox_options options;
  options.concurrency = p.concurrency;
  bot::store_thread store_work(db);
  bot::outbox_worker worker(io, store_work, options);
  worker.add_delivery("slack", std::make_unique<bot::slack::delivery>(api));
  reset_peak();
  const long drain_rss_before = vm_kib("VmRSS:");
  t = clock_type::now();
  worker.start();
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        co_await worker.drain(clock_type::now() + std::chrono::minutes(10));
        co_await worker.stop();
      },
      boost::asio::detached);
  io.run();
  const double drain_s = times.drain_s = seconds_since(t);
  const auto sent = times.sent = worker.done().sent;
  fmt::print("drain: {:.2f} s, {} messages delivered ({} Web API calls), {:.0f} messages/s, {} left\n",
             drain_s, sent, slack.calls().size(), sent / drain_s, store::outbox(db).counts().pending);
  fmt::print(
      "drain memory: RSS {} KiB before, peak {} KiB during (the fake Slack keeps every call in memory)\n",
      drain_rss_before, vm_kib("VmHWM:"));
  bench::remove_scratch_dir(dir);
  return times;
}

} // namespace

int main(int argc, char** argv) {
  params p;
  p.clients = arg(argc, argv, "--clients", p.clients);
  p.members = arg(argc, argv, "--members", p.members);
  p.subscriptions = arg(argc, argv, "--subscriptions", p.subscriptions);
  p.concurrency = arg(argc, argv, "--concurrency", p.concurrency);
  p.admins = std::max(1, p.members / 20);
  const auto postgres = text_arg(argc, argv, "--postgres", bench::default_postgres_server());
  std::vector<std::string> engines;
  try {
    engines = bench::parse_engines(text_arg(argc, argv, "--engine", "sqlite"));
    bench::require_postgres_server(engines, postgres);
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "digest_pass: {}\n", e.what());
    return 2;
  }

  fmt::print("firm: {} clients, {} members ({} admins), {} subscriptions each\n", p.clients, p.members,
             p.admins, p.subscriptions);
  std::vector<phase_times> runs;
  try {
    for (const auto& engine : engines)
      runs.push_back(measure(p, engine, postgres));
  } catch (const std::exception& e) {
    fmt::print(stderr, "digest_pass: {}\n", e.what());
    return 1;
  }
  if (runs.size() > 1) {
    fmt::print("\n== {} ÷ {}\n", bench::engine_title(engines[1]), bench::engine_title(engines[0]));
    const auto& a = runs[0];
    const auto& b = runs[1];
    fmt::print("  pass        {:.3f} s / {:.3f} s = {:.2f}×\n", b.pass_s, a.pass_s, b.pass_s / a.pass_s);
    fmt::print("  same slot   {:.3f} s / {:.3f} s = {:.2f}×\n", b.again_s, a.again_s, b.again_s / a.again_s);
    fmt::print("  drain       {:.2f} s / {:.2f} s = {:.2f}× ({} and {} messages)\n", b.drain_s, a.drain_s,
               b.drain_s / a.drain_s, b.sent, a.sent);
  }
  return 0;
}
