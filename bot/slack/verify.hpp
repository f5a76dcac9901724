#pragma once
// Slack request signatures (v0): HMAC-SHA256 over "v0:{timestamp}:{body}"
// with the app's signing secret, compared in constant time, timestamp
// within five minutes of now. Pure: headers, body and the clock in, verdict
// out; safe from any thread.

#include <chrono>
#include <string>
#include <string_view>

namespace bot::slack {

enum class verdict { ok, missing_header, malformed, stale, bad_signature };

std::string_view to_string(verdict v);

inline constexpr std::chrono::seconds max_clock_skew{300};

// timestamp / signature: the X-Slack-Request-Timestamp and X-Slack-Signature
// header values (empty when absent). An empty secret never verifies.
verdict verify_request(std::string_view signing_secret, std::string_view timestamp,
                       std::string_view signature, std::string_view body,
                       std::chrono::system_clock::time_point now);

// "v0=<64 hex digits>": what Slack sends for this timestamp and body.
std::string compute_signature(std::string_view signing_secret, std::string_view timestamp,
                              std::string_view body);

} // namespace bot::slack
