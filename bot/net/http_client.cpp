#include "bot/net/http_client.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <mutex>
#include <openssl/ssl.h>
#include <optional>
#include <thread>
#include <variant>

namespace bot {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t max_idle_per_origin = 4;
// Idle connections older than this are dropped rather than risked: servers
// close idle keep-alive connections after a while.
constexpr auto max_idle_age = std::chrono::seconds(30);
constexpr std::uint64_t max_response_body = 16 * 1024 * 1024;

using deadline_t = std::chrono::steady_clock::time_point;

struct target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string path; // path and query, at least "/"
  std::string origin() const { return (tls ? "https://" : "http://") + host + ":" + port; }
};

std::optional<target> parse_target(const std::string& url, std::string& error) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) {
    error = "bad url";
    return std::nullopt;
  }
  target t;
  std::string scheme = parsed->scheme();
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (scheme == "https") {
    t.tls = true;
  } else if (scheme != "http") {
    error = "unsupported scheme";
    return std::nullopt;
  }
  t.host = parsed->encoded_host();
  if (t.host.empty()) {
    error = "url without host";
    return std::nullopt;
  }
  // IPv6 literals arrive bracketed; the resolver wants them bare.
  if (t.host.front() == '[' && t.host.back() == ']') t.host = t.host.substr(1, t.host.size() - 2);
  t.port = parsed->has_port() ? std::string(parsed->port()) : (t.tls ? "443" : "80");
  t.path = parsed->encoded_path();
  if (t.path.empty()) t.path = "/";
  if (parsed->has_query()) t.path += "?" + std::string(parsed->encoded_query());
  return t;
}

// At most this many name lookups at once; more fail at once rather than
// start another thread.
constexpr int max_lookups = 16;

std::vector<tcp::endpoint> system_resolve(const std::string& host, const std::string& port,
                                          std::string& error) {
  asio::io_context local;
  tcp::resolver resolver(local);
  boost::system::error_code ec;
  auto results = resolver.resolve(host, port, ec);
  if (ec) {
    error = ec.message();
    return {};
  }
  std::vector<tcp::endpoint> out;
  for (const auto& r : results)
    out.push_back(r.endpoint());
  return out;
}

// A lookup on its own thread, handed back to the waiting request on the
// io_context's thread, unless the request gave up on it first.
struct lookup_state {
  std::mutex mutex;
  bool abandoned = false;               // under mutex: the request no longer waits
  asio::steady_timer* waiter = nullptr; // io thread only
  bool done = false;                    // io thread only
  std::vector<tcp::endpoint> endpoints; // io thread only
  std::string error;                    // io thread only
};

// The host's addresses by `deadline`, or nothing and why in `error`.
asio::awaitable<std::optional<std::vector<tcp::endpoint>>>
resolve_within(asio::io_context& io, const resolve_fn& resolver, std::shared_ptr<std::atomic<int>> lookups,
               const std::string& host, const std::string& port, deadline_t deadline, std::string& error) {
  boost::system::error_code not_ip;
  const auto address = asio::ip::make_address(host, not_ip);
  unsigned short port_number = 0;
  const auto [end, parse_error] = std::from_chars(port.data(), port.data() + port.size(), port_number);
  if (!not_ip && parse_error == std::errc() && end == port.data() + port.size())
    co_return std::vector<tcp::endpoint>{tcp::endpoint(address, port_number)};

  if (lookups->fetch_add(1) >= max_lookups) {
    lookups->fetch_sub(1);
    error = "resolving " + host + ": too many name lookups in progress";
    co_return std::nullopt;
  }
  auto state = std::make_shared<lookup_state>();
  asio::steady_timer timer(io, deadline);
  state->waiter = &timer;
  // However this coroutine ends (an answer, the deadline, cancellation, its
  // io_context destroyed), the lookup thread posts nothing afterwards.
  struct give_up {
    std::shared_ptr<lookup_state> state;
    ~give_up() {
      std::lock_guard lock(state->mutex);
      state->abandoned = true;
      state->waiter = nullptr;
    }
  } leave{state};
  try {
    std::thread([state, resolver, lookups, host, port, executor = io.get_executor()] {
      std::string why;
      auto found = resolver(host, port, why);
      lookups->fetch_sub(1);
      std::lock_guard lock(state->mutex);
      if (state->abandoned) return;
      asio::post(executor, [state, found = std::move(found), why = std::move(why)]() mutable {
        if (!state->waiter) return;
        state->endpoints = std::move(found);
        state->error = std::move(why);
        state->done = true;
        state->waiter->cancel();
      });
    }).detach();
  } catch (const std::system_error& e) {
    lookups->fetch_sub(1);
    error = "resolving " + host + ": " + e.what();
    co_return std::nullopt;
  }
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  if (!state->done) {
    error = "timeout resolving " + host;
    co_return std::nullopt;
  }
  if (state->endpoints.empty()) {
    error = "resolving " + host + ": " + (state->error.empty() ? "no address" : state->error);
    co_return std::nullopt;
  }
  co_return std::move(state->endpoints);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

} // namespace

