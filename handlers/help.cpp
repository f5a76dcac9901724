#include "handlers/help.hpp"

#include "handlers/replies.hpp"

#include <vector>

namespace handlers {
namespace {

struct entry {
  const char* usage;
  const char* what;
  bool admin_only;
};

constexpr entry admin_clients{"clients [mine|all|onboarding|invites] [missing] [desc]",
                              "your client list, by tab; `missing`: only clients with missing receipts; "
                              "`desc`: names Å–A",
                              true};
constexpr entry bookkeeper_clients{"clients [mine|onboarding] [missing] [desc]",
                                   "your client list, by tab; `missing`: only clients with missing receipts; "
                                   "`desc`: names Å–A",
                                   false};

constexpr entry entries[] = {
    {"search TEXT", "clients whose name contains TEXT", false},
    {"missing", "every client with missing receipts, most missing first", false},
    {"client NAME", "one client's card: balance, receipts, bookkeepers, link to Pleo", false},
    {"digest NAME daily|weekly|monthly|off", "your digest for one client, sent as a direct message", false},
    {"digest channel daily|weekly|monthly|off", "the firm's digest in this channel", true},
    {"digests", "the digests you subscribe to", false},
    {"remind NAME", "notify a client's bookkeepers about outstanding tasks", true},
    {"link EMAIL", "link your chat user to your Pleo partner member (your chat profile's e-mail)", false},
    {"link @user EMAIL", "link someone else's chat user to a member", true},
    {"help", "this list", false},
};

bool is_admin(const caller& who) { return who.member && who.member->role == store::role::admin; }

std::vector<const entry*> visible_entries(const caller& who) {
  std::vector<const entry*> out;
  const bool admin = is_admin(who);
  out.push_back(admin ? &admin_clients : &bookkeeper_clients);
  for (const auto& e : entries)
    if (admin || !e.admin_only) out.push_back(&e);
  return out;
}

} // namespace

std::string help_summary(const caller& who) {
  std::string out;
  for (const auto* e : visible_entries(who)) {
    if (!out.empty()) out += '\n';
    out += '`';
    out += e->usage;
    out += "` \u2014 ";
    out += e->what;
  }
  return out;
}

reply help_reply(const caller& who) {
  view v;
  v.summary = "What I can do";
  v.blocks.push_back(header{"What I can do"});
  v.blocks.push_back(section{"", "Type one of these after the bot's command (for example `/pleo clients`) or "
                                 "in a message to the bot. Names match case-insensitively; an empty command "
                                 "shows your clients.",
                             {}});
  v.blocks.push_back(section{"Commands", help_summary(who), {}});
  if (!who.member) {
    v.blocks.push_back(note{"You are not linked to a member of " + who.partner.name +
                            " yet: run `link your@email` with the e-mail on your chat profile, or ask an admin "
                            "to run `link @you your@email`."});
  } else {
    v.blocks.push_back(note{"You are " + who.member->name + " (" + std::string{store::to_string(who.member->role)} +
                            ") at " + who.partner.name + "."});
  }
  return message_reply(std::move(v));
}

reply grammar_error_reply(const caller& who, const std::string& message) {
  view v;
  v.summary = message;
  v.blocks.push_back(section{"", message, {}});
  v.blocks.push_back(section{"What I can do", help_summary(who), {}});
  return message_reply(std::move(v));
}

} // namespace handlers
