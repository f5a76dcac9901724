#pragma once
// The command-line side of the connector: `partnerbot credentials
// add|list|remove` and `partnerbot sync`. Each returns the process exit
// code (0 done, 1 failed, 2 not configured) and writes what a person reads
// to `out` and problems to `err`; secrets are read from `in` only and never
// written anywhere but, sealed, to the database.

#include "pleo/sync.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace pleo {

struct command_settings {
  std::string db_path;
  std::string secret_key_base64; // PARTNERBOT_SECRET_KEY; empty: every command refuses
  sync_settings sync;
};

inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;
inline constexpr int exit_not_configured = 2;

// Reads the API key (or with `oauth` the refresh token) from `in`: all of
// it, without surrounding whitespace. `prompt` (a terminal) asks for it on `err` first.
int credentials_add(const command_settings& s, std::string_view client_id, bool oauth, std::istream& in,
                    bool prompt, std::ostream& out, std::ostream& err);
// Which clients have a credential and their last sync result; never a secret.
int credentials_list(const command_settings& s, std::ostream& out, std::ostream& err,
                     std::chrono::system_clock::time_point now = std::chrono::system_clock::now());
int credentials_remove(const command_settings& s, std::string_view client_id, std::ostream& out,
                       std::ostream& err);

// One pass; a terminal (`tty`) sees a progress line, a pipe one plain line
// per client; both end with a one-line summary. Non-zero when a client failed.
int sync_once(const command_settings& s, const std::optional<std::string>& client_id, bool tty,
              std::ostream& out, std::ostream& err);

} // namespace pleo
