#include "actors/cluster/local_cluster.hpp"

#include <caf/all.hpp>

#include <atomic>
#include <thread>

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
  int number = 0;
};

namespace {
std::atomic<int> cluster_counter{0};
}

LocalCluster::LocalCluster(LocalClusterOptions options) : options_(options), impl_(std::make_unique<Impl>()) {
  if (options_.n_workers < 0 || options_.threads_per_worker < 0)
    throw ValueError("LocalCluster: n_workers and threads_per_worker must not be negative");
  if (options_.n_workers == 0) options_.n_workers = 1;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (options_.threads_per_worker == 0)
    options_.threads_per_worker = std::max(1, cores / options_.n_workers);
  int task_threads = options_.n_workers * options_.threads_per_worker;
  // One CAF thread per task thread, plus one for the scheduler, workers and
  // clients, so bookkeeping never waits behind running tasks.
  impl_->cfg.set("scheduler.max-threads", task_threads + 1);
  impl_->cfg.set("logger.console", caf::atom("none"));
  impl_->sys = std::make_unique<caf::actor_system>(impl_->cfg);
  impl_->number = cluster_counter++;
  impl_->scheduler = actors::spawn_scheduler(*impl_->sys);
  for (int i = 0; i < options_.n_workers; ++i) {
    actors::WorkerOptions wo;
    wo.name = "worker-" + std::to_string(i);
    wo.nthreads = static_cast<std::uint32_t>(options_.threads_per_worker);
    impl_->workers.push_back(actors::spawn_worker(*impl_->sys, impl_->scheduler, wo));
  }
  // Wait until every worker has registered, so work is spread from the start.
  caf::scoped_actor self{*impl_->sys};
  for (int tries = 0; tries < 2000; ++tries) {
    std::size_t n = 0;
    self->request(impl_->scheduler, std::chrono::seconds(10), actors::info_atom_v)
        .receive([&](actors::SchedulerInfo& info) { n = info.workers.size(); }, [](caf::error&) {});
    if (n == impl_->workers.size()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  throw Error("LocalCluster: workers did not register with the scheduler");
}

namespace {
std::vector<std::unique_ptr<caf::actor_system>>& abandoned_systems() {
  static auto* systems = new std::vector<std::unique_ptr<caf::actor_system>>();
  return *systems;
}
}  // namespace

void LocalCluster::stop_at_exit() {
  if (!impl_->sys) return;
  for (auto& w : impl_->workers) caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(impl_->scheduler, caf::exit_reason::user_shutdown);
  impl_->workers.clear();
  impl_->scheduler = nullptr;
  impl_->sys->await_all_actors_done();
  abandoned_systems().push_back(std::move(impl_->sys));
}

LocalCluster::~LocalCluster() {
  if (!impl_->sys) return;
  for (auto& w : impl_->workers) caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(impl_->scheduler, caf::exit_reason::user_shutdown);
  impl_->workers.clear();
  impl_->scheduler = nullptr;
  impl_->sys.reset();  // waits for every actor to finish
}

caf::actor_system& LocalCluster::system() { return *impl_->sys; }
const caf::actor& LocalCluster::scheduler() const { return impl_->scheduler; }
const std::vector<caf::actor>& LocalCluster::workers() const { return impl_->workers; }
std::string LocalCluster::address() const { return "inproc://tessera-" + std::to_string(impl_->number); }

std::vector<std::size_t> LocalCluster::stored_per_worker() {
  caf::scoped_actor self{*impl_->sys};
  std::vector<std::size_t> out;
  for (auto& w : impl_->workers) {
    std::size_t n = 0;
    self->request(w, std::chrono::seconds(10), actors::info_atom_v)
        .receive([&](std::uint64_t count, std::uint64_t) { n = count; }, [](caf::error&) {});
    out.push_back(n);
  }
  return out;
}

}  // namespace tessera
