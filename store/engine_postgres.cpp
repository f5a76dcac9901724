#include "store/engine_postgres.hpp"

#include "store/migrations.hpp"

#include <charconv>
#include <fmt/format.h>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/prepared_statement>
#include <pqxx/result>
#include <pqxx/transaction>
#include <stdexcept>
#include <vector>

namespace store::engine {
namespace {

// The key of the advisory lock migrations run under (any fixed number).
constexpr long long migration_lock_key = 0x70626f746d6967; // "pbotmig"

constexpr const char* sql_schema_table =
    "CREATE TABLE IF NOT EXISTS partnerbot_schema (id INTEGER PRIMARY KEY CHECK (id = 1), "
    "version INTEGER NOT NULL); "
    "INSERT INTO partnerbot_schema(id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING";

std::string hex_bytea(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (const unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

int bytea_hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw std::runtime_error("malformed bytea value");
}

std::string unhex_bytea(std::string_view text) {
  if (!text.starts_with("\\x")) return std::string(text);
  text.remove_prefix(2);
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    out += static_cast<char>(bytea_hex_digit(text[i]) * 16 + bytea_hex_digit(text[i + 1]));
  return out;
}

class postgres_statement final : public statement {
public:
  // `name` empty: not prepared, sent with its text each time.
  postgres_statement(postgres_connection& conn, std::string name, std::string sql_text, int parameters)
      : conn_(conn), name_(std::move(name)), sql_(std::move(sql_text)), parameters_(parameters) {
    values_.resize(static_cast<std::size_t>(parameters_));
  }

  void reset() override {
    result_.reset();
    row_ = 0;
    for (auto& v : values_)
      v.reset();
  }
  void bind_text(int index, std::string_view text) override { slot(index) = std::string(text); }
  void bind_int(int index, std::int64_t value) override { slot(index) = std::to_string(value); }
  void bind_blob(int index, std::string_view bytes) override { slot(index) = hex_bytea(bytes); }
  void bind_null(int index) override { slot(index).reset(); }
  int parameter_count() const override { return parameters_; }

  bool step() override {
    if (!result_) {
      run();
      row_ = 0;
    } else {
      ++row_;
    }
    return row_ < result_->size();
  }
  int exec() override {
    run();
    row_ = result_->size();
    return static_cast<int>(result_->affected_rows());
  }
  int column_count() override { return result_ ? static_cast<int>(result_->columns()) : 0; }
  std::string column_name(int column) override {
    return result_ ? result_->column_name(static_cast<pqxx::row::size_type>(column)) : std::string{};
  }
  bool is_null(int column) override { return field(column).is_null(); }
  std::string text(int column) override {
    const auto f = field(column);
    return f.is_null() ? std::string{} : std::string(f.c_str(), f.size());
  }
  std::int64_t int64(int column) override {
    const auto f = field(column);
    if (f.is_null()) return 0;
    const std::string_view v(f.c_str(), f.size());
    if (v == "t") return 1;
    if (v == "f") return 0;
    std::int64_t n = 0;
    // A numeric (a sum of integers) prints as an integer; a fraction is cut.
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc{}) throw std::runtime_error(fmt::format("not an integer: {}", v));
    (void)end;
    return n;
  }
  std::string blob(int column) override {
    const auto f = field(column);
    return f.is_null() ? std::string{} : unhex_bytea(std::string_view(f.c_str(), f.size()));
  }

private:
  std::optional<std::string>& slot(int index) {
    if (index < 1 || index > parameters_)
      throw std::out_of_range(fmt::format("parameter {} of {}", index, parameters_));
    result_.reset();
    return values_[static_cast<std::size_t>(index - 1)];
  }
  pqxx::field field(int column) {
    if (!result_ || row_ >= result_->size()) throw std::logic_error("no current row");
    return (*result_)[static_cast<pqxx::result::size_type>(row_)][static_cast<pqxx::row::size_type>(column)];
  }
  void run() {
    std::vector<const char*> args;
    args.reserve(values_.size());
    for (const auto& v : values_)
      args.push_back(v ? v->c_str() : nullptr);
    auto go = [&](pqxx::transaction_base& tx) {
      return name_.empty() ? tx.exec_params(sql_, pqxx::prepare::make_dynamic_params(args))
                           : tx.exec_prepared(name_, pqxx::prepare::make_dynamic_params(args));
    };
    if (auto* open = conn_.current()) {
      result_ = go(*open);
    } else {
      pqxx::nontransaction alone(conn_.raw());
      result_ = go(alone);
    }
  }

  postgres_connection& conn_;
  std::string name_;
  std::string sql_;
  int parameters_;
  std::vector<std::optional<std::string>> values_;
  std::optional<pqxx::result> result_;
  std::size_t row_ = 0;
};

} // namespace

std::string postgres_placeholders(std::string_view sql_text, int* parameters) {
  std::string out;
  out.reserve(sql_text.size() + 8);
  int next = 0, highest = 0;
  char quote = 0;
  for (std::size_t i = 0; i < sql_text.size(); ++i) {
    const char c = sql_text[i];
    if (quote) {
      out += c;
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      continue;
    }
    if (c != '?') {
      out += c;
      continue;
    }
    std::size_t j = i + 1;
    int n = 0;
    while (j < sql_text.size() && sql_text[j] >= '0' && sql_text[j] <= '9')
      n = n * 10 + (sql_text[j++] - '0');
    if (j == i + 1) n = ++next;
    highest = std::max(highest, n);
    out += '$';
    out += std::to_string(n);
    i = j - 1;
  }
  if (parameters) *parameters = highest;
  return out;
}

postgres_connection::postgres_connection(const std::string& uri) : conn_(uri) {
  // Times the store compares as text are written by the program, not the
  // server; keep the server's own output predictable anyway.
  pqxx::nontransaction tx(conn_);
  tx.exec("SET TIME ZONE 'UTC'");
}

postgres_connection::~postgres_connection() {
  statements_.clear();
  tx_.reset();
}

statement& postgres_connection::prepared(const char* sql_text) {
  auto it = statements_.find(sql_text);
  if (it == statements_.end()) {
    int parameters = 0;
    auto text = postgres_placeholders(sql_text, &parameters);
    auto name = fmt::format("s{}", next_name_++);
    conn_.prepare(name, text);
    it = statements_
             .emplace(sql_text, std::make_unique<postgres_statement>(*this, std::move(name), std::move(text),
                                                                     parameters))
             .first;
    return *it->second;
  }
  it->second->reset();
  return *it->second;
}

std::unique_ptr<statement> postgres_connection::fresh(std::string_view sql_text) {
  int parameters = 0;
  auto text = postgres_placeholders(sql_text, &parameters);
  return std::make_unique<postgres_statement>(*this, std::string{}, std::move(text), parameters);
}

void postgres_connection::exec(std::string_view sql_text) {
  if (tx_) {
    tx_->exec(std::string(sql_text));
  } else {
    pqxx::nontransaction tx(conn_);
    tx.exec(std::string(sql_text));
  }
}

void postgres_connection::begin_read() {
  if (tx_) throw std::logic_error("a transaction is already open");
  // One snapshot for every read inside, as SQLite's read transaction gives.
  tx_ = std::make_unique<pqxx::transaction<pqxx::isolation_level::repeatable_read>>(conn_);
}

void postgres_connection::begin_write() {
  if (tx_) throw std::logic_error("a transaction is already open");
  tx_ = std::make_unique<pqxx::work>(conn_);
}

void postgres_connection::commit() {
  if (!tx_) throw std::logic_error("no transaction to commit");
  auto tx = std::move(tx_);
  tx->commit();
}

void postgres_connection::rollback() noexcept {
  if (!tx_) return;
  auto tx = std::move(tx_);
  try {
    tx->abort();
  } catch (...) {
  }
}

void postgres_connection::savepoint(const char* name) {
  exec(fmt::format("SAVEPOINT {}", name));
}
void postgres_connection::release(const char* name) {
  exec(fmt::format("RELEASE SAVEPOINT {}", name));
}
void postgres_connection::rollback_to(const char* name) noexcept {
  try {
    exec(fmt::format("ROLLBACK TO SAVEPOINT {}", name));
    exec(fmt::format("RELEASE SAVEPOINT {}", name));
  } catch (...) {
  }
}

int postgres_connection::schema_version() {
  auto q = fresh("SELECT version FROM partnerbot_schema WHERE id = 1");
  try {
    return q->step() ? static_cast<int>(q->int64(0)) : 0;
  } catch (const pqxx::undefined_table&) {
    return 0;
  }
}

void postgres_connection::migrate() {
  const auto steps = migrations(kind::postgres);
  // A session lock: a second instance starting now waits here, then finds
  // the schema current.
  exec(fmt::format("SELECT pg_advisory_lock({})", migration_lock_key));
  struct unlock {
    postgres_connection& c;
    ~unlock() {
      try {
        c.exec(fmt::format("SELECT pg_advisory_unlock({})", migration_lock_key));
      } catch (...) {
      }
    }
  } guard{*this};
  exec(sql_schema_table);
  int version = schema_version();
  if (version > static_cast<int>(steps.size()))
    throw std::runtime_error(
        fmt::format("database schema version {} is newer than this program ({})", version, steps.size()));
  while (version < static_cast<int>(steps.size())) {
    begin_write();
    try {
      const char* step = steps[static_cast<std::size_t>(version)];
      if (*step) tx_->exec(step);
      tx_->exec(fmt::format("UPDATE partnerbot_schema SET version = {} WHERE id = 1", version + 1));
      commit();
    } catch (...) {
      rollback();
      throw;
    }
    ++version;
  }
}

bool postgres_connection::reachable() {
  try {
    auto q = fresh("SELECT 1");
    return q->step() && q->int64(0) == 1;
  } catch (const std::exception&) {
    return false;
  }
}

std::optional<std::string> postgres_connection::write_failure() {
  if (tx_) return std::nullopt;
  try {
    pqxx::work tx(conn_);
    // Another writer holding the row counts as writable: do not wait for it.
    tx.exec("SET LOCAL lock_timeout = '200ms'");
    tx.exec("UPDATE partnerbot_schema SET version = version WHERE id = 1");
    tx.commit();
    return std::nullopt;
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "55P03") return std::nullopt; // lock_not_available
    return std::string(e.what());
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

std::unique_ptr<connection> open_postgres(const std::string& uri) {
  return std::make_unique<postgres_connection>(uri);
}

} // namespace store::engine
