#pragma once
// `tessera repl [tcp://HOST:PORT] [FILE] [-c STATEMENTS] [--workers N --threads T]`:
// connects to a scheduler, or starts an in-process cluster when no address
// is given; runs a script (-c or FILE: no prompt, exit 1 at the first
// error) or the interactive loop (a terminal), printing the dashboard's
// address at the start.
#include <string>
#include <vector>

namespace tessera::repl {

struct ReplCommand {
  std::vector<std::string> targets;  // an address (tcp://, tls://) and/or a FILE
  std::string command;               // -c
  int workers = 1;
  int threads = 2;
  int dashboard_port = 8787;
  bool no_dashboard = false;
  bool quiet = false;                // no banner
};

/// Runs the REPL; returns the process' exit status.
int run_repl(const ReplCommand& c);

}  // namespace tessera::repl
