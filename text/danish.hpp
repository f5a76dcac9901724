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
// Sorting is Danish collation by the book: ICU's Danish collator (CLDR "da"),
// so A..Z, then Æ, Ø, Å, with "Aa" read as Å ("Aarhus" among the Å names),
// Ü with Y, Ä with Æ, Ö with Ø, case and accents only breaking ties; digits
// before letters, spaces and punctuation before both.

#include <string>
#include <string_view>

namespace text {

// Lower-cases (ASCII and Latin-1 letters incl. ÆØÅÄÖÜ); keeps Nordic letters.
std::string fold_case(std::string_view utf8);
// fold_case, then Nordic/German letters to ASCII: æ->ae, ø->o, å->aa, ä->a, ö->o, ü->u, ß->ss, é->e ...
std::string fold_ascii(std::string_view utf8);
// A byte string whose memcmp order is Danish alphabetical order (ICU's sort
// key; names equal to the collator are ordered by their bytes). Keys are
// comparable only with keys made by the same collator version.
std::string danish_sort_key(std::string_view utf8);
// Names the collator (and its version) that makes danish_sort_key's keys;
// stored keys made under another one must be remade.
std::string danish_sort_key_version();
// Danish collation order of two names, straight from the collator.
bool danish_less(std::string_view a, std::string_view b);

// True when every byte is ASCII (selects which folded name a search uses).
bool is_ascii(std::string_view text);

} // namespace text
