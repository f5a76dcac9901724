#pragma once
// Small helpers for the store's own use: a cached statement that is reset
// when it goes out of scope (so no read snapshot is held open between
// calls), with typed binds and column reads for either engine.

#include "store/database.hpp"
#include "store/engine.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace store::sql {

class query {
public:
  query(database& db, const char* sql_text) : stmt_(db.connection().prepared(sql_text)) {}
  ~query() { stmt_.reset(); }
  query(const query&) = delete;
  query& operator=(const query&) = delete;

  // Text binds copy: the bound value may be a temporary.
  query& bind(int index, std::string_view text) {
    stmt_.bind_text(index, text);
    return *this;
  }
  query& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  query& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  query& bind(int index, std::int64_t value) {
    stmt_.bind_int(index, value);
    return *this;
  }
  query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  query& bind_blob(int index, std::string_view bytes) {
    stmt_.bind_blob(index, bytes);
    return *this;
  }
  query& bind_null(int index) {
    stmt_.bind_null(index);
    return *this;
  }
  // Binds an empty string as NULL (optional unique columns).
  query& bind_or_null(int index, std::string_view text) {
    return text.empty() ? bind_null(index) : bind(index, text);
  }
  int parameter_count() const { return stmt_.parameter_count(); }

  bool step() { return stmt_.step(); }
  int exec() { return stmt_.exec(); }

  int column_count() { return stmt_.column_count(); }
  bool is_null(int column) { return stmt_.is_null(column); }
  std::string text(int column) { return stmt_.text(column); }
  std::int64_t int64(int column) { return stmt_.int64(column); }
  int integer(int column) { return static_cast<int>(stmt_.int64(column)); }
  std::string blob(int column) { return stmt_.blob(column); }

private:
  engine::statement& stmt_;
};

} // namespace store::sql
