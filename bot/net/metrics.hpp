#pragma once
// Process metrics in Prometheus text exposition format (version 0.0.4),
// every name prefixed `partnerbot_`. The router records each request;
// other components append their own lines through collectors.
// Single-threaded: use from the io_context's thread only.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace bot {

// One metric in exposition format: its HELP and TYPE lines and its one
// unlabelled sample. `type` is "counter" or "gauge".
void write_metric(std::string& out, std::string_view name, std::string_view help, std::string_view type,
                  double value);
void write_count(std::string& out, std::string_view name, std::string_view help, std::string_view type,
                 std::int64_t value);
template <class Integer>
requires std::is_integral_v<Integer>
void write_metric(std::string& out, std::string_view name, std::string_view help, std::string_view type,
                  Integer value) {
  write_count(out, name, help, type, static_cast<std::int64_t>(value));
}
// The HELP and TYPE lines alone, before labelled samples.
void write_metric_header(std::string& out, std::string_view name, std::string_view help,
                         std::string_view type);

class metrics {
public:
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";
  // Upper bounds (seconds) of the request latency histogram.
  static constexpr std::array<double, 12> latency_buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                             0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  metrics();

  // `route` must come from a bounded set (registered paths or "other").
  void observe_request(std::string_view route, unsigned status, std::chrono::nanoseconds duration);
  // Counts a request without a latency sample (one refused before routing).
  void count_request(std::string_view route, unsigned status);
  // A collector appends complete exposition lines (# HELP, # TYPE, samples)
  // to `out` each time /metrics is rendered.
  void add_collector(std::function<void(std::string& out)> collector);
  std::string render() const;

private:
  struct histogram {
    std::array<std::uint64_t, latency_buckets.size()> buckets{}; // non-cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  double start_time_seconds_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t, std::less<>> requests_;
  std::map<std::string, histogram, std::less<>> durations_;
  std::vector<std::function<void(std::string&)>> collectors_;
};

} // namespace bot
