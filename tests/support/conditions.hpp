#pragma once

// Checks many tests share: text containment and waiting for something that
// another thread or process does.

#include <chrono>
#include <functional>
#include <string_view>
#include <thread>

namespace test_support {

inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Polls `condition` until it holds or `limit` has passed; true if it held.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds(5),
                       std::chrono::milliseconds poll = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(poll);
  }
  return true;
}

} // namespace test_support
