#include "actors/scheduler/scheduler_actor.hpp"

#include <caf/all.hpp>

#include "actors/scheduler/scheduler_state.hpp"
#include "actors/util/default_handlers.hpp"

namespace tessera::actors {
namespace {

struct SchedulerActorState {
  SchedulerState state;
  Outbox out;
  static inline const char* name = "tessera.scheduler";
};

using SchedulerActor = caf::stateful_actor<SchedulerActorState>;

void flush(SchedulerActor* self) {
  auto& st = self->state;
  auto& out = st.out;
  // Stores and frees go before computes, so a worker has its data before a
  // task that needs it arrives.
  for (auto& [w, items] : out.store) self->send(st.state.worker_handle(w), store_atom_v, std::move(items));
  for (auto& [w, ids] : out.free) self->send(st.state.worker_handle(w), free_atom_v, std::move(ids));
  for (auto& [w, batch] : out.compute)
    self->send(st.state.worker_handle(w), compute_atom_v, std::move(batch));
  for (auto& [c, batch] : out.reports)
    self->send(st.state.client_handle(c), report_atom_v, std::move(batch));
  out = Outbox{};
}

caf::behavior scheduler_behavior(SchedulerActor* self) {
  install_default_handlers(self, "scheduler");
  return {
      [self](register_atom, caf::actor worker, std::string& name, std::uint32_t nthreads) {
        auto id = self->state.state.add_worker(std::move(worker), std::move(name), nthreads, self->state.out);
        flush(self);
        return id;
      },
      [self](client_atom, caf::actor client) { return self->state.state.add_client(std::move(client)); },
      [self](bye_atom, ClientId client) {
        self->state.state.remove_client(client, self->state.out);
        flush(self);
      },
      [self](submit_atom, ClientId client, GraphSubmissionPtr& submission) {
        self->state.state.submit(client, submission, self->state.out);
        flush(self);
      },
      [self](done_atom, WorkerId worker, OutcomeBatch& outcomes) {
        self->state.state.tasks_finished(worker, outcomes, self->state.out);
        flush(self);
      },
      [self](fetched_atom, WorkerId worker, std::vector<TaskId>& ids) {
        self->state.state.data_acquired(worker, ids, self->state.out);
        flush(self);
      },
      [self](release_atom, ClientId client, std::vector<Key>& keys) {
        self->state.state.release(client, keys, self->state.out);
        flush(self);
      },
      [self](cancel_atom, ClientId client, std::vector<Key>& keys) {
        self->state.state.cancel(client, keys, self->state.out);
        flush(self);
      },
      [self](scatter_atom, ClientId client, ScatterBatch& items, bool broadcast) {
        self->state.state.scatter(client, std::move(items), broadcast, self->state.out);
        flush(self);
        return true;
      },
      [self](info_atom) { return self->state.state.info(); },
  };
}

}  // namespace

caf::actor spawn_scheduler(caf::actor_system& sys) { return sys.spawn(scheduler_behavior); }

}  // namespace tessera::actors
