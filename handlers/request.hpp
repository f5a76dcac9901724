#pragma once
// The platform-neutral request: who is asking (resolved to a partner and,
// when linked, a member) and what they asked, plus the reply contract.

#include "handlers/view.hpp"
#include "store/types.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace handlers {

struct chat_user {
  std::string platform;        // the adapter's name; empty for the command line
  std::string workspace_id;    // the platform's workspace (team, tenant, ...)
  std::string user_id;         // the platform's stable user id
  std::string profile_email;   // the chat profile's e-mail, when known
  std::string conversation_id; // the channel / chat the request came from
  std::string locale;          // the chat user's locale (e.g. "da-DK"), when known
};

struct caller {
  chat_user chat;
  store::partner partner;
  std::optional<store::member> member; // nullopt: not linked yet
};

// A control pressed (button, overflow item, select).
struct action {
  std::string action_id;
  std::string value;
};

// A submitted form.
struct submission {
  std::string form_id;
  std::string private_metadata;
  std::string submission_id; // stable across the platform's retries of one submission
  std::map<std::string, std::vector<std::string>> values; // input id -> chosen values / text
};

struct reply {
  std::optional<view> message;                    // shown to the caller only
  bool replace_original = false;                  // for actions: update the message the control was on
  std::optional<form> open_form;                  // open a form (uses the platform's trigger)
  std::map<std::string, std::string> form_errors; // submission refused: input id -> error
};

} // namespace handlers
