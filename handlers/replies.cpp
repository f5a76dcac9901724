#include "handlers/replies.hpp"

namespace handlers {

reply message_reply(view v, bool replace_original) {
  reply r;
  r.message = std::move(v);
  r.replace_original = replace_original;
  return r;
}

reply text_reply(std::string_view text) {
  view v;
  v.summary = std::string{text};
  v.blocks.push_back(section{"", std::string{text}, {}});
  return message_reply(std::move(v));
}

reply expired_reply(const catalogue& t) {
  return text_reply(t.expired);
}

reply not_connected_reply(const catalogue& t) {
  return text_reply(t.workspace_not_connected);
}

reply apology_reply(const catalogue& t, std::string_view reference) {
  return text_reply(say(t.apology, fmt::arg("reference", reference)));
}

reply on_its_way_reply(const catalogue& t) {
  return text_reply(t.answer_on_its_way);
}

} // namespace handlers
