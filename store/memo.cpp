#include "store/memo.hpp"

#include "store/engine.hpp"

#include <atomic>
#include <cstring>
#include <sqlite3.h>

namespace store {
namespace {

// Entries of each kind before the memo starts again: far more than a
// firm's members, few enough that unknown callers cannot fill memory.
constexpr std::size_t max_entries = 100'000;

bool in_memory(sqlite3* handle) {
  const char* file = sqlite3_db_filename(handle, "main");
  return file == nullptr || *file == '\0';
}

// The first region of the connection's write-ahead-log index, as SQLite
// itself maps it; nullptr when there is none.
const volatile unsigned char* wal_index(sqlite3* handle) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(handle, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
      file->pMethods->xShmMap == nullptr)
    return nullptr;
  volatile void* region = nullptr;
  // 32 KiB: the index's region size; 0: map only what exists.
  if (file->pMethods->xShmMap(file, 0, 32 * 1024, 0, &region) != SQLITE_OK) return nullptr;
  return static_cast<const volatile unsigned char*>(region);
}

} // namespace

bool connection_memo::stamp_now(database& db, std::array<unsigned char, stamp_bytes>& out) const {
  const auto* header = wal_index(db.sql().getHandle());
  if (header == nullptr) return false;
  std::atomic_thread_fence(std::memory_order_acquire);
  // The index header's first copy: version, change counter, frame count,
  // page count, checksums and salts. A commit or a log reset rewrites it.
  for (std::size_t i = 0; i < stamp_bytes; ++i)
    out[i] = header[i];
  return true;
}

connection_memo& connection_memo::of(database& db) {
  // Few connections live at once; a thread that has seen many starts again.
  constexpr std::size_t max_connections = 64;
  thread_local std::unordered_map<const void*, connection_memo> memos;
  // PostgreSQL has no log header to watch: its memo is never usable.
  const void* handle = db.engine_kind() == engine::kind::sqlite
                           ? static_cast<const void*>(db.sql().getHandle())
                           : static_cast<const void*>(&db);
  if (memos.size() >= max_connections && !memos.contains(handle)) memos.clear();
  return memos[handle];
}

bool connection_memo::usable(database& db) {
  if (db.engine_kind() != engine::kind::sqlite) return false;
  sqlite3* handle = db.sql().getHandle();
  // A new connection may have the handle of a closed one: decided again
  // when the file differs (the same file's log header tells the rest).
  const char* file = sqlite3_db_filename(handle, "main");
  const std::string_view path = file == nullptr ? std::string_view{} : std::string_view{file};
  if (mode_ == mode::undecided || path != file_) {
    clear();
    file_ = path;
    changes_ = -1;
    stamp_ = {};
    mode_ = !in_memory(handle) && db.sql().execAndGet("PRAGMA journal_mode").getString() == "wal"
                ? mode::write_ahead_log
                : mode::off;
  }
  if (mode_ == mode::off) return false;
  // Inside a transaction that may write, what is read might roll back.
  if (sqlite3_get_autocommit(handle) == 0 && !db.in_read_snapshot()) return false;
  bool fresh = true;
  const auto changes = sqlite3_total_changes64(handle);
  if (changes != changes_) fresh = false;
  std::array<unsigned char, stamp_bytes> now{};
  if (!stamp_now(db, now)) {
    clear();
    return false;
  }
  if (now != stamp_) fresh = false;
  stamp_ = now;
  if (!fresh) {
    clear();
    changes_ = changes;
  }
  return true;
}

bool connection_memo::may_fill(database& db) {
  return db.engine_kind() == engine::kind::sqlite && sqlite3_get_autocommit(db.sql().getHandle()) != 0;
}

std::string connection_memo::caller_key(std::string_view platform, std::string_view workspace_id,
                                        std::string_view user_id) {
  std::string key;
  key.reserve(platform.size() + workspace_id.size() + user_id.size() + 2);
  key.append(platform).append(1, '\0').append(workspace_id).append(1, '\0').append(user_id);
  return key;
}

void connection_memo::bound() {
  if (callers.size() > max_entries || languages.size() > max_entries || platforms.size() > max_entries)
    clear();
}

void connection_memo::clear() {
  callers.clear();
  languages.clear();
  platforms.clear();
  client_generation.reset();
}

memo_or_snapshot::memo_or_snapshot(database& db) {
  if (!connection_memo::of(db).usable(db)) snapshot_.emplace(db);
}

} // namespace store
