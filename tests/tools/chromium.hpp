#pragma once
// Test helper: headless Chromium (Debian's `chromium`, which ./test installs
// from cmake/deps.sh), run once per call with a fresh profile directory and
// the flags that keep it from reaching out (no background networking, no
// component updates, no first-run screens).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace tessera::testing {

/// The chromium executable, or empty when it is not installed.
inline std::string chromium_path() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(p)) return p;
  return {};
}

struct ChromiumRun {
  int exit_code = -1;
  std::string dom;     // with dump_dom
  std::string stderr_text;
};

/// Loads `url`, lets its scripts run for `virtual_ms` of virtual time (the
/// page's timers; fetches take real time), then dumps the DOM or saves a
/// screenshot to `screenshot` (when not empty). `work_dir` holds the profile.
inline ChromiumRun run_chromium(const std::string& url, const std::filesystem::path& work_dir, int virtual_ms,
                                const std::string& screenshot = {}) {
  auto exe = chromium_path();
  if (exe.empty()) throw std::runtime_error("chromium is not installed (./test installs it: cmake/deps.sh)");
  static int runs = 0;
  auto profile = work_dir / ("chromium-profile-" + std::to_string(runs++));
  std::filesystem::remove_all(profile);
  std::filesystem::create_directories(profile);
  auto out = work_dir / "chromium.out", err = work_dir / "chromium.err";
  std::ostringstream cmd;
  cmd << "timeout 120 " << exe
      << " --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
      << " --no-first-run --disable-dev-shm-usage --window-size=1280,1000 --user-data-dir='" << profile.string()
      << "' --virtual-time-budget=" << virtual_ms;
  if (screenshot.empty()) cmd << " --dump-dom";
  else cmd << " --screenshot='" << screenshot << "'";
  cmd << " '" << url << "' >'" << out.string() << "' 2>'" << err.string() << "'";
  ChromiumRun run;
  int status = std::system(cmd.str().c_str());
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  run.dom = slurp(out);
  run.stderr_text = slurp(err);
  std::filesystem::remove_all(profile);
  return run;
}

}  // namespace tessera::testing
