#include "bench/support/http.hpp"

#include <fmt/format.h>
#include <sstream>
#include <thread>

namespace bench {

unsigned short free_port() {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

std::optional<reply> fetch(unsigned short port, const std::string& target, std::chrono::seconds timeout) {
  try {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    bhttp::write(stream, req);
    beast::flat_buffer buffer;
    reply res;
    bhttp::read(stream, buffer, res);
    return res;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<double> metric(unsigned short port, const std::string& name, std::chrono::seconds timeout) {
  const auto res = fetch(port, "/metrics", timeout);
  if (!res) return std::nullopt;
  std::istringstream in(res->body());
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(name + " ")) return std::stod(line.substr(name.size() + 1));
  return std::nullopt;
}

std::optional<double> wait_until_up(unsigned short port, const std::string& target,
                                    clock_type::time_point spawned, std::chrono::seconds limit) {
  while (clock_type::now() - spawned < limit) {
    if (auto r = fetch(port, target); r && r->result_int() == 200)
      return std::chrono::duration<double, std::milli>(clock_type::now() - spawned).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return std::nullopt;
}

namespace {

asio::awaitable<void> client_loop(unsigned short port, const std::vector<prepared_request>& requests,
                                  std::size_t first, const load_plan& plan, const answer_handler& on_answer) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                asio::use_awaitable);
  stream.socket().set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  const auto stride = static_cast<std::size_t>(plan.connections);
  for (std::size_t i = first; clock_type::now() < plan.end; i += stride) {
    const auto& req = requests[i % requests.size()];
    const auto sent = clock_type::now();
    stream.expires_after(plan.timeout);
    co_await asio::async_write(stream, asio::buffer(req.wire), asio::use_awaitable);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    co_await bhttp::async_read(stream, buffer, parser, asio::use_awaitable);
    on_answer(req, sent, clock_type::now(), parser.get());
  }
}

} // namespace

std::size_t run_closed_loop(unsigned short port, const std::vector<prepared_request>& requests,
                            const load_plan& plan, const answer_handler& on_answer) {
  asio::io_context io(1);
  std::size_t failed = 0;
  for (int c = 0; c < plan.connections; ++c)
    asio::co_spawn(io,
                   client_loop(port, requests, static_cast<std::size_t>(c) * plan.spread, plan, on_answer),
                   [&](std::exception_ptr e) {
                     if (!e) return;
                     ++failed;
                     try {
                       std::rethrow_exception(e);
                     } catch (const std::exception& ex) {
                       fmt::print(stderr, "connection failed: {}\n", ex.what());
                     }
                   });
  io.run();
  return failed;
}

double percentile(const std::vector<std::int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  return static_cast<double>(sorted[static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1))]);
}

} // namespace bench
