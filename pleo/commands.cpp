#include "pleo/commands.hpp"

#include "store/credentials.hpp"
#include "store/database.hpp"
#include "store/sync_state.hpp"
#include "text/log_escape.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <date/date.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <istream>
#include <ostream>
#include <sstream>
#include <termios.h>
#include <unistd.h>

namespace pleo {

namespace asio = boost::asio;

namespace {

constexpr std::size_t longest_secret = 8192;
constexpr auto stale_after = std::chrono::hours(24);
constexpr std::size_t longest_shown = 1000;

std::optional<secret_key> key_or_refuse(const command_settings& s, std::ostream& err) {
  if (s.secret_key_base64.empty()) {
    err << "partnerbot: " << missing_key_message << "\n";
    return std::nullopt;
  }
  auto key = secret_key::from_base64(s.secret_key_base64);
  if (!key) err << "partnerbot: PARTNERBOT_SECRET_KEY is not the base64 of 32 bytes\n";
  return key;
}

// Reads one line with the terminal's echo off, so the secret is not shown.
std::string read_hidden_line(std::istream& in) {
  termios before{};
  const bool terminal = ::tcgetattr(STDIN_FILENO, &before) == 0;
  if (terminal) {
    termios quiet = before;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  std::getline(in, line);
  if (terminal) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &before);
  return line;
}

std::string read_all(std::istream& in) {
  std::string text;
  char buffer[1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > longest_secret + 1024) break; // enough to refuse it
  }
  return text;
}

std::string trimmed(std::string text) {
  const auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  const auto first = std::find_if_not(text.begin(), text.end(), space);
  const auto last = std::find_if_not(text.rbegin(), text.rend(), space).base();
  std::string out = first < last ? std::string(first, last) : std::string();
  wipe(text);
  return out;
}

std::optional<std::chrono::system_clock::time_point> parse_iso(const std::string& text) {
  std::istringstream in{text};
  date::sys_seconds t;
  in >> date::parse("%FT%TZ", t);
  if (in.fail()) return std::nullopt;
  return t;
}

// "2026-11-27 09:00 UTC"
std::string readable(const std::string& iso) {
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string age(std::chrono::system_clock::duration d) {
  using namespace std::chrono;
  const auto minutes = duration_cast<std::chrono::minutes>(d).count();
  if (minutes < 1) return "less than a minute";
  if (minutes < 120) return fmt::format("{} min", minutes);
  if (minutes < 48 * 60) return fmt::format("{} h", minutes / 60);
  return fmt::format("{} days", minutes / (24 * 60));
}

std::string money_text(const store::money& m) {
  const auto magnitude = m.minor < 0 ? -m.minor : m.minor;
  return fmt::format("{} {}{}.{:02}", m.currency, m.minor < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

std::string figures_text(const store::synced_figures& f) {
  std::string text =
      fmt::format("{} missing receipts, {} ready for export", f.missing_receipts, f.ready_for_export);
  if (f.ready_for_export_total) text += " (" + money_text(*f.ready_for_export_total) + ")";
  return text;
}

// Names, ids and errors come from outside (Pleo, the snapshot): printed so
// that they cannot steer the terminal.
std::string shown(std::string_view text) {
  return text::escape_for_log(text, longest_shown);
}

std::string who(const std::string& id, const std::string& name) {
  return name.empty() ? shown(id) : shown(id) + " (" + shown(name) + ")";
}

} // namespace

int credentials_add(const command_settings& s, std::string_view client_id, bool oauth, std::istream& in,
                    bool prompt, std::ostream& out, std::ostream& err) {
  const auto key = key_or_refuse(s, err);
  if (!key) return exit_not_configured;
  const std::string_view what = oauth ? "refresh token" : "API key";
  if (prompt)
    err << "Paste the " << what << " for " << client_id
        << " and press Enter (it is not shown): " << std::flush;
  std::string secret = trimmed(prompt ? read_hidden_line(in) : read_all(in));
  if (prompt) err << "\n";
  const auto refuse = [&](std::string_view why) {
    wipe(secret);
    err << "partnerbot: the " << what << " read from standard input " << why << "; nothing was stored\n";
    return exit_failed;
  };
  if (secret.empty()) return refuse("is empty");
  if (secret.size() > longest_secret) return refuse(fmt::format("is longer than {} bytes", longest_secret));
  if (std::any_of(secret.begin(), secret.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; }))
    return refuse("contains spaces or control characters");
  try {
    store::database db(s.db_path);
    store::credentials creds(db);
    const auto kind = oauth ? store::credential_kind::oauth : store::credential_kind::api_key;
    const auto sealed = seal_credential(*key, secret, client_id, kind);
    wipe(secret);
    const auto now = iso_utc(std::chrono::system_clock::now());
    if (!creds.put(client_id, kind, sealed, now)) {
      err << "partnerbot: there is no client " << client_id << " in " << s.db_path
          << " (import the firm's snapshot first); nothing was stored\n";
      return exit_failed;
    }
    out << "stored the " << what << " for " << client_id << ", encrypted; `partnerbot sync --client "
        << client_id << "` tries it now\n";
    return exit_ok;
  } catch (const std::exception& e) {
    wipe(secret);
    err << "partnerbot: " << s.db_path << ": " << e.what() << "\n";
    return exit_failed;
  }
}

int credentials_list(const command_settings& s, std::ostream& out, std::ostream& err,
                     std::chrono::system_clock::time_point now) {
  if (!key_or_refuse(s, err)) return exit_not_configured;
  try {
    store::database db(s.db_path);
    const auto rows = store::sync_states(db).overview();
    if (rows.empty()) {
      out << "no client has a Pleo credential (add one with `partnerbot credentials add CLIENT_ID`)\n";
      return exit_ok;
    }
    for (const auto& row : rows) {
      std::string line = fmt::format("{} {}: {}", shown(row.client_id), shown(row.client_name),
                                     row.kind == store::credential_kind::oauth ? "OAuth" : "API key");
      if (!row.sync) {
        line += ", not synced yet";
      } else if (row.sync->failing()) {
        line += fmt::format(", failing since {}: {}", shown(readable(row.sync->failing_since)),
                            shown(row.sync->last_error));
      } else {
        line += fmt::format(", synced {}", shown(readable(row.sync->last_ok_at)));
      }
      if (auto at = parse_iso(row.figures_at)) {
        line += fmt::format("; figures {} old", age(now - *at));
        if (now - *at > stale_after) line += " (stale)";
      }
      out << line << "\n";
    }
    return exit_ok;
  } catch (const std::exception& e) {
    err << "partnerbot: " << s.db_path << ": " << e.what() << "\n";
    return exit_failed;
  }
}

int credentials_remove(const command_settings& s, std::string_view client_id, std::ostream& out,
                       std::ostream& err) {
  if (!key_or_refuse(s, err)) return exit_not_configured;
  try {
    store::database db(s.db_path);
    if (!store::credentials(db).remove(client_id)) {
      err << "partnerbot: client " << client_id << " has no Pleo credential\n";
      return exit_failed;
    }
    out << "removed the Pleo credential of " << client_id << "\n";
    return exit_ok;
  } catch (const std::exception& e) {
    err << "partnerbot: " << s.db_path << ": " << e.what() << "\n";
    return exit_failed;
  }
}

int sync_once(const command_settings& s, const std::optional<std::string>& client_id, bool tty,
              std::ostream& out, std::ostream& err) {
  auto key = key_or_refuse(s, err);
  if (!key) return exit_not_configured;
  constexpr std::string_view clear_line = "\r\x1b[K";
  sync_report report;
  std::string crashed;
  try {
    asio::io_context io{1};
    bot::http_client http(io);
    syncer sync(io, http, s.db_path, *key, s.sync);
    auto progress = [&](const client_outcome& o, const sync_progress& p) {
      if (tty) out << clear_line;
      if (o.ok) {
        if (!tty) out << "ok " << who(o.client_id, o.client_name) << ": " << figures_text(o.figures) << "\n";
      } else {
        out << "failed " << who(o.client_id, o.client_name) << ": " << shown(o.error) << "\n";
      }
      if (tty) out << fmt::format("syncing: {}/{} clients, {} failed", p.done, p.total, p.failed);
      out << std::flush;
    };
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { report = co_await sync.run(client_id, progress); },
        [&](std::exception_ptr e) {
          if (!e) return;
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            crashed = ex.what();
          }
        });
    io.run();
  } catch (const std::exception& e) {
    crashed = e.what();
  }
  if (tty) out << clear_line;
  if (!crashed.empty()) {
    err << "partnerbot: sync: " << shown(crashed) << "\n";
    return exit_failed;
  }
  if (!report.refused.empty()) {
    err << "partnerbot: " << shown(report.refused) << "\n";
    return exit_failed;
  }
  if (report.total == 0) {
    out << "sync: no client has a Pleo credential (add one with `partnerbot credentials add CLIENT_ID`)\n";
    return exit_ok;
  }
  const double seconds = std::chrono::duration<double>(report.elapsed).count();
  std::string line = fmt::format("sync: {} of {} clients synced in {:.1f} s ({} requests)", report.ok,
                                 report.total, seconds, report.requests);
  if (!report.failed.empty()) {
    std::vector<std::string> failed;
    for (const auto& id : report.failed)
      failed.push_back(shown(id));
    line += fmt::format("; failed: {}", fmt::join(failed, ", "));
  }
  out << line << "\n" << std::flush;
  return report.failed.empty() ? exit_ok : exit_failed;
}

} // namespace pleo
