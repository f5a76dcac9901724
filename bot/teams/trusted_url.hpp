#pragma once
// Where the Teams adapter may send a secret (app password, bearer token) or
// fetch signing keys from: https anywhere, plain http only to a loopback
// address (tests and local fakes). Pure; safe from any thread.

#include <string_view>

namespace bot::teams {

bool is_trusted_url(std::string_view url);

} // namespace bot::teams