struct http_client::pool {
  using plain_stream = beast::tcp_stream;
  using tls_stream = beast::ssl_stream<beast::tcp_stream>;

  struct connection {
    std::variant<std::monostate, plain_stream, tls_stream> stream;
    beast::flat_buffer buffer;
    std::chrono::steady_clock::time_point idle_since;

    beast::tcp_stream& lowest() {
      if (auto* plain = std::get_if<plain_stream>(&stream)) return *plain;
      return beast::get_lowest_layer(std::get<tls_stream>(stream));
    }
  };

  std::map<std::string, std::vector<std::unique_ptr<connection>>> idle;

  std::unique_ptr<connection> take(const std::string& origin) {
    auto it = idle.find(origin);
    if (it == idle.end()) return nullptr;
    auto now = std::chrono::steady_clock::now();
    while (!it->second.empty()) {
      auto conn = std::move(it->second.back());
      it->second.pop_back();
      if (now - conn->idle_since < max_idle_age) return conn;
    }
    return nullptr;
  }

  void give_back(const std::string& origin, std::unique_ptr<connection> conn) {
    auto& list = idle[origin];
    if (list.size() >= max_idle_per_origin) return;
    conn->lowest().expires_never();
    conn->idle_since = std::chrono::steady_clock::now();
    list.push_back(std::move(conn));
  }

  static asio::awaitable<std::unique_ptr<connection>> connect(asio::io_context& io, asio::ssl::context& tls,
                                                              const target& t,
                                                              const std::vector<tcp::endpoint>& endpoints,
                                                              deadline_t deadline, std::string& error);
  // Writes the request and reads the response. `received_any` tells a
  // stale keep-alive connection (nothing came back) from a real failure.
  static asio::awaitable<boost::system::error_code> exchange(connection& conn,
                                                             bhttp::request<bhttp::string_body>& msg,
                                                             bhttp::response<bhttp::string_body>& res,
                                                             deadline_t deadline, bool& received_any);
};

asio::awaitable<std::unique_ptr<http_client::pool::connection>>
http_client::pool::connect(asio::io_context& io, asio::ssl::context& tls, const target& t,
                           const std::vector<tcp::endpoint>& endpoints, deadline_t deadline,
                           std::string& error) {
  auto conn = std::make_unique<connection>();
  boost::system::error_code ec;
  if (!t.tls) {
    auto& stream = conn->stream.emplace<plain_stream>(io);
    stream.expires_at(deadline);
    co_await stream.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      error = "connecting to " + t.host + ": " + ec.message();
      co_return nullptr;
    }
    stream.socket().set_option(tcp::no_delay(true), ec);
    co_return conn;
  }

  auto& stream = conn->stream.emplace<tls_stream>(io, tls);
  // SNI (never for an IP literal: RFC 6066), and the certificate must name
  // the host we asked for.
  boost::system::error_code not_ip;
  asio::ip::make_address(t.host, not_ip);
  if (not_ip && !SSL_set_tlsext_host_name(stream.native_handle(), t.host.c_str())) {
    error = "cannot set TLS server name";
    co_return nullptr;
  }
  stream.set_verify_mode(asio::ssl::verify_peer);
  stream.set_verify_callback(asio::ssl::host_name_verification(t.host));
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_at(deadline);
  co_await lowest.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    error = "connecting to " + t.host + ": " + ec.message();
    co_return nullptr;
  }
  lowest.socket().set_option(tcp::no_delay(true), ec);
  co_await stream.async_handshake(asio::ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    error = "TLS handshake with " + t.host + ": " + ec.message();
    co_return nullptr;
  }
  co_return conn;
}

