#include "store/danish.hpp"

#include <cstdint>

namespace store {
namespace {

constexpr char32_t replacement = 0xFFFD;

// Decodes one code point at `i`, advancing it; invalid bytes become U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int extra = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07;
  } else {
    ++i;
    return replacement;
  }
  if (i + static_cast<std::size_t>(extra) >= s.size()) { // truncated sequence
    i = s.size();
    return replacement;
  }
  for (int k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return replacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<std::size_t>(extra) + 1;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
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

char32_t lower(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  // Latin Extended-A (Polish, Czech, Hungarian ... names): upper/lower pairs.
  if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) return (cp % 2 == 0) ? cp + 1 : cp;
  if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) return (cp % 2 == 1) ? cp + 1 : cp;
  if (cp == 0x178) return 0xFF;
  return cp;
}

// ASCII spelling of a lower-case letter, or empty when it has none here.
std::string_view ascii_of(char32_t cp) {
  switch (cp) {
  case U'à': case U'á': case U'â': case U'ã': case U'ä': case U'ā': case U'ă': case U'ą': return "a";
  case U'å': return "aa";
  case U'æ': return "ae";
  case U'ç': case U'ć': case U'ĉ': case U'ċ': case U'č': return "c";
  case U'ð': case U'ď': case U'đ': return "d";
  case U'è': case U'é': case U'ê': case U'ë': case U'ē': case U'ĕ': case U'ė': case U'ę': case U'ě': return "e";
  case U'ĝ': case U'ğ': case U'ġ': case U'ģ': return "g";
  case U'ì': case U'í': case U'î': case U'ï': case U'ĩ': case U'ī': case U'ĭ': case U'į': case U'ı': return "i";
  case U'ķ': return "k";
  case U'ĺ': case U'ļ': case U'ľ': case U'ŀ': case U'ł': return "l";
  case U'ñ': case U'ń': case U'ņ': case U'ň': return "n";
  case U'ò': case U'ó': case U'ô': case U'õ': case U'ö': case U'ø': case U'ō': case U'ŏ': case U'ő': return "o";
  case U'œ': return "oe";
  case U'ŕ': case U'ŗ': case U'ř': return "r";
  case U'ś': case U'ŝ': case U'ş': case U'š': return "s";
  case U'ß': return "ss";
  case U'ţ': case U'ť': case U'ŧ': return "t";
  case U'þ': return "th";
  case U'ù': case U'ú': case U'û': case U'ü': case U'ũ': case U'ū': case U'ŭ': case U'ů': case U'ű': case U'ų': return "u";
  case U'ŵ': return "w";
  case U'ý': case U'ÿ': case U'ŷ': return "y";
  case U'ź': case U'ż': case U'ž': return "z";
  default: return {};
  }
}

// Primary sort weights, one byte each (never 0x00/0x01: those separate the levels).
constexpr unsigned char w_space = 0x10;
constexpr unsigned char w_punct = 0x11; // + ASCII punctuation index (< 0x30)
constexpr unsigned char w_digit = 0x40;
constexpr unsigned char w_letter = 0x50; // a..z: 0x50..0x69
constexpr unsigned char w_ae = 0x6A;
constexpr unsigned char w_oe = 0x6B;
constexpr unsigned char w_aa = 0x6C;
constexpr unsigned char w_other = 0x70; // followed by the character's UTF-8 bytes (all >= 0x80)

void append_weight(std::string& key, char32_t cp) {
  auto letter = [&](char c) { key += static_cast<char>(w_letter + (c - 'a')); };
  if (cp >= 'a' && cp <= 'z') return letter(static_cast<char>(cp));
  if (cp >= '0' && cp <= '9') {
    key += static_cast<char>(w_digit + (cp - '0'));
    return;
  }
  if (cp == ' ' || cp == '\t' || cp == 0xA0) {
    key += static_cast<char>(w_space);
    return;
  }
  if (cp < 0x80) {
    // Punctuation keeps its ASCII order among itself.
    unsigned idx = 0;
    if (cp >= 0x21 && cp <= 0x2F) idx = cp - 0x21;             // 0..14
    else if (cp >= 0x3A && cp <= 0x40) idx = 15 + (cp - 0x3A);  // 15..21
    else if (cp >= 0x5B && cp <= 0x60) idx = 22 + (cp - 0x5B);  // 22..27
    else if (cp >= 0x7B && cp <= 0x7E) idx = 28 + (cp - 0x7B);  // 28..31
    key += static_cast<char>(w_punct + idx);
    return;
  }
  switch (cp) {
  case U'æ': case U'ä': key += static_cast<char>(w_ae); return;
  case U'ø': case U'ö': case U'œ': key += static_cast<char>(w_oe); return;
  case U'å': key += static_cast<char>(w_aa); return;
  case U'ü': case U'ű': return letter('y');
  default: break;
  }
  if (const auto a = ascii_of(cp); !a.empty()) {
    for (char c : a) letter(c);
    return;
  }
  key += static_cast<char>(w_other);
  append_utf8(key, cp);
}

} // namespace

std::string fold_case(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) append_utf8(out, lower(next_code_point(utf8, i)));
  return out;
}

std::string fold_ascii(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() + 4);
  for (std::size_t i = 0; i < utf8.size();) {
    const char32_t cp = lower(next_code_point(utf8, i));
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (const auto a = ascii_of(cp); !a.empty()) {
      out += a;
    } else {
      append_utf8(out, cp);
    }
  }
  return out;
}

std::string danish_sort_key(std::string_view utf8) {
  std::string key;
  key.reserve(utf8.size() * 2 + 2);
  for (std::size_t i = 0; i < utf8.size();) append_weight(key, lower(next_code_point(utf8, i)));
  // Ties (names equal but for case or accents) fall back to the exact bytes.
  key += '\x01';
  key.append(utf8);
  return key;
}

bool is_ascii(std::string_view text) {
  for (char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

std::size_t utf8_length(std::string_view utf8) {
  std::size_t n = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

} // namespace store
