#include "handlers/help.hpp"

#include "handlers/replies.hpp"

#include <vector>

namespace handlers {
namespace {

struct entry {
  std::string_view catalogue::*usage;
  std::string_view catalogue::*what;
  bool admin_only;
};

constexpr entry admin_clients{&catalogue::help_clients_admin, &catalogue::help_clients_what, true};
constexpr entry bookkeeper_clients{&catalogue::help_clients_bookkeeper, &catalogue::help_clients_what, false};

constexpr entry entries[] = {
    {&catalogue::help_search, &catalogue::help_search_what, false},
    {&catalogue::help_missing, &catalogue::help_missing_what, false},
    {&catalogue::help_client, &catalogue::help_client_what, false},
    {&catalogue::help_digest, &catalogue::help_digest_what, false},
    {&catalogue::help_channel_digest, &catalogue::help_channel_digest_what, true},
    {&catalogue::help_digests, &catalogue::help_digests_what, false},
    {&catalogue::help_remind, &catalogue::help_remind_what, true},
    {&catalogue::help_link, &catalogue::help_link_what, false},
    {&catalogue::help_link_other, &catalogue::help_link_other_what, true},
    {&catalogue::help_language, &catalogue::help_language_what, false},
    {&catalogue::help_home, &catalogue::help_home_what, false},
    {&catalogue::help_help, &catalogue::help_help_what, false},
};

bool is_admin(const caller& who) {
  return who.member && who.member->role == store::role::admin;
}

std::vector<const entry*> visible_entries(const caller& who) {
  std::vector<const entry*> out;
  const bool admin = is_admin(who);
  out.push_back(admin ? &admin_clients : &bookkeeper_clients);
  for (const auto& e : entries)
    if (admin || !e.admin_only) out.push_back(&e);
  return out;
}

} // namespace

std::string_view role_name(const catalogue& t, store::role r) {
  return r == store::role::admin ? t.role_admin : t.role_bookkeeper;
}

std::string help_summary(const caller& who, const catalogue& t) {
  std::string out;
  for (const auto* e : visible_entries(who)) {
    if (!out.empty()) out += '\n';
    out += '`';
    out += t.*(e->usage);
    out += "` \u2014 ";
    out += t.*(e->what);
  }
  return out;
}

reply help_reply(const caller& who, const catalogue& t) {
  view v;
  v.summary = t.help_title;
  v.blocks = {header{v.summary}, section{{}, std::string{t.help_intro}, {}},
              section{std::string{t.help_commands}, help_summary(who, t), {}}};
  if (!who.member) {
    v.blocks.push_back(note{say(t.help_unlinked, fmt::arg("firm", who.partner.name))});
  } else {
    const auto member = say(t.member_with_role, fmt::arg("name", who.member->name),
                            fmt::arg("role", role_name(t, who.member->role)));
    v.blocks.push_back(
        note{say(t.help_you_are, fmt::arg("member", member), fmt::arg("firm", who.partner.name))});
  }
  return message_reply(std::move(v));
}

reply grammar_error_reply(const caller& who, const std::string& message, const catalogue& t) {
  view v;
  v.summary = message;
  v.blocks = {section{{}, message, {}}, section{std::string{t.help_title}, help_summary(who, t), {}}};
  return message_reply(std::move(v));
}

} // namespace handlers
