#pragma once
// Small helpers for the store's own use: a cached statement that is reset
// when it goes out of scope (so no read snapshot is held open between
// calls), with typed binds and column reads for either engine.

#include "store/database.hpp"
#include "store/engine.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace store::sql {

// A value bound as a blob rather than as text (bind_all, run).
struct blob_value {
  std::string_view bytes;
};

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
  query& bind(int index, blob_value value) { return bind_blob(index, value.bytes); }
  query& bind(int index, std::nullptr_t) { return bind_null(index); }
  // Binds the arguments to ?1, ?2, ... in their order.
  template <class... Args> query& bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
    return *this;
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

  // Reads columns first, first + 1, ... of the current row into the fields, each by its type.
  template <class... Fields> void read_from(int first, Fields&... fields) {
    int column = first;
    (read_column(column++, fields), ...);
  }
  template <class... Fields> void read_into(Fields&... fields) { read_from(0, fields...); }

  // Every remaining row, each made by read(*this).
  template <class Read> auto rows(Read read) {
    std::vector<std::invoke_result_t<Read&, query&>> out;
    while (step())
      out.push_back(read(*this));
    return out;
  }
  // The next row made by read(*this), or nothing when there is none.
  template <class Read> auto first(Read read) -> std::optional<std::invoke_result_t<Read&, query&>> {
    if (!step()) return std::nullopt;
    return read(*this);
  }

private:
  void read_column(int column, std::string& out) { out = text(column); }
  void read_column(int column, std::int64_t& out) { out = int64(column); }
  void read_column(int column, int& out) { out = integer(column); }

  engine::statement& stmt_;
};

// Runs a statement that returns no rows with the arguments bound to ?1, ?2, ...
// and returns how many rows it changed.
template <class... Args> int run(database& db, const char* sql_text, const Args&... args) {
  query q(db, sql_text);
  q.bind_all(args...);
  return q.exec();
}

} // namespace store::sql
