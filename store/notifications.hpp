#pragma once
// Changes announced between instances on PostgreSQL: every write that
// bumps the client generation also sends NOTIFY partnerbot_generation with
// the firm's id (see the migrations; PostgreSQL sends one per firm per
// transaction), and each instance listens on a connection of its own,
// so its read models and cached answers follow another instance's import,
// subscription, link or sync at once. A lost notification (a dropped
// connection) costs only speed: the generation is still read per request
// and the read models still poll.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace store {

class generation_listener {
public:
  // Listens on its own connection to `uri` and calls `changed` (on its own
  // thread) with the firm of each announcement (empty: unknown, or a lost
  // connection after which anything may have changed); reconnects.
  generation_listener(std::string uri, std::function<void(const std::string& partner_id)> changed);
  ~generation_listener();
  generation_listener(const generation_listener&) = delete;
  generation_listener& operator=(const generation_listener&) = delete;

  std::uint64_t received() const { return received_; }
  std::uint64_t reconnects() const { return reconnects_; }
  bool listening() const { return listening_; }

private:
  void run();

  std::string uri_;
  std::function<void(const std::string&)> changed_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
  std::atomic<std::uint64_t> received_{0};
  std::atomic<std::uint64_t> reconnects_{0};
  std::thread thread_;
};

} // namespace store
