#include "bot/net/listener.hpp"

#include "bot/net/metrics.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace bot::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

void log_escaped(std::exception_ptr error, const char* what) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    spdlog::error("{} ended with an exception: {}", what, e.what());
  }
}

// Polls `done` every few milliseconds until it holds or `deadline` passes;
// shutdown is rare enough that a short poll beats more machinery.
template <class Pred>
asio::awaitable<bool> wait_until(asio::io_context& io, Pred done,
                                 std::chrono::steady_clock::time_point deadline) {
  asio::steady_timer timer(io);
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) co_return false;
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return true;
}

bool out_of_descriptors(const boost::system::error_code& ec) {
  return ec == boost::system::errc::too_many_files_open ||
         ec == boost::system::errc::too_many_files_open_in_system;
}

// A bound on one round of shedding, so that a flood cannot hold the thread.
constexpr int max_shed_at_once = 1024;

int open_spare() {
  return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

} // namespace

listener::listener(asio::io_context& io, limits lim, dispatcher dispatch, rejection_hook rejected)
    : io_(io), acceptor_(io), ctx_(std::make_shared<server_context>()), spare_fd_(open_spare()) {
  ctx_->limits = lim;
  ctx_->dispatch = std::move(dispatch);
  if (rejected) ctx_->rejected = std::move(rejected);
}

listener::~listener() {
  if (spare_fd_ >= 0) ::close(spare_fd_);
}

void listener::listen(const tcp::endpoint& endpoint) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  if (endpoint.protocol() == tcp::v6() && endpoint.address().to_v6().is_unspecified())
    acceptor_.set_option(asio::ip::v6_only(false));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  // shed_waiting() accepts synchronously and must never block.
  acceptor_.non_blocking(true);
}

tcp::endpoint listener::local_endpoint() const {
  return acceptor_.local_endpoint();
}

void listener::start() {
  asio::co_spawn(io_, accept_loop(), [](std::exception_ptr e) { log_escaped(e, "accept loop"); });
}

void listener::shed_waiting() {
  // Give up the spare descriptor, close every client already waiting in the
  // backlog through it, and take the spare back. All of them, not one: the
  // reactor is told of readiness once for a burst of connections, so a
  // client left in the backlog might wait for a newcomer to be noticed.
  if (spare_fd_ >= 0) ::close(spare_fd_);
  spare_fd_ = -1;
  for (int shed = 0; shed < max_shed_at_once; ++shed) {
    tcp::socket waiting(io_);
    boost::system::error_code ec;
    acceptor_.accept(waiting, ec);
    if (ec) break; // the backlog is empty (would block), or still no descriptor
    ++refused_.no_descriptors;
    waiting.close(ec);
  }
  spare_fd_ = open_spare();
}

asio::awaitable<void> listener::accept_loop() {
  auto ctx = ctx_;
  asio::steady_timer backoff(io_);
  while (acceptor_.is_open()) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) break;
    if (ec) {
      // Out of file descriptors and the like: pause instead of spinning on
      // a backlog that stays readable; a client waiting there is closed
      // rather than left to hang.
      if (out_of_descriptors(ec)) {
        shed_waiting();
        spdlog::warn("accept failed: {}; closed the waiting connections", ec.message());
      } else {
        spdlog::warn("accept failed: {}", ec.message());
      }
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (ctx->connections.stopping()) break;
    boost::system::error_code ignored;
    if (ctx->connections.size() >= ctx->limits.max_connections) {
      ++refused_.over_limit;
      socket.close(ignored);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(io_, run_session(std::move(socket), ctx),
                   [](std::exception_ptr e) { log_escaped(e, "HTTP session"); });
  }
}

void listener::collect_metrics(std::string& out) const {
  write_metric(out, "partnerbot_http_connections_open", "HTTP connections open now.", "gauge",
               open_connections());
  out += "# HELP partnerbot_http_connections_refused_total Connections closed on arrival, by reason.\n"
         "# TYPE partnerbot_http_connections_refused_total counter\n";
  out +=
      fmt::format("partnerbot_http_connections_refused_total{{reason=\"limit\"}} {}\n", refused_.over_limit);
  out += fmt::format("partnerbot_http_connections_refused_total{{reason=\"descriptors\"}} {}\n",
                     refused_.no_descriptors);
}

asio::awaitable<void> listener::shutdown(std::chrono::milliseconds grace) {
  auto ctx = ctx_;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  ctx->connections.begin_stopping();
  ctx->connections.close_idle();
  auto& connections = ctx->connections;
  if (!co_await wait_until(
          io_, [&] { return connections.size() == 0; }, deadline)) {
    spdlog::warn("closing {} connection(s) still busy after {} ms", connections.size(), grace.count());
    connections.close_all();
    co_await wait_until(
        io_, [&] { return connections.size() == 0; },
        std::chrono::steady_clock::now() + std::chrono::milliseconds(200));
  }
}

} // namespace bot::http
