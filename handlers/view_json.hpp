#pragma once
// Neutral views as JSON, for outbox rows: rendered per platform at delivery.

#include "handlers/view.hpp"

#include <string>

namespace handlers {

std::string view_to_json(const view& v);
// Throws std::invalid_argument on a payload that is not a serialized view.
view view_from_json(std::string_view json_text);

// A form as an outbox payload, for platforms that show a form as a message
// of its own: {"v":1,"form":{...}}. form_from_json throws like view_from_json.
std::string form_to_json(const form& f);
form form_from_json(std::string_view json_text);
// Whether a payload holds a form rather than a view (a cheap look, no parse).
bool is_form_json(std::string_view json_text);

} // namespace handlers
