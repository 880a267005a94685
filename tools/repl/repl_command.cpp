#include "tools/repl/repl_command.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "runtime/util/error.hpp"
#include "tools/repl/cluster.hpp"
#include "tools/repl/session.hpp"

namespace tessera::repl {

int run_repl(const ReplCommand& c) {
  ClusterOptions o;
  std::string file;
  for (const auto& t : c.targets) {
    if (t.rfind("tcp://", 0) == 0 || t.rfind("tls://", 0) == 0) {
      if (!o.address.empty()) throw ValueError("tessera repl: two scheduler addresses given: " + o.address + " and " + t);
      o.address = t;
    } else {
      if (!file.empty()) throw ValueError("tessera repl: two files given: " + file + " and " + t);
      file = t;
    }
  }
  if (!file.empty() && !c.command.empty()) throw ValueError("tessera repl: give either -c STATEMENTS or a FILE, not both");
  std::string source;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw ValueError("tessera repl: cannot read " + file);
    std::ostringstream ss;
    ss << in.rdbuf();
    source = ss.str();
  }
  o.workers = c.workers;
  o.threads = c.threads;
  o.dashboard_port = c.no_dashboard ? -1 : c.dashboard_port;
  ReplCluster cluster(o);
  Interpreter in(ClusterInfo{&cluster.client(), cluster.address(), cluster.dashboard()});
  Session session(in, std::cout, std::cerr);
  if (!c.command.empty() || !file.empty()) {
    if (!c.quiet) std::cerr << "tessera repl: connected to " << cluster.address() << "; dashboard at "
                            << (cluster.dashboard().empty() ? std::string("(none)") : cluster.dashboard()) << std::endl;
    bool ok = session.run_script(c.command.empty() ? source : c.command);
    std::cout.flush();
    return ok ? 0 : 1;
  }
  if (!::isatty(STDIN_FILENO)) {
    // Piped input: a script read from stdin.
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    if (!c.quiet) std::cerr << session.banner() << std::endl;
    return session.run_script(ss.str()) ? 0 : 1;
  }
  return session.interactive();
}

}  // namespace tessera::repl
