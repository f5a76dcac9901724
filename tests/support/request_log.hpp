#pragma once
// What a fake server received, in arrival order: recorded by its handler
// threads, read and waited on by tests.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

template <class Entry> class request_log {
public:
  void add(Entry entry) {
    {
      std::lock_guard lock(mutex_);
      entries_.push_back(std::move(entry));
    }
    changed_.notify_all();
  }

  std::vector<Entry> all() const {
    std::lock_guard lock(mutex_);
    return entries_;
  }

  // The entries `keep` says yes to.
  template <class Keep> std::vector<Entry> where(Keep keep) const {
    std::lock_guard lock(mutex_);
    std::vector<Entry> out;
    for (const auto& e : entries_)
      if (keep(e)) out.push_back(e);
    return out;
  }

  // Waits until at least n entries that `keep` says yes to were recorded.
  template <class Keep> bool wait_for(Keep keep, std::size_t n, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      std::size_t count = 0;
      for (const auto& e : entries_)
        if (keep(e)) ++count;
      return count >= n;
    });
  }

private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<Entry> entries_;
};

// The next reply scripted for `key`, taken off its queue; nothing when none is left.
template <class Reply>
std::optional<Reply> take_scripted(std::map<std::string, std::deque<Reply>>& scripts,
                                   const std::string& key) {
  auto it = scripts.find(key);
  if (it == scripts.end() || it->second.empty()) return std::nullopt;
  auto reply = std::move(it->second.front());
  it->second.pop_front();
  return reply;
}

} // namespace test_support
