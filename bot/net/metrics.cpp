#include "bot/net/metrics.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace bot {

void write_metric_header(std::string& out, std::string_view name, std::string_view help,
                         std::string_view type) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void write_count(std::string& out, std::string_view name, std::string_view help, std::string_view type,
                 std::int64_t value) {
  write_metric_header(out, name, help, type);
  fmt::format_to(std::back_inserter(out), "{} {}\n", name, value);
}

void write_metric(std::string& out, std::string_view name, std::string_view help, std::string_view type,
                  double value) {
  write_metric_header(out, name, help, type);
  fmt::format_to(std::back_inserter(out), "{} {:.6f}\n", name, value);
}

namespace {

double unix_seconds_now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

// Label values are escaped as the exposition format requires.
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

} // namespace

metrics::metrics() : start_time_seconds_(unix_seconds_now()) {}

void metrics::count_request(std::string_view route, unsigned status) {
  ++requests_[std::make_pair(std::string(route), status)];
}

void metrics::observe_request(std::string_view route, unsigned status, std::chrono::nanoseconds duration) {
  count_request(route, status);

  auto it = durations_.find(route);
  if (it == durations_.end()) it = durations_.emplace(std::string(route), histogram{}).first;
  histogram& h = it->second;
  const double seconds = std::chrono::duration<double>(duration).count();
  const auto bucket = std::lower_bound(latency_buckets.begin(), latency_buckets.end(), seconds);
  if (bucket != latency_buckets.end())
    ++h.buckets[static_cast<std::size_t>(bucket - latency_buckets.begin())];
  ++h.count;
  h.sum += seconds;
}

void metrics::add_collector(std::function<void(std::string& out)> collector) {
  collectors_.push_back(std::move(collector));
}

std::string metrics::render() const {
  std::string out;
  out.reserve(4096);

  out +=
      "# HELP partnerbot_process_start_time_seconds Start time of the process since unix epoch in seconds.\n"
      "# TYPE partnerbot_process_start_time_seconds gauge\n";
  out += fmt::format("partnerbot_process_start_time_seconds {:.3f}\n", start_time_seconds_);

  out += "# HELP partnerbot_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE partnerbot_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "partnerbot_http_requests_total{route=\"";
    append_label_value(out, key.first);
    out += fmt::format("\",status=\"{}\"}} {}\n", key.second, count);
  }

  out += "# HELP partnerbot_http_request_duration_seconds Time from a request read to its response ready.\n"
         "# TYPE partnerbot_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : durations_) {
    std::string label;
    append_label_value(label, route);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += fmt::format("partnerbot_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                         label, latency_buckets[i], cumulative);
    }
    out += fmt::format("partnerbot_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       label, h.count);
    out += fmt::format("partnerbot_http_request_duration_seconds_sum{{route=\"{}\"}} {:.6f}\n", label, h.sum);
    out += fmt::format("partnerbot_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label, h.count);
  }

  for (const auto& collector : collectors_)
    collector(out);
  return out;
}

} // namespace bot
