#include "handlers/replies.hpp"

namespace handlers {

reply message_reply(view v, bool replace_original) {
  reply r;
  r.message = std::move(v);
  r.replace_original = replace_original;
  return r;
}

reply text_reply(const std::string& text) {
  view v;
  v.summary = text;
  v.blocks.push_back(section{"", text, {}});
  return message_reply(std::move(v));
}

reply expired_reply() { return text_reply("This has expired \u2014 run the command again."); }

reply not_connected_reply() {
  return text_reply("This workspace is not connected to partnerbot, so there is nothing to show here. An "
                    "administrator connects it by importing the firm's snapshot with this workspace's id.");
}

reply apology_reply(std::string_view reference) {
  return text_reply("Sorry, something went wrong on my side and nothing was changed. Please try again in a moment "
                    "(reference " +
                    std::string{reference} + ").");
}

reply on_its_way_reply() { return text_reply("One moment \u2014 your answer is on its way."); }

} // namespace handlers
