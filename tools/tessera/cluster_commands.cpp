#include "tools/tessera/cluster_commands.hpp"

#include <caf/actor.hpp>
#include <dlfcn.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <sstream>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "actors/cluster/child_process.hpp"
#include "actors/cluster/scheduler_node.hpp"
#include "actors/cluster/worker_node.hpp"
#include "actors/fault/fault_injector.hpp"
#include "net/auth_token.hpp"
#include "runtime/util/byte_size.hpp"
#include "runtime/util/error.hpp"
#include "tools/dashboard/dashboard.hpp"
#include "tools/tessera/stop_signals.hpp"

namespace tessera::tools {
namespace {

using namespace std::chrono_literals;

/// Writes the scheduler file atomically (workers may be polling for it).
/// `dashboard`: the dashboard's address, empty when there is none.
void write_scheduler_file(const std::string& path, const std::string& address, const std::string& dashboard) {
  nlohmann::json j{{"type", "Scheduler"}, {"address", address}, {"pid", getpid()}};
  if (!dashboard.empty()) j["dashboard"] = dashboard;
  std::string tmp = path + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream out(tmp);
    if (!out) throw Error("cannot write the scheduler file " + path);
    out << j.dump(2) << "\n";
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw Error("cannot write the scheduler file " + path);
}

/// The contents of a scheduler file ("address", maybe "dashboard"), waiting for the file to appear.
nlohmann::json read_scheduler_file(const std::string& path, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto& stop = stop_requested();
  for (;;) {
    std::ifstream in(path);
    if (in) {
      try {
        auto j = nlohmann::json::parse(in);
        j.at("address").get<std::string>();  // required
        return j;
      } catch (const std::exception& e) {
        throw ValueError("scheduler file " + path + " is not valid: " + e.what());
      }
    }
    if (stop || std::chrono::steady_clock::now() > deadline)
      throw Error("scheduler file " + path + " did not appear");
    std::this_thread::sleep_for(100ms);
  }
}

std::uint64_t memory_limit_bytes(const std::string& text, int nworkers) {
  if (text == "auto" || text.empty()) {
    auto pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return 0;
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page) /
           static_cast<std::uint64_t>(std::max(1, nworkers));
  }
  if (text == "0" || text == "none") return 0;
  return parse_byte_size(text);
}

void load_plugin(const std::string& path) {
  // RTLD_GLOBAL: the plugin's TESSERA_FUNCTION registrations run now and
  // land in this program's registry.
  if (!dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL)) {
    const char* why = dlerror();
    throw Error("cannot load plugin " + path + ": " + (why ? why : "unknown error"));
  }
}

/// The dashboard (unless --no-dashboard), its address printed.
std::unique_ptr<Dashboard> start_dashboard(const SchedulerCommand& c, actors::SchedulerNode& node) {
  if (c.no_dashboard) return nullptr;
  auto d = std::make_unique<Dashboard>(node.system(), node.scheduler(),
                                       DashboardOptions{.host = c.dashboard_address, .port = c.dashboard_port});
  if (d->fell_back())
    std::cerr << "tessera scheduler: dashboard port " << c.dashboard_port << " is in use; serving on port "
              << d->port() << " instead" << std::endl;
  std::cout << "tessera scheduler: dashboard at " << d->address() << std::endl;
  return d;
}

std::string fraction_text(double x) {
  std::ostringstream out;
  out.precision(17);
  out << x;
  return out.str();
}

/// The command line of worker process `i` of `--nworkers N`: one worker, the
/// share of threads and memory it would have had in one process, its name
/// suffixed "-i", and an end with its parent.
std::vector<std::string> worker_process_args(const WorkerCommand& c, int i, const std::string& base_name,
                                             std::uint32_t nthreads, std::uint64_t limit) {
  std::vector<std::string> a{"worker"};
  if (c.address.empty()) a.insert(a.end(), {"--scheduler-file", c.scheduler_file});
  else a.push_back(c.address);
  a.insert(a.end(), {"--nworkers", "1", "--nthreads", std::to_string(nthreads), "--name",
                     base_name + "-" + std::to_string(i), "--memory-limit", limit ? std::to_string(limit) : "none",
                     "--memory-target-fraction", fraction_text(c.memory.target), "--memory-spill-fraction",
                     fraction_text(c.memory.spill), "--memory-pause-fraction", fraction_text(c.memory.pause),
                     "--memory-terminate-fraction", fraction_text(c.memory.terminate), "--death-timeout",
                     fraction_text(c.death_timeout), "--exit-with-parent"});
  if (!c.local_directory.empty()) a.insert(a.end(), {"--local-directory", c.local_directory});
  for (const auto& p : c.plugins) a.insert(a.end(), {"--plugin", p});
  if (c.tls.enabled()) a.insert(a.end(), {"--tls-cert", c.tls.cert, "--tls-key", c.tls.key, "--tls-ca", c.tls.ca});
  if (!c.fault.empty()) a.insert(a.end(), {"--fault", c.fault});
  return a;
}

