#include "actors/worker/worker_actor.hpp"

#include <caf/all.hpp>

#include <chrono>

#include "actors/util/default_handlers.hpp"
#include "actors/worker/task_actor.hpp"
#include "actors/worker/worker_state.hpp"

namespace tessera::actors {
namespace {

constexpr std::size_t max_batch = 64;
constexpr auto fetch_timeout = std::chrono::seconds(60);

struct WorkerActorState {
  WorkerState state;
  caf::actor scheduler;
  WorkerId id = 0;
  bool registered = false;
  std::vector<caf::actor> task_actors;
  std::vector<char> busy;
  std::size_t idle = 0;
  OutcomeBatch to_report;  // finished before registration completed
  static inline const char* name = "tessera.worker";
};

using WorkerActor = caf::stateful_actor<WorkerActorState>;

void report(WorkerActor* self, OutcomeBatch outcomes) {
  auto& st = self->state;
  if (!st.registered) {
    for (auto& o : outcomes) st.to_report.push_back(std::move(o));
    return;
  }
  self->send(st.scheduler, done_atom_v, st.id, std::move(outcomes));
}

void dispatch(WorkerActor* self) {
  auto& st = self->state;
  while (st.idle > 0 && st.state.has_ready()) {
    std::size_t share = (st.state.num_ready() + st.idle - 1) / st.idle;
    auto batch = st.state.take_ready(std::min(max_batch, std::max<std::size_t>(1, share)));
    for (std::uint32_t i = 0; i < st.task_actors.size(); ++i) {
      if (st.busy[i]) continue;
      st.busy[i] = 1;
      --st.idle;
      self->send(st.task_actors[i], run_atom_v, std::move(batch));
      break;
    }
  }
}

void fail_tasks(WorkerActor* self, const std::vector<std::pair<TaskId, Key>>& failed,
                const std::string& why) {
  if (failed.empty()) return;
  OutcomeBatch out;
  for (const auto& [id, key] : failed) {
    TaskOutcome o;
    o.id = id;
    o.ok = false;
    o.error_function = "fetch";
    o.error_message = "could not get input " + key.str() + ": " + why;
    out.push_back(std::move(o));
  }
  report(self, std::move(out));
}

void fetch(WorkerActor* self, WorkerState::FetchPlan plan) {
  for (auto& [from, ids] : plan) {
    if (!from) {
      fail_tasks(self, self->state.state.inputs_failed(ids), "no worker holds it");
      continue;
    }
    self->request(from, fetch_timeout, get_data_atom_v, ids)
        .then(
            [self, ids](DataReply& reply) {
              auto& st = self->state;
              std::vector<TaskId> got;
              for (std::size_t i = 0; i < ids.size(); ++i)
                if (i < reply.found.size() && reply.found[i]) got.push_back(ids[i]);
              auto failed = st.state.inputs_arrived(ids, std::move(reply));
              if (!got.empty()) self->send(st.scheduler, fetched_atom_v, st.id, std::move(got));
              fail_tasks(self, failed, "its holder no longer has it");
              dispatch(self);
            },
            [self, ids](caf::error& e) {
              fail_tasks(self, self->state.state.inputs_failed(ids), self->system().render(e));
            });
  }
}

caf::behavior worker_behavior(WorkerActor* self, caf::actor scheduler, WorkerOptions options) {
  install_default_handlers(self, "worker");
  auto& st = self->state;
  st.scheduler = scheduler;
  for (std::uint32_t i = 0; i < options.nthreads; ++i)
    st.task_actors.push_back(spawn_task_actor(self->system(), caf::actor_cast<caf::actor>(self), i));
  st.busy.assign(options.nthreads, 0);
  st.idle = options.nthreads;
  self->set_exit_handler([self](caf::exit_msg& msg) {
    for (auto& t : self->state.task_actors) self->send_exit(t, msg.reason);
    self->quit(msg.reason);
  });
  self->request(scheduler, caf::infinite, register_atom_v, caf::actor_cast<caf::actor>(self),
                options.name, options.nthreads)
      .then([self](WorkerId id) {
        auto& st = self->state;
        st.id = id;
        st.registered = true;
        if (!st.to_report.empty()) report(self, std::move(st.to_report));
        st.to_report.clear();
      });
  return {
      [self](compute_atom, ComputeBatch& batch) {
        auto plan = self->state.state.add_tasks(std::move(batch));
        if (!plan.empty()) fetch(self, std::move(plan));
        dispatch(self);
      },
      [self](done_atom, std::uint32_t index, OutcomeBatch& outcomes) {
        auto& st = self->state;
        st.busy[index] = 0;
        ++st.idle;
        for (auto& o : outcomes)
          if (o.ok) st.state.store(o.id, std::move(o.value));
        dispatch(self);
        report(self, std::move(outcomes));
      },
      [self](free_atom, const std::vector<TaskId>& ids) { self->state.state.free(ids); },
      [self](store_atom, StoreItems& items) {
        for (auto& [id, v] : items) self->state.state.store(id, std::move(v));
      },
      [self](get_data_atom, const std::vector<TaskId>& ids) { return self->state.state.get_data(ids); },
      [self](info_atom) {
        return std::make_tuple(static_cast<std::uint64_t>(self->state.state.num_stored()),
                              static_cast<std::uint64_t>(self->state.state.bytes_stored()));
      },
  };
}

}  // namespace

caf::actor spawn_worker(caf::actor_system& sys, caf::actor scheduler, WorkerOptions options) {
  return sys.spawn(worker_behavior, std::move(scheduler), std::move(options));
}

}  // namespace tessera::actors
