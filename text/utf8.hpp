#pragma once
// UTF-8 text as chat platforms count it: in code points. The one home of
// decoding for the whole program (store, handlers and renderers).

#include <cstddef>
#include <string>
#include <string_view>

namespace text::utf8 {

// Bytes of the sequence a lead byte starts (1-4); 0 for a byte that cannot lead.
constexpr std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0; // continuation byte, or an overlong 2-byte lead
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF5) return 4;
  return 0;
}

// Well-formed UTF-8: no stray or overlong bytes, no surrogates, nothing past U+10FFFF.
bool valid(std::string_view text);

// Code points in valid UTF-8 (a stray byte counts as one).
std::size_t length(std::string_view text);

// Calls f(bytes of one character) for each code point; a stray byte is one character.
template <typename F> void for_each_char(std::string_view text, F&& f) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = sequence_length(static_cast<unsigned char>(text[i]));
    if (n == 0 || n > text.size() - i) n = 1;
    f(text.substr(i, n));
    i += n;
  }
}

// Appends one code point, encoded.
void append(std::string& out, char32_t cp);

// The code points themselves (a stray byte stands for itself).
std::u32string code_points(std::string_view text);

} // namespace text::utf8