/// `tessera worker --nworkers N` with N > 1: N worker processes under this
/// one, as Dask's `dask worker --nworkers N` runs N nannies, each with a
/// worker process of its own. Why processes: the memory limit is per worker,
/// and what a worker's steps 2-4 (MemoryFractions) measure is its process's
/// resident memory. N workers in one process could not tell whose memory it
/// is (task temporaries, buffers in flight and allocator caches are not
/// attributed to a worker), so one worker past 95% would restart them all.
/// In processes of their own, a worker past its terminate fraction restarts
/// alone (in place, same pid) and the others go on.
///  1. Each process gets its share: --nthreads (cores / N by default), the
///     memory limit (`auto`: the machine's memory / N), name NAME-i.
///  2. This process only watches them. A worker process that ends abnormally
///     (killed, crashed) is started again, as a nanny does, unless it ended
///     within 2 s of its start (it cannot start: that is its exit code).
///  3. SIGINT/SIGTERM stops them all; they also stop when this process dies
///     (--exit-with-parent). It ends when they have all ended: 0 when the
///     cluster closed, else the exit code of the first that failed.
int run_worker_processes(const WorkerCommand& c) {
  using Clock = std::chrono::steady_clock;
  const auto& stop = stop_requested();
  const int n = c.nworkers;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::uint32_t nthreads = c.nthreads ? c.nthreads : std::max(1u, cores / static_cast<unsigned>(n));
  const std::uint64_t limit = memory_limit_bytes(c.memory_limit, n);
  std::string base = c.name;
  if (base.empty()) {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    base = std::string(host[0] ? host : "worker") + "-" + std::to_string(getpid());
  }
  // The secret goes by the environment, not on command lines anyone may read.
  const auto token = net::auth_token_or_env(c.auth_token);
  if (!token.empty()) setenv("TESSERA_AUTH_TOKEN", token.c_str(), 1);
  // This very program, even if its file was replaced since (a rebuild).
  const std::string program = "/proc/self/exe";
  struct Child {
    actors::ChildProcess process;
    Clock::time_point started;
    std::optional<int> code;
  };
  std::vector<Child> children(static_cast<std::size_t>(n));
  auto start = [&](int i) {
    auto& ch = children[static_cast<std::size_t>(i)];
    ch.process = actors::ChildProcess::start(program, worker_process_args(c, i, base, nthreads, limit));
    ch.started = Clock::now();
  };
  for (int i = 0; i < n; ++i) start(i);
  std::cout << "tessera worker: " << n << " worker processes (" << nthreads << " threads"
            << (limit ? ", " + std::to_string(limit >> 20) + " MiB" : std::string()) << " each)" << std::endl;
  bool stopping = false;
  std::optional<int> failure;
  for (;;) {
    bool running = false;
    for (int i = 0; i < n; ++i) {
      auto& ch = children[static_cast<std::size_t>(i)];
      if (ch.code) continue;
      auto code = ch.process.wait_for(std::chrono::milliseconds(0));
      if (!code) {
        running = true;
        continue;
      }
      const bool normal = *code == static_cast<int>(actors::WorkerNodeExit::closed) ||
                          *code == static_cast<int>(actors::WorkerNodeExit::unreachable) ||
                          *code == static_cast<int>(actors::WorkerNodeExit::refused);
      if (!stopping && !normal && Clock::now() - ch.started > std::chrono::seconds(2)) {
        std::cerr << "tessera worker: worker process " << base << "-" << i << " (pid " << ch.process.pid()
                  << ") ended with code " << *code << "; starting it again" << std::endl;
        try {
          start(i);
          running = true;
          continue;
        } catch (const std::exception& e) {
          std::cerr << "tessera worker: " << e.what() << std::endl;
        }
      }
      ch.code = code;
      if (*code != 0 && !failure && !stopping) failure = code;
    }
    if (!running) break;
    if (stop && !stopping) {
      stopping = true;
      for (auto& ch : children) ch.process.signal(SIGTERM);
    }
    std::this_thread::sleep_for(100ms);
  }
  return failure.value_or(0);
}

}  // namespace

