#pragma once
// A real bot::app on 127.0.0.1 with a port picked by the OS, in its own
// thread, on a temporary SQLite file; stopped and cleaned up on destruction.

#include "bot/chat/config.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

class running_app {
public:
  // cfg.listen_port is forced to 0 and cfg.db_path to a fresh temp file
  // unless `keep_db_path` is true.
  explicit running_app(bot::config cfg, bool keep_db_path = false);
  ~running_app();

  unsigned short port() const;
  const std::string& db_path() const;
  void stop();           // graceful; waits for the thread (idempotent)
  int exit_code() const; // after stop(): what bot::app::run() returned

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// A minimal HTTP/1.1 client over a real socket, for end-to-end tests.
struct http_reply {
  int status = 0;
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers; // as received
  // The first header with this name (any case); empty when absent.
  std::string header(const std::string& name) const;
};
http_reply http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body = {},
                        const std::vector<std::pair<std::string, std::string>>& headers = {});

// A slash command (`text`) from `user_id` of workspace `team_id`, signed
// with `signing_secret`, posted to /slack/commands.
http_reply slack_command(unsigned short port, const std::string& signing_secret, const std::string& team_id,
                         const std::string& user_id, const std::string& text);

// A temporary file path removed on destruction.
class temp_path {
public:
  explicit temp_path(const std::string& suffix = ".db");
  ~temp_path();
  const std::string& str() const { return path_; }

private:
  std::string path_;
};

} // namespace test_support
