#include "support/bot_process.hpp"

#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace test_support {

namespace {

// Waits for the child to end, for at most `timeout`; its wait status or nothing.
bool reap(pid_t pid, std::chrono::milliseconds timeout, int& status) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return true;
    if (r < 0) return true; // already reaped
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

} // namespace

std::string partnerbot_binary() {
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  return (self.parent_path().parent_path() / "partnerbot").string();
}

bot_process::bot_process(std::vector<std::string> args, std::vector<std::string> env) {
  static int counter = 0;
  log_path_ = (std::filesystem::temp_directory_path() /
               ("partnerbot-child-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".log"))
                  .string();
  for (char** e = environ; *e; ++e) {
    std::string_view entry(*e);
    if (entry.starts_with("PARTNERBOT_") || entry.starts_with("SLACK_")) continue;
    env.emplace_back(entry);
  }
  std::vector<char*> envp;
  for (auto& s : env)
    envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string binary = partnerbot_binary();
  args.insert(args.begin(), binary);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  const int rc = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + binary + ": " + std::strerror(rc));
}

bot_process::~bot_process() {
  if (!reaped_) kill_hard();
  std::error_code ignored;
  std::filesystem::remove(log_path_, ignored);
}

unsigned short bot_process::wait_listening(std::chrono::milliseconds timeout) {
  constexpr std::string_view marker = "listening on http://127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto text = log();
    if (auto at = text.find(marker); at != std::string::npos)
      return static_cast<unsigned short>(std::stoi(
          text.substr(at + marker.size(), text.find_first_not_of("0123456789", at + marker.size()))));
    int status = 0;
    if (!reaped_ && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      reaped_ = true;
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

void bot_process::kill_hard() {
  if (reaped_) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  reap(pid_, std::chrono::seconds(10), status);
  reaped_ = true;
}

int bot_process::stop(std::chrono::milliseconds timeout) {
  if (reaped_) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  if (!reap(pid_, timeout, status)) {
    kill_hard();
    return -1;
  }
  reaped_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string bot_process::log() const {
  std::ifstream in(log_path_);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

} // namespace test_support
