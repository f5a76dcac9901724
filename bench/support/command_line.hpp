#pragma once
// The benchmarks' command lines: options by table, and the one way a
// benchmark reports a bad command line (exit 2) or a failure (exit 1).

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace bench {

struct option_table {
  std::map<std::string, std::function<void(const std::string&)>> values; // "--seconds 10"
  std::map<std::string, std::function<void()>> flags;                    // "--repeat"
};

std::function<void(const std::string&)> into(int& target);
std::function<void(const std::string&)> into(std::string& target);

// Reads argv by `table`; std::invalid_argument for an unknown option or a
// missing value.
void parse_options(int argc, char** argv, const option_table& table);

// `relative` to the folder of the benchmark (argv[0]): the server binary
// sits one folder up from bench/ in the build tree ("../partnerbot").
std::string next_to_benchmark(const char* argv0, std::string_view relative);

// Runs `read_command_line`, then `run`. A throw from the first prints
// "NAME: why" and the usage, and gives 2; a throw from `run` prints
// "NAME: what" and gives 1; otherwise what `run` returns.
int run_benchmark(std::string_view name, std::string_view usage,
                  const std::function<void()>& read_command_line, const std::function<int()>& run);

} // namespace bench
