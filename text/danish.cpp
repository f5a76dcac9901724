#include "text/danish.hpp"

#include "text/utf8.hpp"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <unicode/uversion.h>

namespace text {
namespace {

// Decodes one code point at `i`, advancing it; invalid bytes become U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto length = static_cast<std::int32_t>(s.size());
  auto at = static_cast<std::int32_t>(i);
  UChar32 cp = 0;
  U8_NEXT(s.data(), at, length, cp);
  i = static_cast<std::size_t>(at);
  return cp < 0 ? char32_t{0xFFFD} : static_cast<char32_t>(cp);
}

// Unicode's simple case folding (one code point to one), as ICU has it.
char32_t lower(char32_t cp) {
  return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(cp), U_FOLD_CASE_DEFAULT));
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
    utf8::append(out, lower(next_code_point(utf8, i)));
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
      utf8::append(out, cp);
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

} // namespace text
