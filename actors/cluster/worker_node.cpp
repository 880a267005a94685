#include "actors/cluster/worker_node.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <thread>

#include "net/address.hpp"
#include "actors/protocol/messages.hpp"
#include "actors/protocol/protocol_error.hpp"
#include "actors/worker/worker_actor.hpp"
#include "actors/worker/worker_data_plane.hpp"

namespace tessera::actors {
namespace {

using Clock = std::chrono::steady_clock;

std::string default_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "worker") + "-" + std::to_string(getpid());
}

/// Connects to the scheduler with exponential backoff until `deadline`.
std::optional<caf::actor> connect(caf::actor_system& sys, const net::Address& addr, Clock::time_point deadline,
                                  const std::atomic<bool>& stop, const net::TlsOptions& tls) {
  auto delay = std::chrono::milliseconds(100);
  bool told = false;
  while (!stop) {
    auto h = remote_node(sys, addr.host, addr.port, tls);
    if (h) return *h;
    if (!told) {
      std::cerr << "tessera worker: waiting for the scheduler at " << addr.str() << ": "
                << sys.render(h.error()) << std::endl;
      told = true;
    }
    if (Clock::now() + delay > deadline) return std::nullopt;
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(2000));
  }
  return std::nullopt;
}

/// Prints the scheduler's dashboard address, when it serves one.
void print_dashboard(caf::scoped_actor& self, const caf::actor& scheduler, const std::string& token) {
  self->request(scheduler, std::chrono::seconds(2), dashboard_atom_v, token)
      .receive(
          [](const std::string& url) {
            if (!url.empty()) std::cout << "tessera worker: the scheduler's dashboard is at " << url << std::endl;
          },
          [](caf::error&) {});  // none, or an older scheduler: nothing to print
}

enum class RunEnd { closed, lost, refused, stopped };

/// Runs workers against one scheduler connection until they end.
RunEnd run_workers(caf::actor_system& sys, const caf::actor& scheduler, const WorkerNodeOptions& o,
                   const std::atomic<bool>& stop) {
  caf::scoped_actor self{sys};
  print_dashboard(self, scheduler, o.auth_token);
  std::vector<caf::actor> workers;
  // Declared before the loop's exits so that the servers stop after the workers end.
  std::vector<std::shared_ptr<WorkerDataPlane>> planes;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  for (int i = 0; i < o.nworkers; ++i) {
    WorkerOptions wo;
    wo.name = o.name.empty() ? default_name() : o.name;
    if (o.nworkers > 1) wo.name += "-" + std::to_string(i);
    wo.nthreads = o.nthreads ? o.nthreads : std::max(1u, cores / static_cast<unsigned>(o.nworkers));
    wo.memory_limit = o.memory_limit;
    wo.memory = o.memory;
    wo.local_directory = o.local_directory;
    wo.restart = restart_this_process;
    wo.auth_token = o.auth_token;
    wo.faults = o.faults;
    try {
      wo.data_plane = WorkerDataPlane::start(o.listen_host, o.auth_token, o.node.tls);
      planes.push_back(wo.data_plane);
    } catch (const std::exception& e) {
      // Without a data server the worker still works: its values travel in CAF messages.
      std::cerr << "tessera worker: no data plane on " << o.listen_host << ": " << e.what() << std::endl;
    }
    auto w = spawn_worker(sys, scheduler, wo);
    // A listening port, so that peers and clients given this worker's handle
    // connect to it directly instead of routing through the scheduler.
    if (auto port = publish_node(w, 0, o.listen_host, o.node.tls); !port)
      std::cerr << "tessera worker: cannot listen on " << o.listen_host << ": " << sys.render(port.error())
                << std::endl;
    self->monitor(w);
    workers.push_back(w);
  }
  std::size_t alive = workers.size();
  RunEnd end = RunEnd::closed;
  while (alive > 0) {
    self->receive(
        [&](caf::down_msg& msg) {
          --alive;
          if (is_protocol_error(msg.reason, ProtocolError::refused)) end = RunEnd::refused;
          else if (is_protocol_error(msg.reason, ProtocolError::scheduler_lost) && end != RunEnd::refused)
            end = RunEnd::lost;
          // Once one worker ends for a reason other than close, the rest follow.
          if (end != RunEnd::closed)
            for (auto& w : workers) self->send_exit(w, caf::exit_reason::user_shutdown);
        },
        caf::after(std::chrono::milliseconds(100)) >> [&] {
          if (stop && end != RunEnd::stopped) {
            end = RunEnd::stopped;
            for (auto& w : workers) self->send_exit(w, caf::exit_reason::user_shutdown);
          }
        });
  }
  return end;
}

}  // namespace

void restart_this_process() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> args;
  for (std::size_t at = 0; at < all.size();) {
    auto end = all.find('\0', at);
    if (end == std::string::npos) end = all.size();
    args.push_back(all.substr(at, end - at));
    at = end + 1;
  }
  if (args.empty()) {
    std::cerr << "tessera worker: cannot restart: /proc/self/cmdline is unreadable" << std::endl;
    return;
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Sockets, files and pipes close on exec: peers see this process go.
  if (DIR* d = opendir("/proc/self/fd")) {
    while (dirent* e = readdir(d)) {
      int fd = std::atoi(e->d_name);
      if (fd > 2 && fd != dirfd(d)) fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
    }
    closedir(d);
  }
  std::cout.flush();
  std::cerr.flush();
  execv("/proc/self/exe", argv.data());
  std::cerr << "tessera worker: cannot restart: exec failed: " << std::strerror(errno) << std::endl;
}

void remove_spill_folders(const std::string& local_directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = local_directory.empty() ? fs::temp_directory_path(ec) : fs::path(local_directory);
  const std::string prefix = "tessera-spill-" + std::to_string(getpid()) + "-";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) fs::remove_all(it->path(), ec);
}

WorkerNodeExit run_worker_node(const WorkerNodeOptions& options, const std::atomic<bool>& stop) {
  // Folders a previous image of this process left (it restarted: step 4 of MemoryFractions).
  remove_spill_folders(options.local_directory);
  struct Cleanup {
    const std::string& dir;
    ~Cleanup() { remove_spill_folders(dir); }
  } cleanup{options.local_directory};
  auto addr = net::parse_address(options.scheduler_address);
  // The system is never destroyed: its destructor would wait for task actors
  // still inside a long task, which cannot be interrupted. The process ends
  // right after this returns (the tessera program calls _Exit).
  auto* cfg = new caf::actor_system_config;
  configure_node(*cfg, options.node);
  auto& sys = *new caf::actor_system(*cfg);
  auto deadline = Clock::now() + options.death_timeout;
  while (!stop) {
    auto scheduler = connect(sys, addr, deadline, stop, options.node.tls);
    if (!scheduler) break;
    switch (run_workers(sys, *scheduler, options, stop)) {
      case RunEnd::closed:
      case RunEnd::stopped: return WorkerNodeExit::closed;
      case RunEnd::refused: return WorkerNodeExit::refused;
      case RunEnd::lost:
        std::cerr << "tessera worker: lost the scheduler at " << addr.str() << "; reconnecting" << std::endl;
        deadline = Clock::now() + options.death_timeout;
        break;
    }
  }
  if (stop) return WorkerNodeExit::closed;
  std::cerr << "tessera worker: no scheduler at " << addr.str() << " for "
            << std::chrono::duration<double>(options.death_timeout).count() << " s; exiting" << std::endl;
  return WorkerNodeExit::unreachable;
}

}  // namespace tessera::actors
