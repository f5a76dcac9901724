#pragma once
// What every chat request reads besides client data, kept in memory per
// connection: who is asking (the firm by workspace, the member by chat
// user), their language setting, the platform they last used, and the
// client data's generation. With it a read-only answer opens no SQLite
// transaction at all.
//
// Nothing is edited in place: the memo is cleared whenever this connection
// has changed rows (SQLite counts them) or anyone, in this process or
// another, has committed since it was filled. The latter is seen without a
// transaction or a system call: every commit rewrites the header of the
// write-ahead log's shared-memory index, which this connection has mapped
// (the header's change counter, frame count and salts are compared). A
// database in memory has no other connection, so its count alone decides.
// Where neither holds (no write-ahead log), every read goes to SQLite; on
// PostgreSQL every read goes to the database.

#include "store/database.hpp"
#include "store/languages.hpp"
#include "store/types.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace store {

class connection_memo {
public:
  // The memo of `db` on this thread (a connection is used by one thread at
  // a time; a connection used from two threads has one memo on each, and
  // both see its writes). Keyed by the SQLite handle: one that a new
  // connection happens to reuse finds memos of the same file agreeing with
  // it (the log's header is unchanged since) or cleared.
  static connection_memo& of(database& db);

  // Whether values may be taken from the memo now (no write transaction is
  // open: what it read might roll back). Clears what has gone stale first.
  bool usable(database& db);
  // Whether a value just read may be put in: only outside any transaction,
  // so that it was read after the check `usable` made.
  static bool may_fill(database& db);

  struct caller_entry {
    std::optional<partner> firm; // nullopt: the workspace belongs to no partner
    std::optional<member> linked;
  };
  // Looked up by string_view, so that a lookup copies no key.
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class T> using by_text = std::unordered_map<std::string, T, text_hash, std::equal_to<>>;
  // Keyed by platform, workspace and user (caller_key).
  by_text<caller_entry> callers;
  by_text<language_setting> languages;           // by member id
  by_text<std::optional<std::string>> platforms; // last platform, by member id
  std::optional<std::int64_t> client_generation;

  static std::string caller_key(std::string_view platform, std::string_view workspace_id,
                                std::string_view user_id);
  // Called after adding an entry: a memo past its bound starts again.
  void bound();

private:
  static constexpr std::size_t stamp_bytes = 48;
  enum class mode { undecided, write_ahead_log, off };
  void clear();
  bool stamp_now(database& db, std::array<unsigned char, stamp_bytes>& out) const;
  mode mode_ = mode::undecided;
  std::string file_;
  std::int64_t changes_ = -1;
  std::array<unsigned char, stamp_bytes> stamp_{};
};

// A read snapshot only when the memo cannot answer: where it can, the
// reads come from memory (and a miss reads SQLite statement by statement).
class memo_or_snapshot {
public:
  explicit memo_or_snapshot(database& db);

private:
  std::optional<read_snapshot> snapshot_;
};

// The client generation as SQLite has it now, whatever the memo holds.
std::int64_t stored_client_generation(database& db);

} // namespace store
