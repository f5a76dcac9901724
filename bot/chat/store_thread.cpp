#include "bot/chat/store_thread.hpp"

namespace bot {

store_thread::store_thread(const std::string& db_path, store::database& shared) : shared_(shared) {
  if (db_path == ":memory:") return;
  own_ = std::make_unique<store::database>(db_path);
  pool_ = std::make_unique<boost::asio::thread_pool>(1);
}

store_thread::~store_thread() {
  stop();
}

void store_thread::share_read_models(std::shared_ptr<store::read_models> models) {
  if (own_) own_->share_read_models(std::move(models));
}

void store_thread::stop() {
  if (pool_) pool_->join();
}

} // namespace bot
