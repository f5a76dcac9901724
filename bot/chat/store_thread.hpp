#pragma once
// The thread that does a request's store and handler work, with its own
// connection, so that the I/O thread never waits on SQLite (a write may
// wait up to the busy timeout while another process, an import say, holds
// the lock). `run` is awaited from the io_context's thread and resumes there.
// With ":memory:" there is no second connection to the same database: work
// runs inline on the caller's thread with the connection it is given.

#include "store/database.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <string>
#include <type_traits>

namespace bot {

class store_thread {
public:
  // `shared` is the I/O thread's connection, used only for ":memory:".
  store_thread(const std::string& db_path, store::database& shared);
  // Work runs inline on the caller's thread with `shared` (tests, tools).
  explicit store_thread(store::database& shared) : shared_(shared) {}
  ~store_thread();
  store_thread(const store_thread&) = delete;
  store_thread& operator=(const store_thread&) = delete;

  // Runs f(database&) on the store thread; its result or exception comes back.
  template <class F> boost::asio::awaitable<std::invoke_result_t<F&, store::database&>> run(F f) {
    if (!pool_) co_return f(shared_);
    co_return co_await boost::asio::co_spawn(
        pool_->get_executor(),
        [this, f = std::move(f)]() mutable
        -> boost::asio::awaitable<std::invoke_result_t<F&, store::database&>> { co_return f(*own_); },
        boost::asio::use_awaitable);
  }

  // Before any work runs: the thread's connection answers client lists from
  // the same in-memory read models as the caller's.
  void share_read_models(std::shared_ptr<store::read_models> models);

  // Waits for work in progress and stops the thread (idempotent).
  void stop();

private:
  store::database& shared_;
  std::unique_ptr<store::database> own_;
  std::unique_ptr<boost::asio::thread_pool> pool_;
};

} // namespace bot
