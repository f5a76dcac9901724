#include "bench/support/command_line.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <stdexcept>

namespace bench {

std::function<void(const std::string&)> into(int& target) {
  return [&target](const std::string& value) { target = std::stoi(value); };
}

std::function<void(const std::string&)> into(std::string& target) {
  return [&target](const std::string& value) { target = value; };
}

void parse_options(int argc, char** argv, const option_table& table) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (const auto flag = table.flags.find(arg); flag != table.flags.end()) {
      flag->second();
      continue;
    }
    const auto option = table.values.find(arg);
    if (option == table.values.end()) throw std::invalid_argument("unknown option " + arg);
    if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
    option->second(argv[++i]);
  }
}

std::string next_to_benchmark(const char* argv0, std::string_view relative) {
  return (std::filesystem::path(argv0).parent_path() / relative).lexically_normal().string();
}

int run_benchmark(std::string_view name, std::string_view usage,
                  const std::function<void()>& read_command_line, const std::function<int()>& run) {
  try {
    read_command_line();
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\nusage: {}\n", name, e.what(), usage);
    return 2;
  }
  try {
    return run();
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: {}\n", name, e.what());
    return 1;
  }
}

} // namespace bench
