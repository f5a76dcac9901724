#pragma once
// How a platform sends one outbox row, as the outbox worker
// (bot/jobs/outbox_worker.hpp) drives it: each adapter implements delivery
// (bot/slack/delivery.hpp, bot/teams/delivery.hpp) and says whether the row
// was sent, should be retried (when), or failed for good.

#include "store/outbox.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace bot {

struct delivery_result {
  enum class outcome { sent, retry, permanent };
  outcome result = outcome::sent;
  std::string error;
  std::optional<std::chrono::milliseconds> retry_after; // the platform said when (429)

  static delivery_result sent() { return {}; }
  static delivery_result retry(std::string error, std::optional<std::chrono::milliseconds> after = {}) {
    return {outcome::retry, std::move(error), after};
  }
  static delivery_result permanent(std::string error) { return {outcome::permanent, std::move(error), {}}; }
};

// One platform's way of sending an outbox row (bot/slack/delivery.hpp, ...).
class delivery {
public:
  virtual ~delivery() = default;
  // Renders the row's neutral view and sends it. Must not throw for
  // platform answers; an exception counts as a permanent failure.
  virtual boost::asio::awaitable<delivery_result> deliver(const store::outbound_message& m) = 0;
  // Rows with the same key (one conversation) are paced.
  virtual std::string pacing_key(const store::outbound_message& m) const = 0;
};

} // namespace bot
