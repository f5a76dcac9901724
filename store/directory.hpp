#pragma once
// Partners, their members and the chat identities linked to members.

#include "store/database.hpp"
#include "store/types.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace store {

enum class link_result { linked, already_linked, member_taken };

class directory {
public:
  explicit directory(database& db) : db_(db) {}

  std::optional<partner> partner_by_id(std::string_view partner_id);
  std::optional<partner> partner_by_slack_team(std::string_view team_id);
  std::optional<partner> partner_by_teams_tenant(std::string_view tenant_id);

  std::optional<member> member_by_id(std::string_view partner_id, std::string_view member_id);
  // E-mail compared case-insensitively, within one partner.
  std::optional<member> member_by_email(std::string_view partner_id, std::string_view email);
  std::vector<member> members_of(std::string_view partner_id);
  // Every member with this e-mail (case-insensitive), across partners: the
  // command line knows a person only by e-mail.
  std::vector<member> members_with_email(std::string_view email);

  std::optional<member> member_for_identity(std::string_view platform, std::string_view workspace_id,
                                            std::string_view user_id);
  // A Slack request's partner (by team) and, when linked, its member, in one
  // statement: this runs on every request.
  struct slack_caller {
    partner firm;
    std::optional<member> linked;
  };
  std::optional<slack_caller> slack_caller_of(std::string_view team_id, std::string_view user_id);
  std::optional<chat_identity> identity_of(std::string_view member_id, std::string_view platform);
  // member_taken: another user of that platform and workspace holds the member.
  link_result link(const chat_identity& identity);

  // Where the member last used the bot ("slack"/"teams"); reminders go there.
  void touch_last_platform(std::string_view member_id, std::string_view platform);
  std::optional<std::string> last_platform(std::string_view member_id);

private:
  database& db_;
};

} // namespace store
