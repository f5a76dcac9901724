#pragma once
// Neutral views as JSON, for outbox rows: rendered per platform at delivery.

#include "handlers/view.hpp"

#include <string>

namespace handlers {

std::string view_to_json(const view& v);
// Throws std::invalid_argument on a payload that is not a serialized view.
view view_from_json(std::string_view json_text);

} // namespace handlers
