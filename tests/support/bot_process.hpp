#pragma once
// The real `partnerbot` executable as a child process, for tests that must
// crash it (SIGKILL) or starve it, which an in-process app cannot show.
// Its output goes to a log file; it is killed and reaped on destruction.

#include <chrono>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace test_support {

// build/partnerbot, found next to the test executable's folder.
std::string partnerbot_binary();

class bot_process {
public:
  // Starts `partnerbot ARGS...` with this process's environment minus
  // PARTNERBOT_* and SLACK_* variables, plus `env` ("NAME=value").
  bot_process(std::vector<std::string> args, std::vector<std::string> env);
  ~bot_process();
  bot_process(const bot_process&) = delete;
  bot_process& operator=(const bot_process&) = delete;

  pid_t pid() const { return pid_; }
  // Waits for "listening on http://127.0.0.1:PORT" in the log; 0 on timeout
  // or when the process ended first.
  unsigned short wait_listening(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // SIGKILL, then reaps it: nothing of it runs after this returns.
  void kill_hard();
  // SIGTERM and waits (bounded); the exit status, or -1.
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  std::string log() const;

private:
  pid_t pid_ = -1;
  std::string log_path_;
  bool reaped_ = false;
};

} // namespace test_support
