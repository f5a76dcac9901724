#include "bot/net/access_log.hpp"

#include <atomic>
#include <cerrno>
#include <mutex>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <string>
#include <unistd.h>

namespace bot {
namespace {

// Lines gathered in memory; written to a file descriptor on flush, when a
// line of warning level or above comes, and when past a size.
class buffered_fd_sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
  explicit buffered_fd_sink(int fd) : fd_(fd) { buffer_.reserve(limit); }
  ~buffered_fd_sink() override {
    std::lock_guard lock(mutex_);
    write_out();
  }

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t line;
    formatter_->format(msg, line);
    buffer_.append(line.data(), line.size());
    if (buffer_.size() >= limit || msg.level >= spdlog::level::warn) write_out();
  }
  void flush_() override { write_out(); }

private:
  static constexpr std::size_t limit = 64 * 1024;

  void write_out() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
      const auto n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break; // nowhere to write: the lines are dropped, never the process
      done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
  }

  int fd_;
  std::string buffer_;
};

// Held here too, so that the logger outlives any drop from the registry.
std::shared_ptr<spdlog::logger> keeper;
std::atomic<spdlog::logger*> buffered{nullptr};

} // namespace

spdlog::logger& access_log() {
  if (auto* l = buffered.load(std::memory_order_acquire)) return *l;
  return *spdlog::default_logger_raw();
}

void start_access_log(const std::string& pattern) {
  auto logger = std::make_shared<spdlog::logger>("access", std::make_shared<buffered_fd_sink>(STDERR_FILENO));
  logger->set_pattern(pattern);
  logger->flush_on(spdlog::level::warn);
  spdlog::register_logger(logger);
  // The sink writes what is left when the last of these lets go, at exit.
  keeper = logger;
  buffered.store(logger.get(), std::memory_order_release);
  spdlog::flush_every(std::chrono::seconds(1));
}

} // namespace bot
