// temp_path on its own, so that a test program using only it (the store
// tests) does not link the running app.

#include "support/running_app.hpp"

#include <filesystem>
#include <stdexcept>
#include <stdlib.h>
#include <unistd.h>

namespace test_support {

temp_path::temp_path(const std::string& suffix) {
  auto pattern = (std::filesystem::temp_directory_path() / "partnerbot-test-XXXXXX").string() + suffix;
  const int fd = ::mkstemps(pattern.data(), static_cast<int>(suffix.size()));
  if (fd < 0) throw std::runtime_error("cannot create a temporary file in " + pattern);
  ::close(fd);
  path_ = pattern;
}

temp_path::~temp_path() {
  std::error_code ignored;
  for (const char* extra : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(path_ + extra, ignored);
}

} // namespace test_support
