#include "bot/cli/platform_list.hpp"

#include "bot/chat/platforms.hpp"
#include "bot/slack/descriptor.hpp"
#include "bot/teams/descriptor.hpp"

#include <array>

namespace bot {

std::span<const platform_descriptor* const> chat_platforms() {
  // One line a platform.
  static const std::array<const platform_descriptor*, 2> all{
      &slack::descriptor(),
      &teams::descriptor(),
  };
  return all;
}

const std::vector<store::snapshot_platform>& snapshot_platforms() {
  static const auto fields = [] {
    std::vector<store::snapshot_platform> out;
    for (const auto* p : chat_platforms())
      out.push_back(p->snapshot);
    return out;
  }();
  return fields;
}

store::import_result import_snapshot(store::database& db, std::string_view json_text,
                                     std::string_view now_iso) {
  return store::import_snapshot(db, json_text, now_iso, snapshot_platforms());
}

} // namespace bot
