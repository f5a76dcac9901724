#include "store/database.hpp"

#include "store/migrations.hpp"
#include "store/read_model.hpp"
#include "store/sort_keys.hpp"
#include "text/log_escape.hpp"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace store {
namespace {

constexpr int busy_timeout_ms = 5000;

void migrate(SQLite::Database& db) {
  const auto steps = migrations();
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version > static_cast<int>(steps.size()))
    throw std::runtime_error(
        fmt::format("database schema version {} is newer than this program ({})", version, steps.size()));
  if (version == static_cast<int>(steps.size())) return;
  // A migration may rebuild a table that others reference (SQLite's way to
  // drop a constrained column): foreign keys are off while it runs and
  // checked before it commits, so a rebuild never cascades deletes.
  db.exec("PRAGMA foreign_keys = OFF");
  while (version < static_cast<int>(steps.size())) {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    // Re-read inside the write lock: another process may have migrated meanwhile.
    version = db.execAndGet("PRAGMA user_version").getInt();
    if (version >= static_cast<int>(steps.size())) break;
    db.exec(steps[static_cast<std::size_t>(version)]);
    SQLite::Statement violations(db, "PRAGMA foreign_key_check");
    if (violations.executeStep())
      throw std::runtime_error(fmt::format("migration {} left a broken reference in table {}", version + 1,
                                           violations.getColumn(0).getString()));
    db.exec(fmt::format("PRAGMA user_version = {}", version + 1));
    tx.commit();
    ++version;
  }
}

// The file holds members' e-mails, chat ids and conversation references:
// readable by its owner only, whatever the umask. Creates it 0600 before
// SQLite opens it (SQLite gives the -wal and -shm files the main file's
// mode), and takes the group's and others' bits off an existing file, or
// its -wal and -shm (never adding any: a read-only file stays so).
const std::string& private_file(const std::string& path) {
  if (path.empty() || path == ":memory:") return path;
  constexpr mode_t others = S_IRWXG | S_IRWXO;
  const auto tighten = [](const std::string& file, int fd) {
    struct stat st {};
    if ((fd >= 0 ? ::fstat(fd, &st) : ::stat(file.c_str(), &st)) != 0 || !S_ISREG(st.st_mode) ||
        (st.st_mode & others) == 0)
      return;
    const mode_t mode = st.st_mode & S_IRWXU;
    if ((fd >= 0 ? ::fchmod(fd, mode) : ::chmod(file.c_str(), mode)) == 0)
      spdlog::warn("database file {} was mode {:o}, now {:o} (owner only)", text::escape_for_log(file),
                   st.st_mode & 0777, mode);
  };
  // An existing file is never opened here: closing a descriptor drops every
  // POSIX lock this process holds on the file, SQLite's other connections'
  // too, and another process would then take this one's -wal for its own to
  // checkpoint and delete.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd >= 0) {
    tighten(path, fd);
    ::close(fd);
  } else {
    tighten(path, -1); // already there (or SQLite's own open says what is wrong)
  }
  tighten(path + "-wal", -1);
  tighten(path + "-shm", -1);
  return path;
}

} // namespace

database::database(const std::string& path)
    : db_(private_file(path), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX) {
  db_.setBusyTimeout(busy_timeout_ms);
  db_.exec("PRAGMA journal_mode = WAL");
  // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose the last commits.
  db_.exec("PRAGMA synchronous = NORMAL");
  db_.exec("PRAGMA foreign_keys = ON");
  // Reads dominate: map the file and keep a firm's working set (about 1 KiB
  // a client) in the page cache instead of re-reading pages per request.
  db_.exec("PRAGMA mmap_size = 268435456");
  db_.exec("PRAGMA cache_size = -16384");
  db_.exec("PRAGMA temp_store = MEMORY");
  migrate(db_);
  db_.exec("PRAGMA foreign_keys = ON");
  models_ = std::make_shared<read_models>();
  refresh_sort_keys(*this);
}

database::~database() = default;

bool database::in_write_transaction() {
  return sqlite3_get_autocommit(db_.getHandle()) == 0 && !in_read_snapshot();
}

void database::share_read_models(std::shared_ptr<read_models> models) {
  models_ = std::move(models);
}

SQLite::Statement& database::cached(const char* sql_text) {
  auto it = statements_.find(sql_text);
  if (it == statements_.end()) {
    it = statements_.emplace(sql_text, std::make_unique<SQLite::Statement>(db_, sql_text)).first;
    return *it->second;
  }
  it->second->tryReset();
  it->second->clearBindings();
  return *it->second;
}

int database::schema_version() {
  return db_.execAndGet("PRAGMA user_version").getInt();
}

std::optional<std::string> database::write_failure() {
  sqlite3* handle = db_.getHandle();
  if (sqlite3_get_autocommit(handle) == 0) return std::nullopt; // a transaction is open: not now
  // Rewriting the schema version with its own value changes nothing but
  // makes the commit write a page, as any real write would.
  struct no_wait {
    sqlite3* handle;
    explicit no_wait(sqlite3* h) : handle(h) { sqlite3_busy_timeout(handle, 0); }
    ~no_wait() { sqlite3_busy_timeout(handle, busy_timeout_ms); }
  } guard(handle);
  try {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    db_.exec(fmt::format("PRAGMA user_version = {}", schema_version()));
    tx.commit();
    return std::nullopt;
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_BUSY || (e.getErrorCode() & 0xff) == SQLITE_LOCKED)
      return std::nullopt;
    return std::string(e.what());
  }
}

bool database::reachable() {
  try {
    return db_.execAndGet("SELECT 1").getInt() == 1;
  } catch (const SQLite::Exception&) {
    return false;
  }
}

read_snapshot::read_snapshot(database& db) : db_(db) {
  if (sqlite3_get_autocommit(db_.sql().getHandle()) == 0) return;
  db_.sql().exec("BEGIN DEFERRED");
  owner_ = true;
  ++db_.read_snapshot_depth_;
  ++db_.read_snapshot_serial_;
}

read_snapshot::~read_snapshot() {
  if (!owner_) return;
  --db_.read_snapshot_depth_;
  db_.sql().tryExec("COMMIT");
}

// Nested use (a store call inside a caller's transaction) becomes a savepoint,
// so the inner work commits or rolls back with the outer transaction.
transaction::transaction(database& db) : db_(db) {
  nested_ = sqlite3_get_autocommit(db_.sql().getHandle()) == 0;
  db_.sql().exec(nested_ ? "SAVEPOINT store_nested" : "BEGIN IMMEDIATE");
}

transaction::~transaction() {
  if (done_) return;
  if (nested_) {
    db_.sql().tryExec("ROLLBACK TO store_nested");
    db_.sql().tryExec("RELEASE store_nested");
  } else {
    db_.sql().tryExec("ROLLBACK");
  }
}

void transaction::commit() {
  db_.sql().exec(nested_ ? "RELEASE store_nested" : "COMMIT");
  done_ = true;
}

} // namespace store
