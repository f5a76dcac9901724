#include "text/utf8.hpp"

namespace text::utf8 {

bool valid(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const auto n = sequence_length(lead);
    if (n == 0 || i + n > text.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    const auto second = static_cast<unsigned char>(text[i + 1 < text.size() ? i + 1 : i]);
    if (n == 3 && lead == 0xE0 && second < 0xA0) return false; // overlong
    if (n == 3 && lead == 0xED && second > 0x9F) return false; // surrogates
    if (n == 4 && lead == 0xF0 && second < 0x90) return false; // overlong
    if (n == 4 && lead == 0xF4 && second > 0x8F) return false; // beyond U+10FFFF
    i += n;
  }
  return true;
}

std::size_t length(std::string_view text) {
  std::size_t n = 0;
  for_each_char(text, [&](std::string_view) { ++n; });
  return n;
}

std::u32string code_points(std::string_view text) {
  std::u32string out;
  for_each_char(text, [&](std::string_view ch) {
    const auto lead = static_cast<unsigned char>(ch[0]);
    char32_t cp = ch.size() == 1   ? lead
                  : ch.size() == 2 ? (lead & 0x1F)
                  : ch.size() == 3 ? (lead & 0x0F)
                                   : (lead & 0x07);
    for (std::size_t k = 1; k < ch.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(ch[k]) & 0x3F);
    out.push_back(cp);
  });
  return out;
}

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

} // namespace text::utf8
