#pragma once
// The programs a benchmark measures, as child processes, and what /proc
// says about them.

#include <atomic>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <thread>
#include <vector>

namespace bench {

// Starts `binary args...` with its output appended to `log`, in this
// process's environment minus PARTNERBOT_*, SLACK_* and PLEO_* variables,
// plus `env` ("NAME=value"), so the caller's settings cannot leak in.
pid_t spawn_child(const std::string& binary, const std::vector<std::string>& args,
                  const std::vector<std::string>& env, const std::string& log);

// SIGTERM, then waits for it; how long it took to stop, in ms. Its wait
// status goes to `status`.
double stop_child(pid_t pid, int& status);
// SIGKILL, then reaps it.
void kill_child(pid_t pid);
// The exit code in a wait status, or -1 when the child did not exit.
int exit_code(int status);

// A field of /proc/PID/status as written there ("52340 kB"), or "?".
std::string proc_status_field(pid_t pid, std::string_view field);
// A field of /proc/PID/status in KiB, or -1.
long proc_status_kib(pid_t pid, std::string_view field);
long open_fds(pid_t pid);
// User plus system CPU time the process has used, in seconds.
double cpu_seconds(pid_t pid);

// Samples a process's anonymous memory (heap and stacks, not mapped files
// such as the database, which VmHWM also counts) every 5 ms on a thread of
// its own, and its VmHWM, from construction until stop(); keeps the largest.
// For a child, stop() before reaping it: /proc forgets it then.
class memory_peak {
public:
  explicit memory_peak(pid_t pid);
  ~memory_peak();
  memory_peak(const memory_peak&) = delete;
  memory_peak& operator=(const memory_peak&) = delete;

  struct figures {
    long anonymous_kib = 0; // the largest RssAnon seen
    long hwm_kib = 0;       // the last VmHWM read
  };
  figures stop();

private:
  void sample();

  pid_t pid_;
  std::atomic<long> anonymous_kib_{0};
  std::atomic<long> hwm_kib_{0};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// A fresh folder under the system's temporary folder, and its removal.
std::filesystem::path make_scratch_dir(const std::string& name);
void remove_scratch_dir(const std::filesystem::path& dir);

} // namespace bench
