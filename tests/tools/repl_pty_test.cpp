// The interactive REPL on a pseudo-terminal, as a user sees it: the banner
// with the dashboard's address, prompts, multi-line input, line editing and
// history (readline), Ctrl-C at the prompt, and Ctrl-C during a long
// computation, which cancels it on the cluster and returns to the prompt.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/support/temp_files.hpp"

namespace tessera::testing {
namespace {

using Clock = std::chrono::steady_clock;

class PtyRepl {
 public:
  PtyRepl() {
    std::string history = temp_path("repl-history");
    pid_ = ::forkpty(&fd_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      ::setenv("TESSERA_REPL_HISTORY", history.c_str(), 1);
      ::setenv("TERM", "dumb", 1);
      ::execl(TESSERA_BINARY, TESSERA_BINARY, "repl", "--workers", "1", "--threads", "2", "--dashboard-port", "0",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~PtyRepl() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) ::close(fd_);
  }
  bool started() const { return pid_ > 0; }

  void send(const std::string& s) { ASSERT_EQ(::write(fd_, s.data(), s.size()), static_cast<ssize_t>(s.size())); }

  /// Reads until `text` appears after what was consumed before; returns everything read up to it.
  std::string expect(const std::string& text, std::chrono::seconds timeout = std::chrono::seconds(60)) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      auto at = buffer_.find(text);
      if (at != std::string::npos) {
        std::string out = buffer_.substr(0, at + text.size());
        buffer_.erase(0, at + text.size());
        return out;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        ADD_FAILURE() << "timed out waiting for '" << text << "'; got:\n" << buffer_;
        return {};
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(std::min<long>(left, 200))) > 0) {
        char buf[4096];
        auto n = ::read(fd_, buf, sizeof buf);
        if (n <= 0) {
          int status = 0;
          std::string how = "still running";
          if (!exited_ && ::waitpid(pid_, &status, WNOHANG) == pid_) {
            exited_ = true;
            how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                    : "signal " + std::to_string(WTERMSIG(status));
            if (WIFEXITED(status) && WEXITSTATUS(status) == 127) how += " (could not exec " TESSERA_BINARY ")";
          }
          ADD_FAILURE() << "the REPL closed its terminal (" << how << ") while waiting for '" << text << "'; got:\n"
                        << buffer_;
          return {};
        }
        buffer_.append(buf, static_cast<std::size_t>(n));
      }
    }
  }

  /// The exit status, waiting up to `timeout`.
  int wait_exit(std::chrono::seconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      // Drain the terminal so that the child never blocks writing to it.
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0) {
        char buf[4096];
        if (::read(fd_, buf, sizeof buf) > 0) continue;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  bool exited_ = false;
  std::string buffer_;
};

TEST(ReplTerminal, PromptEditingHistoryAndCtrlC) {
  PtyRepl repl;
  ASSERT_TRUE(repl.started());
  auto banner = repl.expect(">>> ");
  EXPECT_NE(banner.find("Tessera REPL: connected to in-process"), std::string::npos) << banner;
  EXPECT_NE(banner.find("Dashboard: http://127.0.0.1:"), std::string::npos) << banner;

  // Each step waits for the output it wants and then for the prompt after
  // it: a prompt alone could be readline redrawing the line being typed.
  repl.send("1 + 1\r");
  repl.expect("\r\n2\r\n");
  repl.expect(">>> ");

  // Multi-line input: an open bracket asks for more.
  repl.send("(40 +\r");
  repl.expect("... ");
  repl.send("2)\r");
  repl.expect("\r\n42\r\n");
  repl.expect(">>> ");

  // Line editing (a backspace) and history (the up arrow recalls "1 + 6").
  repl.send("1 + 5\x7f" "6\r");
  repl.expect("\r\n7\r\n");
  repl.expect(">>> ");
  repl.send("\x1b[A\r");
  repl.expect("\r\n7\r\n");
  repl.expect(">>> ");

  // An error does not end the session.
  repl.send("undefined_name\r");
  repl.expect("NameError");
  repl.expect(">>> ");

  // Ctrl-C at the prompt drops the line. Typed and interrupted at once, many
  // times: the terminal discards the typed bytes as it raises SIGINT, which
  // once caught the REPL between poll() and read() (it then hung, echo off).
  for (int i = 0; i < 10; ++i) {
    repl.send(i % 2 ? "this is not sent" : "this is not sent\x03");
    if (i % 2) repl.send("\x03");
    repl.expect("KeyboardInterrupt");
    repl.expect(">>> ");
  }
  repl.send("3 * 3\r");
  repl.expect("\r\n9\r\n");
  repl.expect(">>> ");

  // Ctrl-C during a long computation cancels it and returns to the prompt.
  repl.send("da.random.random((100000, 100000), chunks=4000).sum().compute()\r");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto t0 = Clock::now();
  repl.send("\x03");
  auto out = repl.expect("KeyboardInterrupt: the computation was cancelled on the cluster", std::chrono::seconds(30));
  EXPECT_FALSE(out.empty());
  repl.expect(">>> ");
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(20));

  // The cluster is still there and usable.
  repl.send("%status\r");
  repl.expect("tasks:");
  repl.expect(">>> ");
  repl.send("2 * 21\r");
  repl.expect("\r\n42\r\n");
  repl.expect(">>> ");

  repl.send("%quit\r");
  EXPECT_EQ(repl.wait_exit(std::chrono::seconds(30)), 0);
}

}  // namespace
}  // namespace tessera::testing
