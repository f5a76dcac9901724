#pragma once
// Small helpers for the store's own use: a cached statement that is reset
// when it goes out of scope (so no read snapshot is held open between
// calls), and binding of string_views without an intermediate std::string.

#include "store/database.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace store::sql {

class query {
public:
  query(database& db, const char* sql_text) : stmt_(db.cached(sql_text)) {}
  ~query() { stmt_.tryReset(); }
  query(const query&) = delete;
  query& operator=(const query&) = delete;

  SQLite::Statement* operator->() { return &stmt_; }
  SQLite::Statement& operator*() { return stmt_; }

  // Text binds copy (SQLite's own copy): the bound value may be a temporary.
  query& bind(int index, std::string_view text) {
    stmt_.bind(index, std::string(text));
    return *this;
  }
  query& bind(int index, const std::string& text) {
    stmt_.bind(index, text);
    return *this;
  }
  query& bind(int index, const char* text) {
    stmt_.bind(index, text);
    return *this;
  }
  query& bind(int index, std::int64_t value) {
    stmt_.bind(index, value);
    return *this;
  }
  query& bind(int index, int value) {
    stmt_.bind(index, value);
    return *this;
  }
  query& bind_blob(int index, std::string_view bytes) {
    stmt_.bind(index, bytes.data(), static_cast<int>(bytes.size()));
    return *this;
  }
  query& bind_null(int index) {
    stmt_.bind(index);
    return *this;
  }
  // Binds an empty string as NULL (optional unique columns).
  query& bind_or_null(int index, std::string_view text) {
    return text.empty() ? bind_null(index) : bind(index, text);
  }
  int parameter_count() const { return stmt_.getBindParameterCount(); }

  bool step() { return stmt_.executeStep(); }
  int exec() { return stmt_.exec(); }

  std::string text(int column) { return stmt_.getColumn(column).getString(); }
  std::int64_t int64(int column) { return stmt_.getColumn(column).getInt64(); }
  int integer(int column) { return stmt_.getColumn(column).getInt(); }

private:
  SQLite::Statement& stmt_;
};

} // namespace store::sql
