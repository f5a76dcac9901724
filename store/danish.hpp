#pragma once
// Name folding for search and Danish alphabetical sort keys (UTF-8 in).
//
// Search folding, decided once for every platform:
// - a query containing any non-ASCII letter ("ærø", "Müller") is compared with
//   the case-folded name (fold_case): "ærø" finds "Ærø Cykler ApS";
// - a plain-ASCII query ("oster", "aero", "muller") is compared with the
//   ASCII-folded name (fold_ascii), so people without Nordic keyboards still
//   find what they mean: "oster" finds "Østerbro Bageri", "aero" finds "Ærø".
// The ASCII fold follows the header below (æ->ae, ø->o, å->aa, ä->a, ö->o,
// ü->u, ß->ss, accents dropped); it goes no further (no transliteration of
// other scripts, no "ae" -> "æ" in the other direction).
//
// Sorting: letters A..Z, then Æ, Ø, Å; Ä sorts with Æ, Ö with Ø, Ü with Y,
// accented letters with their base letter, ß as "ss"; digits before letters,
// spaces and punctuation before both. "Aa" is two A's (not Å).

#include <string>
#include <string_view>

namespace store {

// Lower-cases (ASCII and Latin-1 letters incl. ÆØÅÄÖÜ); keeps Nordic letters.
std::string fold_case(std::string_view utf8);
// fold_case, then Nordic/German letters to ASCII: æ->ae, ø->o, å->aa, ä->a, ö->o, ü->u, ß->ss, é->e ...
std::string fold_ascii(std::string_view utf8);
// A byte string whose memcmp order is Danish alphabetical order, case-insensitive.
std::string danish_sort_key(std::string_view utf8);

// True when every byte is ASCII (selects which folded name a search uses).
bool is_ascii(std::string_view text);
// Number of code points (the trigram index needs three).
std::size_t utf8_length(std::string_view utf8);

} // namespace store
