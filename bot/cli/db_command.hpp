#pragma once
// `partnerbot db copy FROM TO`: moves a store between engines (a SQLite file
// and a PostgreSQL URI, either way) into an empty target.

#include <iosfwd>
#include <string>

namespace bot {

// 0 when every table was copied and counted; 1 (with the reason on `err`) otherwise.
int run_db_copy(const std::string& from, const std::string& to, std::ostream& out, std::ostream& err);

} // namespace bot
