#pragma once
// A folder for a database whose disk space a test can take away and give
// back: a 16 MiB tmpfs that a file fills, when the test may mount one
// (root); otherwise an ordinary folder where the writing process's
// file-size limit is pinned to what the write-ahead log holds, which fails
// its writes the same way (EFBIG instead of ENOSPC).

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/types.h>

namespace test_support {

class starvable_folder {
public:
  starvable_folder() {
    char pattern[] = "/tmp/partnerbot-disk-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
    mounted_ = ::mount("tmpfs", path_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=16m") == 0;
    // Over a file-size limit a write fails (EFBIG) rather than killing the
    // writer, once SIGXFSZ is ignored; children started later inherit that.
    if (!mounted_) std::signal(SIGXFSZ, SIG_IGN);
  }
  ~starvable_folder() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // The database to put here (its write-ahead log is what may not grow).
  std::string db() const { return file("bot.db"); }
  bool on_tmpfs() const { return mounted_; }

  // `writer`: the process whose writes must fail (a child, or this one).
  void take_space(pid_t writer) {
    if (mounted_) {
      std::ofstream filler(file("filler"), std::ios::binary);
      const std::string block(64 * 1024, 'f');
      while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
      }
      filler.clear();
      while (filler.write("f", 1))
        filler.flush();
    } else {
      // The write-ahead log, which every write appends to, may not grow.
      ::prlimit(writer, RLIMIT_FSIZE, nullptr, &saved_);
      const rlimit lim{static_cast<rlim_t>(current_size()), saved_.rlim_max};
      ::prlimit(writer, RLIMIT_FSIZE, &lim, nullptr);
    }
  }
  void give_space_back(pid_t writer) {
    if (mounted_)
      std::filesystem::remove(file("filler"));
    else
      ::prlimit(writer, RLIMIT_FSIZE, &saved_, nullptr);
  }

private:
  std::uintmax_t current_size() const {
    std::error_code ec;
    const auto wal = std::filesystem::file_size(db() + "-wal", ec);
    return ec ? 0 : wal;
  }

  std::string path_;
  bool mounted_ = false;
  rlimit saved_{RLIM_INFINITY, RLIM_INFINITY};
};

} // namespace test_support
