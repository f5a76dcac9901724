#include "store/engine_sqlite.hpp"

#include "store/migrations.hpp"
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

namespace store::engine {
namespace {

constexpr int busy_timeout_ms = 5000;

class sqlite_statement final : public statement {
public:
  sqlite_statement(SQLite::Database& db, std::string_view sql_text) : stmt_(db, std::string(sql_text)) {}
  ~sqlite_statement() override { stmt_.tryReset(); }

  void reset() override {
    stmt_.tryReset();
    stmt_.clearBindings();
  }
  // Text binds copy (SQLite's own copy): the bound value may be a temporary.
  void bind_text(int index, std::string_view text) override { stmt_.bind(index, std::string(text)); }
  void bind_int(int index, std::int64_t value) override { stmt_.bind(index, static_cast<int64_t>(value)); }
  void bind_blob(int index, std::string_view bytes) override {
    // SQLite binds a null pointer as NULL: an empty blob needs a real one.
    static constexpr char none = 0;
    stmt_.bind(index, bytes.data() ? bytes.data() : &none, static_cast<int>(bytes.size()));
  }
  void bind_null(int index) override { stmt_.bind(index); }
  int parameter_count() const override { return stmt_.getBindParameterCount(); }
  bool step() override { return stmt_.executeStep(); }
  int exec() override { return stmt_.exec(); }
  int column_count() override { return stmt_.getColumnCount(); }
  std::string column_name(int column) override { return stmt_.getColumnName(column); }
  bool is_null(int column) override { return stmt_.getColumn(column).isNull(); }
  std::string text(int column) override { return stmt_.getColumn(column).getString(); }
  std::int64_t int64(int column) override { return stmt_.getColumn(column).getInt64(); }
  std::string blob(int column) override {
    const auto c = stmt_.getColumn(column);
    return std::string(static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes()));
  }

private:
  SQLite::Statement stmt_;
};

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

sqlite_connection::sqlite_connection(const std::string& path)
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
}

statement& sqlite_connection::prepared(const char* sql_text) {
  auto it = statements_.find(sql_text);
  if (it == statements_.end()) {
    it = statements_.emplace(sql_text, std::make_unique<sqlite_statement>(db_, sql_text)).first;
    return *it->second;
  }
  it->second->reset();
  return *it->second;
}

std::unique_ptr<statement> sqlite_connection::fresh(std::string_view sql_text) {
  return std::make_unique<sqlite_statement>(db_, sql_text);
}

void sqlite_connection::exec(std::string_view sql_text) {
  db_.exec(std::string(sql_text));
}

bool sqlite_connection::in_transaction() const {
  return sqlite3_get_autocommit(db_.getHandle()) == 0;
}

void sqlite_connection::begin_read() {
  db_.exec("BEGIN DEFERRED");
}
void sqlite_connection::begin_write() {
  db_.exec("BEGIN IMMEDIATE");
}
void sqlite_connection::commit() {
  db_.exec("COMMIT");
}
void sqlite_connection::rollback() noexcept {
  db_.tryExec("ROLLBACK");
}
void sqlite_connection::savepoint(const char* name) {
  db_.exec(fmt::format("SAVEPOINT {}", name));
}
void sqlite_connection::release(const char* name) {
  db_.exec(fmt::format("RELEASE {}", name));
}
void sqlite_connection::rollback_to(const char* name) noexcept {
  db_.tryExec(fmt::format("ROLLBACK TO {}", name));
  db_.tryExec(fmt::format("RELEASE {}", name));
}

int sqlite_connection::schema_version() {
  return db_.execAndGet("PRAGMA user_version").getInt();
}

void sqlite_connection::migrate() {
  const auto steps = migrations(kind::sqlite);
  int version = schema_version();
  if (version > static_cast<int>(steps.size()))
    throw std::runtime_error(
        fmt::format("database schema version {} is newer than this program ({})", version, steps.size()));
  if (version == static_cast<int>(steps.size())) return;
  // A migration may rebuild a table that others reference (SQLite's way to
  // drop a constrained column): foreign keys are off while it runs and
  // checked before it commits, so a rebuild never cascades deletes.
  db_.exec("PRAGMA foreign_keys = OFF");
  while (version < static_cast<int>(steps.size())) {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    // Re-read inside the write lock: another process may have migrated meanwhile.
    version = schema_version();
    if (version >= static_cast<int>(steps.size())) break;
    db_.exec(steps[static_cast<std::size_t>(version)]);
    SQLite::Statement violations(db_, "PRAGMA foreign_key_check");
    if (violations.executeStep())
      throw std::runtime_error(fmt::format("migration {} left a broken reference in table {}", version + 1,
                                           violations.getColumn(0).getString()));
    db_.exec(fmt::format("PRAGMA user_version = {}", version + 1));
    tx.commit();
    ++version;
  }
  db_.exec("PRAGMA foreign_keys = ON");
}

std::optional<std::string> sqlite_connection::write_failure() {
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

bool sqlite_connection::reachable() {
  try {
    return db_.execAndGet("SELECT 1").getInt() == 1;
  } catch (const SQLite::Exception&) {
    return false;
  }
}

std::unique_ptr<connection> open_sqlite(const std::string& path) {
  return std::make_unique<sqlite_connection>(path);
}

} // namespace store::engine
