#pragma once
// The programs a benchmark measures, as child processes, and what /proc
// says about them.

#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>
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

// A fresh folder under the system's temporary folder, and its removal.
std::filesystem::path make_scratch_dir(const std::string& name);
void remove_scratch_dir(const std::filesystem::path& dir);

} // namespace bench
