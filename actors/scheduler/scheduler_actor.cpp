#include "actors/scheduler/scheduler_actor.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <iostream>

#include "actors/fault/delivery_audit.hpp"
#include "actors/fault/fault_channel.hpp"
#include "actors/protocol/protocol_error.hpp"
#include "actors/scheduler/dashboard_activity.hpp"
#include "actors/scheduler/scheduler_state.hpp"
#include "net/auth_token.hpp"
#include "actors/util/default_handlers.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {
namespace {

struct SchedulerActorState {
  SchedulerState state;
  Outbox out;
  SchedulerActorOptions options;
  // Who may speak for which id: every message naming a worker or client id
  // must come from that worker's or client's actor.
  absl::flat_hash_map<caf::actor_addr, WorkerId> worker_of;
  absl::flat_hash_map<caf::actor_addr, ClientId> client_of;
  fault::FaultChannel link;        // messages to workers (the fault injector's place)
  fault::DeliveryAudit delivered;  // detects messages lost on a worker's link
  std::unique_ptr<DashboardActivity> activity;  // when a dashboard is served
  std::string dashboard_url;                     // told by the dashboard once it listens
  static inline const char* name = "tessera.scheduler";
};

using SchedulerActor = caf::stateful_actor<SchedulerActorState>;

void flush(SchedulerActor* self) {
  auto& st = self->state;
  auto& out = st.out;
  auto worker = [&](WorkerId w) -> const caf::actor& { return st.state.worker_handle(w); };
  // Stores and frees go before computes, so a worker has its data before a
  // task that needs it arrives.
  for (auto& [w, items] : out.store) st.link.send(self, worker(w), store_atom_v, std::move(items));
  for (auto& [w, items] : out.adopt) st.link.send(self, worker(w), adopt_atom_v, std::move(items));
  for (auto& [w, ids] : out.free) st.link.send(self, worker(w), free_atom_v, std::move(ids));
  for (auto& [w, batch] : out.compute) st.link.send(self, worker(w), compute_atom_v, std::move(batch));
  for (auto& [w, batch] : out.refresh) st.link.send(self, worker(w), refresh_atom_v, std::move(batch));
  for (auto& [w, ids] : out.steal) st.link.send(self, worker(w), steal_atom_v, std::move(ids));
  for (auto& [w, locations] : out.acquire) st.link.send(self, worker(w), acquire_atom_v, std::move(locations));
  for (auto& [c, batch] : out.reports) self->send(st.state.client_handle(c), report_atom_v, std::move(batch));
  for (auto w : out.close) {
    // Retired: it leaves the cluster; its going down is expected.
    auto h = worker(w);
    self->demonitor(h);
    st.worker_of.erase(h.address());
    st.link.send(self, h, close_atom_v);
  }
  for (auto w : out.clear) st.link.send(self, worker(w), clear_atom_v);
  out = Outbox{};
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

/// `count_deaths` false: the worker's link was reset, it did not die.
void lose_worker(SchedulerActor* self, WorkerId id, const std::string& why, bool count_deaths = true) {
  auto& st = self->state;
  std::cerr << "tessera scheduler: lost worker " << id << " (" << why << ")" << std::endl;
  const auto& h = st.state.worker_handle(id);
  if (h) {
    self->demonitor(h);
    st.worker_of.erase(h.address());
  }
  st.delivered.forget(id);
  st.state.remove_worker(id, st.out, count_deaths);
  flush(self);
}

/// Every tick: workers whose heartbeats stopped (a hung or cut-off process)
/// are lost; queued work is balanced by stealing.
void tick(SchedulerActor* self) {
  auto& st = self->state;
  auto timeout = std::chrono::duration<double>(st.options.worker_timeout).count();
  for (auto id : st.state.expired_workers(now_seconds(), timeout))
    lose_worker(self, id, "no heartbeat for " + std::to_string(timeout) + " s");
  st.state.balance(st.out);
  flush(self);
  self->delayed_send(self, st.options.tick, tick_atom_v);
}

std::string peer_name(SchedulerActor* self) {
  auto node = self->current_sender() ? self->current_sender()->node() : caf::node_id{};
  return node ? to_string(node) : std::string("this process");
}

/// Checks the cluster secret of a joining worker or client; logs a refusal.
caf::error authenticate(SchedulerActor* self, const std::string& token, const char* who) {
  if (net::tokens_equal(token, self->state.options.auth_token)) return caf::none;
  std::cerr << "tessera scheduler: refused a " << who << " from " << peer_name(self)
            << ": wrong or missing cluster secret (--auth-token)" << std::endl;
  return make_protocol_error(ProtocolError::refused,
                             std::string("authentication failed: the scheduler refused this ") + who +
                                 " (wrong or missing cluster secret; set --auth-token or TESSERA_AUTH_TOKEN)");
}

caf::actor_addr sender_address(SchedulerActor* self) {
  return caf::actor_cast<caf::actor_addr>(self->current_sender());
}

/// True when the current message comes from the actor registered under `id`.
template <class Map, class Id>
bool from_registered(SchedulerActor* self, const Map& registry, Id id, const char* who) {
  auto it = registry.find(sender_address(self));
  if (it != registry.end() && it->second == id) return true;
  std::cerr << "tessera scheduler: dropped a message claiming to come from " << who << " " << id
            << " sent by " << peer_name(self) << std::endl;
  return false;
}

void on_down(SchedulerActor* self, const caf::down_msg& msg) {
  auto& st = self->state;
  if (auto it = st.worker_of.find(msg.source); it != st.worker_of.end()) {
    lose_worker(self, it->second, "its process or connection ended: " + self->system().render(msg.reason));
    return;
  }
  if (auto it = st.client_of.find(msg.source); it != st.client_of.end()) {
    auto id = it->second;
    st.client_of.erase(it);
    st.state.remove_client(id, st.out);
    flush(self);
  }
}

/// Runs a state call that may throw (bad names, unknown keys) as a request:
/// the caller gets the error, the scheduler lives on.
template <class F>
caf::result<bool> guarded(SchedulerActor* self, F&& f) {
  try {
    f();
    flush(self);
    return true;
  } catch (const std::exception& e) {
    flush(self);
    return caf::make_error(caf::sec::runtime_error, e.what());
  }
}

DashboardSnapshotPtr dashboard_snapshot(SchedulerActor* self, const DashboardQuery& query) {
  auto s = std::make_shared<DashboardSnapshot>();
  s->time = now_seconds();
  self->state.state.fill_dashboard(*s, query);
  if (self->state.activity) self->state.activity->fill(*s, query.stream_since);
  return s;
}

caf::behavior scheduler_behavior(SchedulerActor* self, SchedulerActorOptions options) {
  install_default_handlers(self, "scheduler");
  self->state.state = SchedulerState(options.state);
  self->state.link = fault::FaultChannel(options.faults, fault::Role::scheduler);
  self->state.options = std::move(options);
  if (self->state.options.dashboard) self->state.activity = std::make_unique<DashboardActivity>();
  self->set_down_handler([self](caf::down_msg& msg) { on_down(self, msg); });
  self->delayed_send(self, self->state.options.tick, tick_atom_v);
  return {
      [self](tick_atom) { tick(self); },
      [self](heartbeat_atom, WorkerId worker, const WorkerMetrics& beat) {
        if (!from_registered(self, self->state.worker_of, worker, "worker")) {
          // Declared lost (cut off, hung) but alive: it must register afresh.
          self->send(caf::actor_cast<caf::actor>(self->current_sender()), lost_atom_v);
          return;
        }
        if (auto lost = self->state.delivered.lost(worker, beat.sent)) {
          auto h = self->state.state.worker_handle(worker);
          lose_worker(self, worker, std::to_string(lost) + " of its messages were lost; its link is reset", false);
          self->send(h, lost_atom_v);
          return;
        }
        // Transfers and spills go to the dashboard; the worker's record keeps the figures only.
        if (self->state.activity) self->state.activity->worker_activity(worker, beat.activity);
        WorkerMetrics metrics = beat;
        metrics.activity.clear();
        self->state.state.heartbeat(worker, metrics, now_seconds(), self->state.out);
        if (!self->state.out.empty()) flush(self);
      },
      [self](steal_atom, WorkerId worker, const std::vector<TaskId>& released) {
        if (!from_registered(self, self->state.worker_of, worker, "worker")) return;
        self->state.delivered.received(worker);
        self->state.state.steal_confirmed(worker, released, self->state.out);
        flush(self);
      },
      [self](retire_atom, ClientId client, const std::vector<std::string>& names) -> caf::result<bool> {
        if (!from_registered(self, self->state.client_of, client, "client"))
          return caf::make_error(caf::sec::invalid_argument, "retire from an unregistered client");
        return guarded(self, [&] {
          std::vector<WorkerId> ids;
          auto info = self->state.state.info();
          for (const auto& n : names) {
            auto w = std::find_if(info.workers.begin(), info.workers.end(), [&](auto& x) { return x.name == n; });
            if (w == info.workers.end()) throw KeyError("no worker named '" + n + "'");
            ids.push_back(w->id);
          }
          self->state.state.retire_workers(ids, self->state.out);
        });
      },
      [self](restart_atom, ClientId client) -> caf::result<bool> {
        if (!from_registered(self, self->state.client_of, client, "client"))
          return caf::make_error(caf::sec::invalid_argument, "restart from an unregistered client");
        return guarded(self, [&] { self->state.state.restart(self->state.out); });
      },
      [self](publish_atom, ClientId client, const std::string& name, const std::vector<Key>& keys,
             bool override) -> caf::result<bool> {
        if (!from_registered(self, self->state.client_of, client, "client"))
          return caf::make_error(caf::sec::invalid_argument, "publish from an unregistered client");
        return guarded(self, [&] { self->state.state.publish_dataset(name, keys, self->state.out, override); });
      },
      [self](unpublish_atom, ClientId client, const std::string& name) -> caf::result<bool> {
        if (!from_registered(self, self->state.client_of, client, "client"))
          return caf::make_error(caf::sec::invalid_argument, "unpublish from an unregistered client");
        return guarded(self, [&] { self->state.state.unpublish_dataset(name, self->state.out); });
      },
      [self](dataset_atom, const std::string& name) -> caf::result<std::vector<Key>> {
        try {
          return self->state.state.get_dataset(name);
        } catch (const std::exception& e) {
          return caf::make_error(caf::sec::runtime_error, e.what());
        }
      },
      [self](dataset_atom) { return self->state.state.list_datasets(); },
      [self](want_atom, ClientId client, const std::vector<Key>& keys) -> caf::result<bool> {
        if (!from_registered(self, self->state.client_of, client, "client"))
          return caf::make_error(caf::sec::invalid_argument, "want from an unregistered client");
        return guarded(self, [&] { self->state.state.want_keys(client, keys, self->state.out); });
      },
      [self](register_atom, caf::actor worker, std::string& name, std::uint32_t nthreads,
             const std::string& token) -> caf::result<WorkerId> {
        if (auto err = authenticate(self, token, "worker")) return err;
        if (!worker) return caf::make_error(caf::sec::invalid_argument, "register: no worker handle");
        auto addr = worker.address();
        self->monitor(worker);
        auto id = self->state.state.add_worker(std::move(worker), std::move(name), nthreads, self->state.out,
                                               now_seconds());
        self->state.worker_of[addr] = id;
        flush(self);
        return id;
      },
      [self](client_atom, caf::actor client, const std::string& token) -> caf::result<ClientId> {
        if (auto err = authenticate(self, token, "client")) return err;
        if (!client) return caf::make_error(caf::sec::invalid_argument, "connect: no client handle");
        self->monitor(client);
        auto addr = client.address();
        auto id = self->state.state.add_client(std::move(client));
        self->state.client_of[addr] = id;
        return id;
      },
      [self](bye_atom, ClientId client) {
        if (!from_registered(self, self->state.client_of, client, "client")) return;
        self->demonitor(sender_address(self));
        self->state.client_of.erase(sender_address(self));
        self->state.state.remove_client(client, self->state.out);
        flush(self);
      },
      [self](submit_atom, ClientId client, GraphSubmissionPtr& submission) {
        if (!submission || !from_registered(self, self->state.client_of, client, "client")) return;
        self->state.state.submit(client, submission, self->state.out);
        flush(self);
      },
      [self](done_atom, WorkerId worker, OutcomeBatch& outcomes) {
        if (!from_registered(self, self->state.worker_of, worker, "worker")) return;
        self->state.delivered.received(worker);
        if (self->state.activity) self->state.activity->tasks_finished(self->state.state, worker, outcomes);
        self->state.state.tasks_finished(worker, outcomes, self->state.out);
        flush(self);
      },
      [self](fetched_atom, WorkerId worker, std::vector<TaskId>& ids) {
        if (!from_registered(self, self->state.worker_of, worker, "worker")) return;
        self->state.delivered.received(worker);
        if (self->state.activity) self->state.activity->data_fetched(self->state.state, ids);
        self->state.state.data_acquired(worker, ids, self->state.out);
        flush(self);
      },
      [self](release_atom, ClientId client, std::vector<Key>& keys) {
        if (!from_registered(self, self->state.client_of, client, "client")) return;
        self->state.state.release(client, keys, self->state.out);
        flush(self);
      },
      [self](cancel_atom, ClientId client, std::vector<Key>& keys) {
        if (!from_registered(self, self->state.client_of, client, "client")) return;
        self->state.state.cancel(client, keys, self->state.out);
        flush(self);
      },
      [self](scatter_atom, ClientId client, ScatterBatch& items, bool broadcast) -> caf::result<bool> {
        if (!from_registered(self, self->state.client_of, client, "client"))
          return caf::make_error(caf::sec::invalid_argument, "scatter from an unregistered client");
        self->state.state.scatter(client, std::move(items), broadcast, self->state.out);
        flush(self);
        return true;
      },
      [self](place_atom, ClientId client, const ScatterPlacement& wanted,
             bool broadcast) -> caf::result<ScatterPlacement> {
        if (!from_registered(self, self->state.client_of, client, "client"))
          return caf::make_error(caf::sec::invalid_argument, "scatter from an unregistered client");
        return self->state.state.place_scatter(wanted, broadcast);
      },
      [self](adopt_atom, ClientId client, const ScatterPlacement& placed) -> caf::result<bool> {
        if (!from_registered(self, self->state.client_of, client, "client"))
          return caf::make_error(caf::sec::invalid_argument, "scatter from an unregistered client");
        self->state.state.adopt_scattered(client, placed, self->state.out);
        flush(self);
        return true;
      },
      [self](info_atom) { return self->state.state.info(); },
      // The dashboard of this process says where it listens; workers ask (with the secret).
      [self](dashboard_atom, publish_atom, const std::string& url) {
        if (self->current_sender() && self->current_sender()->node() == self->node())
          self->state.dashboard_url = url;
      },
      [self](dashboard_atom, const std::string& token) -> caf::result<std::string> {
        if (auto err = authenticate(self, token, "dashboard request")) return err;
        return self->state.dashboard_url;
      },
      [self](dashboard_atom, const DashboardQuery& query) -> caf::result<DashboardSnapshotPtr> {
        try {
          return dashboard_snapshot(self, query);
        } catch (const std::exception& e) {
          return caf::make_error(caf::sec::runtime_error, e.what());
        }
      },
      [self](close_atom) {
        // Shutdown: workers are told to close (they exit instead of reconnecting);
        // their going away is then expected, not a loss to log or recover from.
        for (const auto& [addr, id] : self->state.worker_of) {
          const auto& h = self->state.state.worker_handle(id);
          self->demonitor(h);
          self->send(h, close_atom_v);
        }
        return true;
      },
  };
}

}  // namespace

caf::actor spawn_scheduler(caf::actor_system& sys, SchedulerActorOptions options) {
  return sys.spawn(scheduler_behavior, std::move(options));
}

}  // namespace tessera::actors
