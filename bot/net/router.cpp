#include "bot/net/router.hpp"

#include "bot/net/access_log.hpp"
#include "text/log_escape.hpp"

#include <chrono>
#include <exception>
#include <fmt/format.h>
#include <random>
#include <spdlog/spdlog.h>

namespace bot {

namespace bhttp = boost::beast::http;

namespace {

// Paths are logged for unknown routes; keep them short and printable.
std::string printable(std::string_view text) {
  return text::escape_for_log(text, 80);
}

std::string allow_header(const std::vector<bhttp::verb>& verbs) {
  std::string out;
  for (auto v : verbs) {
    if (!out.empty()) out += ", ";
    out += bhttp::to_string(v);
  }
  return out;
}

} // namespace

std::string_view target_path(std::string_view target) {
  const auto query = target.find('?');
  return query == std::string_view::npos ? target : target.substr(0, query);
}

router::router(bot::metrics& metrics) : metrics_(metrics), id_prefix_(std::random_device{}()) {}

void router::add(bhttp::verb method, std::string path, http::route_handler handler) {
  auto& list = routes_[std::move(path)];
  for (auto& r : list) {
    if (r.method == method) {
      r.handler = std::move(handler);
      return;
    }
  }
  list.push_back(route{method, std::move(handler)});
}

std::string router::next_request_id() {
  return fmt::format("{:08x}-{:06x}", id_prefix_, ++id_counter_);
}

std::string_view router::route_label(std::string_view path) const {
  auto it = routes_.find(std::string(path));
  return it == routes_.end() ? other_route : std::string_view(it->first);
}

boost::asio::awaitable<http::response> router::dispatch(http::request& req) {
  const auto started = std::chrono::steady_clock::now();
  const std::string id = next_request_id();
  req.set("X-Request-Id", id);

  const std::string_view path = target_path(req.target());
  const auto found = routes_.find(std::string(path));
  std::string_view label = other_route;
  http::response res;
  bool failed = false;

  if (found == routes_.end()) {
    res = http::make_response(req, bhttp::status::not_found, "Not found.\n");
  } else {
    label = found->first;
    const route* match = nullptr;
    std::vector<bhttp::verb> allowed;
    for (const auto& r : found->second) {
      allowed.push_back(r.method);
      if (r.method == req.method()) match = &r;
    }
    if (!match) {
      res = http::make_response(req, bhttp::status::method_not_allowed, "Method not allowed.\n");
      res.set(bhttp::field::allow, allow_header(allowed));
    } else {
      // Copy: a handler may add routes while it runs (not expected, but cheap).
      auto handler = match->handler;
      try {
        res = co_await handler(req);
      } catch (const std::exception& e) {
        failed = true;
        spdlog::error("{} {} {} failed: {}", id, req.method_string(), label, e.what());
      } catch (...) {
        failed = true;
        spdlog::error("{} {} {} failed with an unknown exception", id, req.method_string(), label);
      }
    }
  }
  if (failed) {
    res = http::make_response(req, bhttp::status::internal_server_error,
                              fmt::format("Sorry, something went wrong on our side (request {}).\n", id));
  }

  res.set("X-Request-Id", id);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  const unsigned status = res.result_int();
  metrics_.observe_request(label, status, elapsed);
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  auto& log = access_log();
  if (label == other_route)
    log.info("{} {} {} {} {:.2f}ms", id, req.method_string(), printable(path), status, ms);
  else
    log.info("{} {} {} {} {:.2f}ms", id, req.method_string(), label, status, ms);
  co_return res;
}

void router::record_rejection(std::string_view method, std::string_view target, unsigned status) {
  const std::string id = next_request_id();
  const std::string_view path = target_path(target);
  const std::string_view label = route_label(path);
  metrics_.count_request(label, status);
  access_log().info("{} {} {} {} rejected by the transport", id, method.empty() ? "-" : printable(method),
                    path.empty() ? "-" : printable(path), status);
}

} // namespace bot
