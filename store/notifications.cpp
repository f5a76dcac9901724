#include "store/notifications.hpp"

#include <chrono>
#include <pqxx/connection>
#include <pqxx/notification>

namespace store {
namespace {

constexpr const char* generation_channel = "partnerbot_generation";

class generation_receiver final : public pqxx::notification_receiver {
public:
  generation_receiver(pqxx::connection_base& c, std::function<void(const std::string&)>& changed,
                      std::atomic<std::uint64_t>& count)
      : pqxx::notification_receiver(c, generation_channel), changed_(changed), count_(count) {}
  void operator()(const std::string& payload, int) override {
    ++count_;
    if (changed_) changed_(payload);
  }

private:
  std::function<void(const std::string&)>& changed_;
  std::atomic<std::uint64_t>& count_;
};

} // namespace

generation_listener::generation_listener(std::string uri, std::function<void(const std::string&)> changed)
    : uri_(std::move(uri)), changed_(std::move(changed)) {
  thread_ = std::thread([this] { run(); });
}

generation_listener::~generation_listener() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void generation_listener::run() {
  while (!stopping_) {
    try {
      pqxx::connection c(uri_);
      generation_receiver receiver(c, changed_, received_);
      c.get_notifs(); // sends LISTEN
      listening_ = true;
      // Wakes at least every quarter second to notice stopping.
      while (!stopping_)
        c.await_notification(0, 250000);
    } catch (const std::exception&) {
      listening_ = false;
      ++reconnects_;
      // Whatever was announced meanwhile: look once the connection is back.
      if (changed_) changed_(std::string{});
      for (int i = 0; i < 10 && !stopping_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  listening_ = false;
}

} // namespace store
