#include "text/log_escape.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace text {
namespace {

// Length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes
// there are not one (overlong forms, surrogates and truncation included).
std::size_t sequence_length(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  char32_t min = 0;
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() - i < len) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

} // namespace

std::string escape_for_log(std::string_view text, std::size_t max_bytes) {
  constexpr std::string_view ellipsis = "...";
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  std::size_t keep = 0; // the last cut that leaves room for the ellipsis
  bool cut = false;
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp = 0;
    const auto len = sequence_length(text, i, cp);
    std::string piece;
    if (len == 0) {
      piece = fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
    } else if (cp == '\n') {
      piece = "\\n";
    } else if (cp == '\r') {
      piece = "\\r";
    } else if (cp == '\t') {
      piece = "\\t";
    } else if (cp < 0x20 || cp == 0x7F) {
      piece = fmt::format("\\x{:02x}", static_cast<unsigned>(cp));
    } else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029) {
      piece = fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    } else {
      piece = std::string(text.substr(i, len));
    }
    if (out.size() + piece.size() > max_bytes) {
      cut = true;
      break;
    }
    out += piece;
    if (out.size() + ellipsis.size() <= max_bytes) keep = out.size();
    i += len == 0 ? 1 : len;
  }
  if (cut) {
    out.resize(keep);
    out += ellipsis;
  }
  return out;
}

} // namespace text
