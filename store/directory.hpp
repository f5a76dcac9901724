#pragma once
// Partners, their members and the chat identities linked to members.

#include "store/database.hpp"
#include "store/types.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace store {

enum class link_result { linked, already_linked, member_taken };

class directory {
public:
  explicit directory(database& db) : db_(db) {}

  std::optional<partner> partner_by_id(std::string_view partner_id);
  std::optional<partner> partner_by_workspace(std::string_view platform, std::string_view workspace_id);
  // The partner's workspace on that platform, if it is on it.
  std::optional<std::string> workspace_of(std::string_view partner_id, std::string_view platform);

  std::optional<member> member_by_id(std::string_view partner_id, std::string_view member_id);
  // E-mail compared case-insensitively, within one partner.
  std::optional<member> member_by_email(std::string_view partner_id, std::string_view email);
  std::vector<member> members_of(std::string_view partner_id);
  // Every member with this e-mail (case-insensitive), across partners: the
  // command line knows a person only by e-mail.
  std::vector<member> members_with_email(std::string_view email);

  std::optional<member> member_for_identity(std::string_view platform, std::string_view workspace_id,
                                            std::string_view user_id);
  // A chat request's partner (by workspace) and, when linked, its member, in
  // one statement: this runs on every request. nullopt: the workspace
  // belongs to no partner.
  struct caller {
    partner firm;
    std::optional<member> linked;
  };
  std::optional<caller> caller_of(std::string_view platform, std::string_view workspace_id,
                                  std::string_view user_id);
  std::optional<chat_identity> identity_of(std::string_view member_id, std::string_view platform);
  // Every chat identity of the member, by platform name.
  std::vector<chat_identity> identities_of(std::string_view member_id);
  // member_taken: another user of that platform and workspace holds the member.
  link_result link(const chat_identity& identity);
  // Audit: `linked_by` (a member id) linked `identity`.
  void record_link(const chat_identity& identity, std::string_view linked_by);
  // (member id, linked by) of every recorded link of that chat user, oldest first.
  std::vector<std::pair<std::string, std::string>>
  links_made_for(std::string_view platform, std::string_view workspace_id, std::string_view user_id);

  // The platform where the member last used the bot; reminders go there.
  void touch_last_platform(std::string_view member_id, std::string_view platform);
  std::optional<std::string> last_platform(std::string_view member_id);

private:
  database& db_;
};

} // namespace store
