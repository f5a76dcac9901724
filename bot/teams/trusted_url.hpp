#pragma once
// Where the Teams adapter may send a secret (app password, bearer token) or
// fetch signing keys from: https anywhere, plain http only to a loopback
// address (tests and local fakes). Pure; safe from any thread.
//
// The Bot Connector's bearer token goes further only to the Connector's own
// hosts (is_bot_connector_url): https on smba.trafficmanager.net,
// *.botframework.com and the sovereign clouds' Connector hosts (US GCC,
// GCC High, DoD, China), or to an origin given as local (the fake Bot
// Framework of tests, on loopback). An activity's serviceUrl is signed by
// the Bot Framework, but it is still a URL the bot sends its token to.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bot::teams {

bool is_trusted_url(std::string_view url);

// The Connector's hosts, by exact name or as a parent domain.
bool is_bot_connector_host(std::string_view host);

// https on a Connector host (default port), or exactly one of `local_origins`.
bool is_bot_connector_url(std::string_view url, const std::vector<std::string>& local_origins);

// "scheme://host[:port]" of an http(s) URL on a loopback address; nullopt otherwise.
std::optional<std::string> loopback_origin(std::string_view url);

// "scheme://host[:port]" for a log line (no path, query or user info); "(unusable URL)" otherwise.
std::string origin_of(std::string_view url);

} // namespace bot::teams
