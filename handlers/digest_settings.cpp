#include "handlers/digest_settings.hpp"

namespace handlers {
namespace {

// Same id as handlers::actions::digest_set.
constexpr const char* digest_set_action = "digest.set";

reply text_reply(std::string text) {
  reply r;
  r.message = view{text, {section{"", text, {}}}};
  return r;
}

} // namespace

reply set_client_digest(context&, const caller&, std::string_view, std::string_view) {
  return text_reply("Digests are not available yet.");
}

reply set_channel_digest(context&, const caller&, std::string_view) {
  return text_reply("Digests are not available yet.");
}

reply list_digests(context&, const caller&) { return text_reply("You have no digest subscriptions."); }

reply on_digest_select(context&, const caller&, const action&) {
  return text_reply("This has expired, run the command again.");
}

select digest_control(context&, const store::member&, std::string_view client_id) {
  const std::string id{client_id};
  return select{
      .action_id = digest_set_action,
      .placeholder = "Digest",
      .options = {{"Daily", id + "|daily"},
                  {"Weekly", id + "|weekly"},
                  {"Monthly", id + "|monthly"},
                  {"Off", id + "|off"}},
      .initial = id + "|off",
  };
}

} // namespace handlers