int run_scheduler(const SchedulerCommand& c) {
  const auto& stop = stop_requested();
  if (c.exit_with_parent) stop_with_parent();
  actors::SchedulerNodeOptions o;
  o.host = c.host;
  o.port = c.port;
  o.scheduler.auth_token = net::auth_token_or_env(c.auth_token);
  o.node.tls = c.tls;
  o.scheduler.worker_timeout = std::chrono::milliseconds(static_cast<long>(c.worker_timeout * 1000));
  o.scheduler.faults = actors::fault::make_fault_injector(c.fault, actors::fault::Role::scheduler);
  if (o.scheduler.faults)
    std::cerr << "tessera scheduler: FAULT INJECTION ON: " << o.scheduler.faults->spec().str() << std::endl;
  o.scheduler.dashboard = !c.no_dashboard;
  actors::SchedulerNode node(o);
  std::cout << "tessera scheduler at " << node.address() << std::endl;
  auto dashboard = start_dashboard(c, node);
  if (!o.scheduler.auth_token.empty()) std::cout << "tessera scheduler: a cluster secret is required" << std::endl;
  if (c.tls.enabled()) std::cout << "tessera scheduler: TLS required (CA " << c.tls.ca << ")" << std::endl;
  if (!c.scheduler_file.empty())
    write_scheduler_file(c.scheduler_file, node.address(), dashboard ? dashboard->address() : std::string{});
  while (!stop) std::this_thread::sleep_for(50ms);
  std::cout << "tessera scheduler: shutting down" << std::endl;
  dashboard.reset();  // it asks the scheduler for snapshots: goes first
  node.stop();
  if (!c.scheduler_file.empty()) std::remove(c.scheduler_file.c_str());
  return 0;
}

int run_worker(const WorkerCommand& c) {
  const auto& stop = stop_requested();
  if (c.exit_with_parent) stop_with_parent();
  if (c.address.empty() == c.scheduler_file.empty())
    throw ValueError("tessera worker: give either a scheduler address (tcp://HOST:PORT) or --scheduler-file");
  if (c.nworkers < 1) throw ValueError("tessera worker: --nworkers must be at least 1");
  for (double f : {c.memory.target, c.memory.spill, c.memory.pause, c.memory.terminate})
    if (f < 0 || f > 1) throw ValueError("tessera worker: memory fractions must lie in [0, 1], not " + std::to_string(f));
  for (const auto& p : c.plugins) load_plugin(p);  // (checked here once: a bad path fails now)
  if (c.nworkers > 1) return run_worker_processes(c);
  actors::WorkerNodeOptions o;
  o.death_timeout = std::chrono::milliseconds(static_cast<long>(c.death_timeout * 1000));
  o.node.tls = c.tls;
  std::string address = c.address;
  if (address.empty()) {
    auto file = read_scheduler_file(c.scheduler_file, o.death_timeout);
    address = file["address"].get<std::string>();
  }
  o.scheduler_address = net::tcp_address_of(address, c.tls);
  o.name = c.name;
  o.nthreads = c.nthreads;
  o.nworkers = c.nworkers;
  o.memory_limit = memory_limit_bytes(c.memory_limit, c.nworkers);
  o.memory = c.memory;
  o.local_directory = c.local_directory;
  if (!o.local_directory.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.local_directory, ec);
    if (ec) throw ValueError("tessera worker: cannot create --local-directory " + o.local_directory + ": " + ec.message());
  }
  o.auth_token = net::auth_token_or_env(c.auth_token);
  o.faults = actors::fault::make_fault_injector(c.fault, actors::fault::Role::worker);
  if (o.faults) std::cerr << "tessera worker: FAULT INJECTION ON: " << o.faults->spec().str() << std::endl;
  std::cout << "tessera worker: joining " << o.scheduler_address << std::endl;
  auto end = actors::run_worker_node(o, stop);
  // Tasks may still be running in the node's threads: end the process now,
  // without static destructors racing them.
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(static_cast<int>(end));
}

}  // namespace tessera::tools
