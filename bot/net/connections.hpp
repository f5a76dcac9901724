#pragma once
// The server's view of its open connections, for graceful shutdown: which
// are idle (waiting for a next request) and how to close each one.
// Single-threaded: use from the io_context's thread only.

#include <cstddef>
#include <functional>
#include <list>

namespace bot::http {

class connection_registry {
public:
  struct entry {
    bool idle = true;
    std::function<void()> close;
  };
  using handle = std::list<entry>::iterator;

  handle add(std::function<void()> close) {
    return entries_.insert(entries_.end(), entry{true, std::move(close)});
  }
  void remove(handle h) { entries_.erase(h); }
  std::size_t size() const { return entries_.size(); }

  bool stopping() const { return stopping_; }
  // From now on connections finish their current request and close.
  void begin_stopping() { stopping_ = true; }
  void close_idle() {
    for (auto& e : entries_)
      if (e.idle) e.close();
  }
  void close_all() {
    for (auto& e : entries_)
      e.close();
  }

private:
  std::list<entry> entries_;
  bool stopping_ = false;
};

} // namespace bot::http