asio::awaitable<boost::system::error_code>
http_client::pool::exchange(connection& conn, bhttp::request<bhttp::string_body>& msg,
                            bhttp::response<bhttp::string_body>& res, deadline_t deadline,
                            bool& received_any) {
  received_any = false;
  conn.lowest().expires_at(deadline);
  boost::system::error_code ec;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(max_response_body);
  auto io = [&](auto& stream) -> asio::awaitable<void> {
    co_await bhttp::async_write(stream, msg, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    co_await bhttp::async_read(stream, conn.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
  };
  if (auto* plain = std::get_if<plain_stream>(&conn.stream))
    co_await io(*plain);
  else
    co_await io(std::get<tls_stream>(conn.stream));
  received_any = parser.got_some();
  if (!ec) res = parser.release();
  co_return ec;
}

http_client::http_client(asio::io_context& io)
    : io_(io), resolver_(system_resolve), tls_(asio::ssl::context::tls_client),
      pool_(std::make_unique<pool>()) {
  tls_.set_verify_mode(asio::ssl::verify_peer);
  tls_.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1);
}

http_client::~http_client() = default;

void http_client::set_resolver(resolve_fn resolver) {
  resolver_ = std::move(resolver);
}

asio::awaitable<outbound_response> http_client::send(outbound_request req) {
  outbound_response out;
  std::string error;
  auto t = parse_target(req.url, error);
  if (!t) {
    out.error = error;
    co_return out;
  }
  auto verb = bhttp::string_to_verb(req.method);
  if (verb == bhttp::verb::unknown) {
    out.error = "unknown method " + req.method;
    co_return out;
  }

  bhttp::request<bhttp::string_body> msg{verb, t->path, 11};
  bool default_port = t->port == (t->tls ? "443" : "80");
  msg.set(bhttp::field::host, default_port ? t->host : t->host + ":" + t->port);
  msg.set(bhttp::field::user_agent, "partnerbot");
  for (const auto& [name, value] : req.headers)
    msg.set(name, value);
  msg.keep_alive(true);
  msg.body() = std::move(req.body);
  msg.prepare_payload();

  const auto origin = t->origin();
  const auto deadline = std::chrono::steady_clock::now() + req.timeout;
  // A pooled connection the server has closed meanwhile fails without an
  // answer; then the request goes once more over a fresh connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto conn = pool_->take(origin);
    const bool reused = conn != nullptr;
    if (!conn) {
      // The system's trusted certificates take a few tens of milliseconds
      // to read: the first HTTPS request reads them, not start-up.
      // Should they be unreadable, the handshake fails and says so.
      if (t->tls)
        std::call_once(trust_loaded_, [this] {
          boost::system::error_code unreadable;
          tls_.set_default_verify_paths(unreadable);
        });
      auto endpoints = co_await resolve_within(io_, resolver_, lookups_, t->host, t->port, deadline, error);
      if (!endpoints) {
        out.error = error;
        co_return out;
      }
      conn = co_await pool::connect(io_, tls_, *t, *endpoints, deadline, error);
      if (!conn) {
        out.error = error;
        co_return out;
      }
    }
    bhttp::response<bhttp::string_body> res;
    bool received_any = false;
    auto ec = co_await pool::exchange(*conn, msg, res, deadline, received_any);
    if (ec) {
      if (reused && !received_any && ec != beast::error::timeout) continue;
      out.error =
          (ec == beast::error::timeout ? std::string("timeout") : ec.message()) + " talking to " + t->host;
      co_return out;
    }
    out.transport_ok = true;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res)
      out.headers[lower(field.name_string())] = std::string(field.value());
    const bool keep = res.keep_alive();
    out.body = std::move(res.body());
    if (keep) pool_->give_back(origin, std::move(conn));
    co_return out;
  }
  out.error = "connection closed by " + t->host;
  co_return out;
}

} // namespace bot
