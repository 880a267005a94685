#pragma once
// ChildProcess: a program started by this process (worker processes of a
// LocalCluster, processes of multi-process tests), always reaped: the
// destructor terminates it (SIGTERM, then SIGKILL after a grace period).
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tessera::actors {

class ChildProcess {
 public:
  /// Starts `program` with `args` (a program without '/' is looked up on
  /// PATH). Throws Error naming the program when it cannot be started.
  /// With `output_file` set, stdout and stderr go there (appended).
  static ChildProcess start(const std::string& program, const std::vector<std::string>& args,
                            const std::string& output_file = {});

  ChildProcess() = default;
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  pid_t pid() const noexcept { return pid_; }
  bool running();
  /// Sends a signal (no-op once reaped).
  void signal(int sig);
  /// Waits up to `timeout` for the exit; its status code (128+signal when
  /// killed by one), or nullopt when still running.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  /// SIGTERM, wait up to `grace`, then SIGKILL and reap. Returns the exit code.
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

/// The path of the running executable (/proc/self/exe).
std::string current_executable();

}  // namespace tessera::actors
