#pragma once
// The third renderer: a neutral view or form as readable terminal text
// (`partnerbot ask`). Buttons read `[Label]` (the primary one `*[Label]`),
// links show their URL, menus list their items, selects their options.

#include "handlers/view.hpp"

#include <string>

namespace bot::plain {

std::string render_text(const handlers::view& v);
std::string render_text(const handlers::form& f);

} // namespace bot::plain
