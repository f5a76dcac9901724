#include "handlers/identity.hpp"

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

std::string who_is(const store::member& m) {
  return m.name + " (" + std::string{store::to_string(m.role)} + ")";
}

// Links `user_id` to the member with `email`; `self` picks the wording.
reply do_link(context& ctx, const caller& who, std::string_view user_id, std::string_view email, bool self) {
  store::directory dir{ctx.db};
  const auto member = dir.member_by_email(who.partner.id, email);
  if (!member)
    return text_reply("No member of " + who.partner.name + " has the e-mail " + std::string{email} +
                      ". Check the spelling, or ask an admin to add " + (self ? "you" : "them") +
                      " as a member in Pleo's partner portal.");
  store::chat_identity identity{who.chat.platform, who.chat.workspace_id, std::string{user_id}, member->id};
  const auto result = dir.link(identity);
  if (result == store::link_result::linked) dir.record_link(identity, who.member ? who.member->id : member->id);
  switch (result) {
  case store::link_result::linked:
    return self ? text_reply("Linked: you are " + who_is(*member) + " at " + who.partner.name +
                             ". Try `clients`, or `help` for everything I can do.")
                : text_reply("Linked: that chat user is now " + who_is(*member) + " at " + who.partner.name + ".");
  case store::link_result::already_linked:
    return self ? text_reply("You are already linked as " + who_is(*member) + ".")
                : text_reply("That chat user is already linked as " + who_is(*member) + ".");
  case store::link_result::member_taken:
    return text_reply("Another chat user is already linked to " + member->name +
                      ", so I have not changed anything. If that is wrong, ask an admin of " + who.partner.name +
                      " to look into it.");
  }
  return text_reply("Nothing was changed.");
}

} // namespace

reply unlinked_reply(const caller& who) {
  view v;
  v.summary = "You are not linked to a member of " + who.partner.name + " yet.";
  v.blocks.push_back(section{
      "You are not linked yet",
      "I don't know which member of " + who.partner.name +
          " you are, so I can't show you any clients. To get linked, ask an admin to run `link @you your@email`, "
          "or run `link your@email` with the e-mail on your chat profile.",
      {}});
  return message_reply(std::move(v));
}

reply link_self(context& ctx, const caller& who, std::string_view email) {
  if (who.chat.user_id.empty()) return text_reply("I can't tell who you are in this chat, so I can't link you.");
  if (who.chat.profile_email.empty())
    return text_reply("I can't see the e-mail on your chat profile, so I can't check that " + std::string{email} +
                      " is yours. Ask an admin to run `link @you your@email`.");
  if (lower_ascii(who.chat.profile_email) != lower_ascii(email))
    return text_reply(std::string{email} +
                      " is not the e-mail on your chat profile. You can only link yourself with your own "
                      "e-mail; an admin can run `link @you your@email` for you.");
  return do_link(ctx, who, who.chat.user_id, email, true);
}

reply link_other(context& ctx, const caller& who, std::string_view user_id, std::string_view email) {
  // Naming yourself is linking yourself: the own-e-mail rule holds for admins too.
  if (user_id == who.chat.user_id) return link_self(ctx, who, email);
  if (!who.member || who.member->role != store::role::admin)
    return text_reply("Only an admin can link someone else. To link yourself, run `link your@email` with the "
                      "e-mail on your chat profile.");
  return do_link(ctx, who, user_id, email, false);
}

} // namespace handlers
