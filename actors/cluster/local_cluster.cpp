#include "actors/cluster/local_cluster.hpp"

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "net/address.hpp"
#include "actors/cluster/child_process.hpp"
#include "actors/cluster/node_config.hpp"
#include "actors/protocol/message_types.hpp"
#include "actors/protocol/messages.hpp"
#include "actors/scheduler/scheduler_actor.hpp"
#include "actors/worker/worker_actor.hpp"
#include "runtime/util/error.hpp"

namespace tessera {

struct LocalCluster::Impl {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::actor scheduler;
  std::vector<caf::actor> workers;
  std::vector<actors::ChildProcess> processes;
  std::uint16_t port = 0;
  int number = 0;
};

namespace {

std::atomic<int> cluster_counter{0};

std::string tessera_program(const std::string& configured) {
  if (!configured.empty()) return configured;
  if (const char* env = std::getenv("TESSERA_PROGRAM"); env && *env) return env;
  auto self = actors::current_executable();
  auto slash = self.rfind('/');
  if (!self.empty() && self.substr(slash + 1) == "tessera") return self;
  return "tessera";
}

std::size_t registered_workers(caf::actor_system& sys, const caf::actor& scheduler) {
  caf::scoped_actor self{sys};
  std::size_t n = 0;
  self->request(scheduler, std::chrono::seconds(10), actors::info_atom_v)
      .receive([&](actors::SchedulerInfo& info) { n = info.workers.size(); }, [](caf::error&) {});
  return n;
}

}  // namespace

LocalCluster::LocalCluster(LocalClusterOptions options) : options_(options), impl_(std::make_unique<Impl>()) {
  if (options_.n_workers < 0 || options_.threads_per_worker < 0)
    throw ValueError("LocalCluster: n_workers and threads_per_worker must not be negative");
  if (options_.n_workers == 0) options_.n_workers = 1;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (options_.threads_per_worker == 0)
    options_.threads_per_worker = std::max(1, cores / options_.n_workers);
  impl_->number = cluster_counter++;
  if (options_.processes) start_processes();
  else start_in_process();
}

void LocalCluster::start_in_process() {
  int task_threads = options_.n_workers * options_.threads_per_worker;
  // One CAF thread per task thread, plus one for the scheduler, workers and
  // clients, so bookkeeping never waits behind running tasks.
  impl_->cfg.set("scheduler.max-threads", task_threads + 1);
  actors::calm_idle_threads(impl_->cfg);
  impl_->cfg.set("logger.console", caf::atom("none"));
  actors::add_message_types(impl_->cfg);
  impl_->sys = std::make_unique<caf::actor_system>(impl_->cfg);
  impl_->scheduler = actors::spawn_scheduler(*impl_->sys);
  for (int i = 0; i < options_.n_workers; ++i) {
    actors::WorkerOptions wo;
    wo.name = "worker-" + std::to_string(i);
    wo.nthreads = static_cast<std::uint32_t>(options_.threads_per_worker);
    impl_->workers.push_back(actors::spawn_worker(*impl_->sys, impl_->scheduler, wo));
  }
  wait_for_workers(std::chrono::seconds(10));
}

void LocalCluster::start_processes() {
  actors::NodeConfig node;
  node.threads = 2;  // the scheduler and clients; tasks run in the worker processes
  actors::configure_node(impl_->cfg, node);
  impl_->sys = std::make_unique<caf::actor_system>(impl_->cfg);
  actors::SchedulerActorOptions so;
  so.auth_token = options_.auth_token;
  impl_->scheduler = actors::spawn_scheduler(*impl_->sys, so);
  auto port = impl_->sys->middleman().publish(impl_->scheduler, 0, "127.0.0.1", true);
  if (!port) {
    caf::anon_send_exit(impl_->scheduler, caf::exit_reason::user_shutdown);
    throw Error("LocalCluster: cannot listen on 127.0.0.1: " + impl_->sys->render(port.error()));
  }
  impl_->port = *port;
  auto program = tessera_program(options_.program);
  for (int i = 0; i < options_.n_workers; ++i) {
    std::vector<std::string> args{"worker",
                                  address(),
                                  "--nthreads",
                                  std::to_string(options_.threads_per_worker),
                                  "--name",
                                  "worker-" + std::to_string(i),
                                  "--death-timeout",
                                  "10",
                                  "--exit-with-parent"};
    if (!options_.auth_token.empty()) args.insert(args.end(), {"--auth-token", options_.auth_token});
    args.insert(args.end(), options_.worker_args.begin(), options_.worker_args.end());
    impl_->processes.push_back(actors::ChildProcess::start(program, args));
  }
  wait_for_workers(std::chrono::seconds(30));
}

void LocalCluster::wait_for_workers(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (registered_workers(*impl_->sys, impl_->scheduler) < static_cast<std::size_t>(options_.n_workers)) {
    for (auto& p : impl_->processes)
      if (!p.running()) {
        shutdown();
        throw Error("LocalCluster: a worker process exited during start-up (is the tessera program at '" +
                    tessera_program(options_.program) + "'?)");
      }
    if (std::chrono::steady_clock::now() > deadline) {
      shutdown();
      throw Error("LocalCluster: workers did not register with the scheduler");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

namespace {
std::vector<std::unique_ptr<caf::actor_system>>& abandoned_systems() {
  static auto* systems = new std::vector<std::unique_ptr<caf::actor_system>>();
  return *systems;
}
}  // namespace

void LocalCluster::shutdown() {
  if (!impl_->sys) return;
  if (!impl_->processes.empty()) {
    // The scheduler tells its workers to close; then the processes are reaped.
    caf::scoped_actor self{*impl_->sys};
    self->request(impl_->scheduler, std::chrono::seconds(5), actors::close_atom_v)
        .receive([](bool) {}, [](caf::error&) {});
    for (auto& p : impl_->processes)
      if (!p.wait_for(std::chrono::seconds(5))) p.stop();
    impl_->processes.clear();
    impl_->sys->middleman().unpublish(impl_->scheduler, impl_->port);
  }
  // The scheduler first: workers ending before it would be reported as lost.
  caf::anon_send_exit(impl_->scheduler, caf::exit_reason::user_shutdown);
  for (auto& w : impl_->workers) caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  impl_->workers.clear();
  impl_->scheduler = nullptr;
}

void LocalCluster::stop_at_exit() {
  if (!impl_->sys) return;
  shutdown();
  impl_->sys->await_all_actors_done();
  abandoned_systems().push_back(std::move(impl_->sys));
}

LocalCluster::~LocalCluster() {
  if (!impl_->sys) return;
  shutdown();
  impl_->sys.reset();  // waits for every actor to finish
}

caf::actor_system& LocalCluster::system() { return *impl_->sys; }
const caf::actor& LocalCluster::scheduler() const { return impl_->scheduler; }
const std::vector<caf::actor>& LocalCluster::workers() const { return impl_->workers; }

std::vector<int> LocalCluster::worker_pids() const {
  std::vector<int> out;
  for (const auto& p : impl_->processes) out.push_back(p.pid());
  return out;
}

std::string LocalCluster::address() const {
  if (options_.processes) return net::Address{"127.0.0.1", impl_->port}.str();
  return "inproc://tessera-" + std::to_string(impl_->number);
}

std::vector<std::size_t> LocalCluster::stored_per_worker() {
  caf::scoped_actor self{*impl_->sys};
  std::vector<std::size_t> out;
  if (options_.processes) {
    self->request(impl_->scheduler, std::chrono::seconds(10), actors::info_atom_v)
        .receive(
            [&](actors::SchedulerInfo& info) {
              for (const auto& w : info.workers) out.push_back(w.keys_in_memory);
            },
            [](caf::error&) {});
    return out;
  }
  for (auto& w : impl_->workers) {
    std::size_t n = 0;
    self->request(w, std::chrono::seconds(10), actors::info_atom_v)
        .receive([&](std::uint64_t count, std::uint64_t) { n = count; }, [](caf::error&) {});
    out.push_back(n);
  }
  return out;
}

}  // namespace tessera
