#pragma once
// Every chat platform this program speaks. A new platform is a folder under
// bot/ with its descriptor (see bot/chat/platforms.hpp) and one line in
// platform_list.cpp.

#include "store/snapshot.hpp"

#include <span>
#include <string_view>
#include <vector>

namespace bot {

struct platform_descriptor; // bot/chat/platforms.hpp: kept out, so importing needs no Asio

std::span<const platform_descriptor* const> chat_platforms();

// Every platform's snapshot fields, in the list's order.
const std::vector<store::snapshot_platform>& snapshot_platforms();

// store::import_snapshot reading every platform's fields.
store::import_result import_snapshot(store::database& db, std::string_view json_text,
                                     std::string_view now_iso);

} // namespace bot
