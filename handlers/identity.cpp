#include "handlers/identity.hpp"

#include "handlers/help.hpp"
#include "handlers/language.hpp"
#include "handlers/replies.hpp"
#include "store/directory.hpp"

namespace handlers {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string who_is(const catalogue& t, const store::member& m) {
  return say(t.member_with_role, fmt::arg("name", m.name), fmt::arg("role", role_name(t, m.role)));
}

// Links `user_id` to the member with `email`; `self` picks the wording.
reply do_link(context& ctx, const caller& who, std::string_view user_id, std::string_view email, bool self) {
  const auto& t = texts_for(ctx, who);
  const auto firm = fmt::arg("firm", who.partner.name);
  store::directory dir{ctx.db};
  const auto member = dir.member_by_email(who.partner.id, email);
  if (!member)
    return text_reply(
        say(self ? t.link_no_member_self : t.link_no_member_other, firm, fmt::arg("email", email)));
  store::chat_identity identity{who.chat.platform, who.chat.workspace_id, std::string{user_id}, member->id};
  const auto member_text = who_is(t, *member);
  const auto as = fmt::arg("member", member_text);
  const auto result = dir.link(identity);
  if (result == store::link_result::linked)
    dir.record_link(identity, who.member ? who.member->id : member->id);
  switch (result) {
  case store::link_result::linked:
    return text_reply(say(self ? t.link_linked_self : t.link_linked_other, as, firm));
  case store::link_result::already_linked:
    return text_reply(say(self ? t.link_already_self : t.link_already_other, as));
  case store::link_result::member_taken:
    return text_reply(say(t.link_member_taken, fmt::arg("name", member->name), firm));
  }
  return text_reply(std::string{t.nothing_changed});
}

} // namespace

reply unlinked_reply(const caller& who, const catalogue& t) {
  view v;
  const auto firm = fmt::arg("firm", who.partner.name);
  v.summary = say(t.unlinked_summary, firm);
  v.blocks.push_back(section{std::string{t.unlinked_title}, say(t.unlinked_text, firm), {}});
  return message_reply(std::move(v));
}

reply link_self(context& ctx, const caller& who, std::string_view email) {
  const auto& t = texts_for(ctx, who);
  if (who.chat.user_id.empty()) return text_reply(std::string{t.link_unknown_user});
  if (who.chat.profile_email.empty())
    return text_reply(say(t.link_no_profile_email, fmt::arg("email", email)));
  if (lower_ascii(who.chat.profile_email) != lower_ascii(email))
    return text_reply(say(t.link_not_your_email, fmt::arg("email", email)));
  return do_link(ctx, who, who.chat.user_id, email, true);
}

reply link_other(context& ctx, const caller& who, std::string_view user_id, std::string_view email) {
  // Naming yourself is linking yourself: the own-e-mail rule holds for admins too.
  if (user_id == who.chat.user_id) return link_self(ctx, who, email);
  if (!who.member || who.member->role != store::role::admin)
    return text_reply(texts_for(ctx, who).link_admins_only);
  return do_link(ctx, who, user_id, email, false);
}

} // namespace handlers
