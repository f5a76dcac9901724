#pragma once
// Name folding for search and Danish alphabetical sort keys (UTF-8 in).

#include <string>
#include <string_view>

namespace store {

// Lower-cases (ASCII and Latin-1 letters incl. ÆØÅÄÖÜ); keeps Nordic letters.
std::string fold_case(std::string_view utf8);
// fold_case, then Nordic/German letters to ASCII: æ->ae, ø->o, å->aa, ä->a, ö->o, ü->u, ß->ss, é->e ...
std::string fold_ascii(std::string_view utf8);
// A byte string whose memcmp order is Danish alphabetical order, case-insensitive.
std::string danish_sort_key(std::string_view utf8);

} // namespace store
