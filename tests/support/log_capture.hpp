#pragma once
// Captures what the process logs while it lives (spdlog's default logger,
// with the app's line pattern), for tests about log lines. Safe to read
// while other threads log.

#include <memory>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <sstream>
#include <string>
#include <vector>

namespace test_support {

class log_capture {
public:
  log_capture()
      : previous_(spdlog::default_logger()),
        sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(10000)) {
    auto logger = std::make_shared<spdlog::logger>("capture", sink_);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  ~log_capture() { spdlog::set_default_logger(previous_); }
  log_capture(const log_capture&) = delete;
  log_capture& operator=(const log_capture&) = delete;

  // Every physical line logged so far (a record with a line break in it
  // would show up as two).
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    for (const auto& record : sink_->last_formatted()) {
      std::istringstream in(record);
      for (std::string line; std::getline(in, line);)
        out.push_back(line);
    }
    return out;
  }

private:
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

} // namespace test_support
