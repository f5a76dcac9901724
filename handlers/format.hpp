#pragma once
// How figures read in chat: Danish style everywhere ("DKK 12.345,50").

#include "store/types.hpp"

#include <string>
#include <string_view>

namespace handlers {

std::string format_money(const store::money& m); // "DKK 12.345,50", "EUR -3,00"
std::string format_count(int n);                   // "1.234"
std::string portal_link(std::string_view url_template, std::string_view client_id);
// "27 Nov 2026 10:00" in Europe/Copenhagen from an ISO 8601 UTC string.
std::string format_local_time(std::string_view iso_utc);

} // namespace handlers
