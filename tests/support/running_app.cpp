#include "support/running_app.hpp"

#include "bot/cli/app.hpp"
#include "support/slack_signing.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace test_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

struct running_app::impl {
  std::optional<temp_path> temp;
  std::string db_path;
  std::unique_ptr<bot::app> app;
  std::thread thread;
  unsigned short port = 0;
  int exit_code = -1;
  bool stopped = false;
};

running_app::running_app(bot::config cfg, bool keep_db_path) : impl_(std::make_unique<impl>()) {
  if (!keep_db_path) {
    impl_->temp.emplace(".db");
    cfg.db_path = impl_->temp->str();
  }
  cfg.listen_host = "127.0.0.1";
  cfg.listen_port = 0;
  impl_->db_path = cfg.db_path;
  impl_->app = std::make_unique<bot::app>(std::move(cfg));

  auto ready = std::make_shared<std::promise<bool>>();
  auto ready_future = ready->get_future();
  auto signalled = std::make_shared<bool>(false);
  impl_->app->on_ready([ready, signalled] {
    *signalled = true;
    ready->set_value(true);
  });
  impl_->thread = std::thread([this, ready, signalled] {
    impl_->exit_code = impl_->app->run();
    if (!*signalled) ready->set_value(false);
  });
  if (ready_future.wait_for(std::chrono::seconds(10)) != std::future_status::ready || !ready_future.get()) {
    stop();
    throw std::runtime_error("the app did not start listening");
  }
  impl_->port = impl_->app->local_endpoint().port();
}

running_app::~running_app() {
  stop();
}

unsigned short running_app::port() const {
  return impl_->port;
}
const std::string& running_app::db_path() const {
  return impl_->db_path;
}
int running_app::exit_code() const {
  return impl_->exit_code;
}

void running_app::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->app->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

namespace {

asio::awaitable<http_reply> exchange(unsigned short port, bhttp::request<bhttp::string_body> req) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  stream.expires_after(std::chrono::seconds(10));
  co_await stream.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                asio::use_awaitable);
  co_await bhttp::async_write(stream, req, asio::use_awaitable);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
  const auto& res = parser.get();
  http_reply reply;
  reply.status = static_cast<int>(res.result_int());
  reply.body = res.body();
  reply.content_type = std::string(res[bhttp::field::content_type]);
  for (const auto& field : res)
    reply.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  co_return reply;
}

} // namespace

std::string http_reply::header(const std::string& name) const {
  for (const auto& [key, value] : headers)
    if (boost::beast::iequals(key, name)) return value;
  return {};
}

http_reply slack_command(unsigned short port, const std::string& signing_secret, const std::string& team_id,
                         const std::string& user_id, const std::string& text) {
  command_fields f;
  f.text = text;
  f.team_id = team_id;
  f.user_id = user_id;
  const auto body = command_body(f);
  return http_request(port, "POST", "/slack/commands", body, slack_headers(signing_secret, body));
}

http_reply http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [name, value] : headers)
    req.set(name, value);
  req.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT") req.prepare_payload();

  asio::io_context io;
  auto reply = asio::co_spawn(io, exchange(port, std::move(req)), asio::use_future);
  io.run();
  return reply.get();
}

} // namespace test_support
