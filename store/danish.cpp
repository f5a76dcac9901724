#include "store/danish.hpp"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/uversion.h>

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
  case U'à':
  case U'á':
  case U'â':
  case U'ã':
  case U'ä':
  case U'ā':
  case U'ă':
  case U'ą':
    return "a";
  case U'å':
    return "aa";
  case U'æ':
    return "ae";
  case U'ç':
  case U'ć':
  case U'ĉ':
  case U'ċ':
  case U'č':
    return "c";
  case U'ð':
  case U'ď':
  case U'đ':
    return "d";
  case U'è':
  case U'é':
  case U'ê':
  case U'ë':
  case U'ē':
  case U'ĕ':
  case U'ė':
  case U'ę':
  case U'ě':
    return "e";
  case U'ĝ':
  case U'ğ':
  case U'ġ':
  case U'ģ':
    return "g";
  case U'ì':
  case U'í':
  case U'î':
  case U'ï':
  case U'ĩ':
  case U'ī':
  case U'ĭ':
  case U'į':
  case U'ı':
    return "i";
  case U'ķ':
    return "k";
  case U'ĺ':
  case U'ļ':
  case U'ľ':
  case U'ŀ':
  case U'ł':
    return "l";
  case U'ñ':
  case U'ń':
  case U'ņ':
  case U'ň':
    return "n";
  case U'ò':
  case U'ó':
  case U'ô':
  case U'õ':
  case U'ö':
  case U'ø':
  case U'ō':
  case U'ŏ':
  case U'ő':
    return "o";
  case U'œ':
    return "oe";
  case U'ŕ':
  case U'ŗ':
  case U'ř':
    return "r";
  case U'ś':
  case U'ŝ':
  case U'ş':
  case U'š':
    return "s";
  case U'ß':
    return "ss";
  case U'ţ':
  case U'ť':
  case U'ŧ':
    return "t";
  case U'þ':
    return "th";
  case U'ù':
  case U'ú':
  case U'û':
  case U'ü':
  case U'ũ':
  case U'ū':
  case U'ŭ':
  case U'ů':
  case U'ű':
  case U'ų':
    return "u";
  case U'ŵ':
    return "w";
  case U'ý':
  case U'ÿ':
  case U'ŷ':
    return "y";
  case U'ź':
  case U'ż':
  case U'ž':
    return "z";
  default:
    return {};
  }
}

// ICU's Danish collator, one per thread (a collator keeps per-call state).
const icu::Collator& danish_collator() {
  thread_local const std::unique_ptr<icu::Collator> collator = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> c{icu::Collator::createInstance(icu::Locale("da"), status)};
    // Without Danish rules ICU falls back to the root order, which puts "Aarhus" first.
    if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING || !c)
      throw std::runtime_error(std::string{"ICU has no Danish collator: "} + u_errorName(status));
    return c;
  }();
  return *collator;
}

} // namespace

std::string fold_case(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();)
    append_utf8(out, lower(next_code_point(utf8, i)));
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
  // Invalid UTF-8 reads as U+FFFD, as in the folds above.
  const auto text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
  const auto& collator = danish_collator();
  std::string key(utf8.size() * 4 + 16, '\0');
  auto n = collator.getSortKey(text, reinterpret_cast<std::uint8_t*>(key.data()),
                               static_cast<std::int32_t>(key.size()));
  if (n > static_cast<std::int32_t>(key.size())) {
    key.resize(static_cast<std::size_t>(n));
    n = collator.getSortKey(text, reinterpret_cast<std::uint8_t*>(key.data()), n);
  }
  // ICU ends a key with its only 0x00 byte, so a tie-break appended after it
  // never changes the order of names the collator tells apart.
  key.resize(static_cast<std::size_t>(n));
  key.append(utf8);
  return key;
}

std::string danish_sort_key_version() {
  UVersionInfo version;
  danish_collator().getVersion(version);
  char text[U_MAX_VERSION_STRING_LENGTH];
  u_versionToString(version, text);
  return std::string{"icu-da-"} + text;
}

bool danish_less(std::string_view a, std::string_view b) {
  UErrorCode status = U_ZERO_ERROR;
  const auto order =
      danish_collator().compareUTF8(icu::StringPiece(a.data(), static_cast<std::int32_t>(a.size())),
                                    icu::StringPiece(b.data(), static_cast<std::int32_t>(b.size())), status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string{"ICU compare failed: "} + u_errorName(status));
  return order == UCOL_LESS;
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
