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

} // namespace handlers
