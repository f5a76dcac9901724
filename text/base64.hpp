#pragma once
// Base64 (RFC 4648), over OpenSSL's codec: the standard alphabet with
// padding (keys, credentials) and the URL alphabet without it (JSON Web
// Tokens). Decoding is strict: anything else is nullopt.

#include <optional>
#include <string>
#include <string_view>

namespace text {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

} // namespace text
