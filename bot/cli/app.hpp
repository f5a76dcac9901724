#pragma once
// The running bot: owns the io_context, the store connection, the HTTP
// server and its routes, background follow-ups, outbox delivery and the
// digest scheduler; handles SIGINT/SIGTERM (stop accepting, finish what is
// in flight, exit within 10 seconds).

#include "bot/chat/config.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>

namespace bot {

class app {
public:
  explicit app(config cfg);
  ~app();

  // Runs until stop() or a signal; returns the process exit code.
  int run();
  // Thread-safe: asks a running app to shut down gracefully.
  void stop();
  // After start-up: the bound address (port 0 in the config picks one).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // Called (from the app's thread) once the server listens.
  void on_ready(std::function<void()> callback);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace bot
