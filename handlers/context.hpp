#pragma once
// What every handler gets besides the request: the store, settings, the
// clock, and a way to wake outbox delivery after enqueueing.

#include "handlers/catalogue.hpp"
#include "store/database.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace handlers {

struct settings {
  // "{client_id}" is replaced; default https://app.pleo.io/partner/clients/{client_id}
  std::string portal_url_template = "https://app.pleo.io/partner/clients/{client_id}";
  // Replies when neither the member's choice nor the chat locale says (PARTNERBOT_LANGUAGE).
  language default_language = language::en;
  // Every reply in this language, whatever the member or locale says (`partnerbot ask --lang`).
  std::optional<language> reply_language;
};

struct context {
  store::database& db;
  const handlers::settings& settings;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
  std::function<void()> outbox_wakeup = [] {}; // call after committing outbox rows
};

} // namespace handlers
