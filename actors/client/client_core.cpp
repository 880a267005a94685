#include "actors/client/client_core.hpp"

#include <caf/all.hpp>

#include "actors/protocol/protocol_error.hpp"
#include "actors/util/default_handlers.hpp"
#include "runtime/serial/serialize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {
namespace {

constexpr auto control_timeout = std::chrono::seconds(60);

struct ClientActorState {
  ClientId id = 0;
  static inline const char* name = "tessera.client";
};
using ClientActor = caf::stateful_actor<ClientActorState>;

/// The client actor: registers with the scheduler first (await holds every
/// other message back until then), forwards the user's requests in order,
/// and hands the scheduler's reports to the ClientCore.
caf::behavior client_actor(ClientActor* self, std::weak_ptr<ClientCore> core, caf::actor scheduler,
                           std::string token, std::chrono::milliseconds timeout) {
  install_default_handlers(self, "client");
  self->monitor(scheduler);
  self->set_down_handler([=](caf::down_msg& msg) {
    if (msg.source != scheduler.address()) return;
    if (auto c = core.lock()) c->on_disconnected("lost the connection to the scheduler");
    self->quit();
  });
  self->request(scheduler, timeout, client_atom_v, caf::actor_cast<caf::actor>(self), token)
      .await(
          [=](ClientId id) {
            self->state.id = id;
            if (auto c = core.lock()) c->on_connected(id);
          },
          [=](caf::error& e) {
            if (auto c = core.lock())
              c->on_disconnected(is_protocol_error(e, ProtocolError::refused)
                                     ? protocol_error_message(e)
                                     : "the scheduler did not accept this client: " + self->system().render(e));
            self->quit();
          });
  return {
      [=](report_atom, KeyReportBatch& batch) {
        if (auto c = core.lock()) c->on_reports(batch);
      },
      [=](flush_atom) {
        if (auto c = core.lock()) {
          auto keys = c->take_releases();
          if (!keys.empty()) self->send(scheduler, release_atom_v, self->state.id, std::move(keys));
        }
      },
      [=](submit_atom, GraphSubmissionPtr& s) {
        self->send(scheduler, submit_atom_v, self->state.id, std::move(s));
      },
      [=](cancel_atom, std::vector<Key>& keys) {
        self->send(scheduler, cancel_atom_v, self->state.id, std::move(keys));
      },
      [=](scatter_atom, ScatterBatch& items, bool broadcast) {
        // Asked by the scheduler as this actor (it checks who speaks for a client id).
        auto rp = self->make_response_promise<bool>();
        self->request(scheduler, control_timeout, scatter_atom_v, self->state.id, std::move(items), broadcast)
            .then([rp](bool ok) mutable { rp.deliver(ok); },
                  [rp](caf::error& e) mutable { rp.deliver(std::move(e)); });
        return rp;
      },
      [=](bye_atom) {
        self->send(scheduler, bye_atom_v, self->state.id);
        self->quit();
      },
  };
}

}  // namespace

std::string_view future_status_name(FutureStatus s) noexcept {
  switch (s) {
    case FutureStatus::pending: return "pending";
    case FutureStatus::finished: return "finished";
    case FutureStatus::error: return "error";
    case FutureStatus::cancelled: return "cancelled";
    case FutureStatus::lost: return "lost";
  }
  return "?";
}

ClientCore::ClientCore(caf::actor_system& sys, caf::actor scheduler, ClientConnectOptions options)
    : sys_(sys), scheduler_(std::move(scheduler)), options_(std::move(options)) {}

std::shared_ptr<ClientCore> ClientCore::connect(caf::actor_system& sys, caf::actor scheduler,
                                                ClientConnectOptions options) {
  auto timeout = options.timeout;
  auto token = options.auth_token;
  auto core = std::make_shared<ClientCore>(sys, scheduler, std::move(options));
  core->actor_ = sys.spawn(client_actor, std::weak_ptr<ClientCore>(core), scheduler, token, timeout);
  std::unique_lock lock(core->mutex_);
  core->changed_.wait(lock, [&] { return core->connected_ || !core->disconnected_.empty(); });
  if (!core->connected_) {
    auto why = core->disconnected_;
    core->actor_ = nullptr;  // it has quit: no goodbye to send
    throw Error("cannot connect to " + core->options_.scheduler_address + ": " + why);
  }
  return core;
}

void ClientCore::on_connected(ClientId) {
  {
    std::lock_guard lock(mutex_);
    connected_ = true;
  }
  changed_.notify_all();
}

void ClientCore::on_disconnected(const std::string& message) {
  {
    std::lock_guard lock(mutex_);
    disconnected_ = message.empty() ? std::string("disconnected") : message;
    auto error = std::make_exception_ptr(
        Error(options_.scheduler_address + ": " + disconnected_));
    for (auto& [key, e] : keys_) {
      if (e.status != FutureStatus::pending) continue;
      e.status = FutureStatus::lost;
      e.error = error;
      e.done_seq = ++done_counter_;
    }
  }
  changed_.notify_all();
}

void ClientCore::check_connected_locked() const {
  if (!disconnected_.empty()) throw Error(options_.scheduler_address + ": " + disconnected_);
}

ClientCore::~ClientCore() {
  // Every key this client still references is released by the scheduler
  // when the client says goodbye.
  if (actor_) caf::anon_send(actor_, bye_atom_v);
}

void ClientCore::acquire(const std::vector<Key>& keys) {
  std::lock_guard lock(mutex_);
  for (const auto& k : keys) ++keys_[k].refs;
}

void ClientCore::release(const Key& key) {
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    auto it = keys_.find(key);
    if (it == keys_.end() || --it->second.refs > 0) return;
    keys_.erase(it);
    first = releases_.empty();
    releases_.push_back(key);
  }
  if (first) caf::anon_send(actor_, flush_atom_v);
}

std::vector<Key> ClientCore::take_releases() {
  std::lock_guard lock(mutex_);
  return std::exchange(releases_, {});
}

void ClientCore::submit(OptimizedGraph graph, std::vector<Key> wanted) {
  auto s = std::make_shared<GraphSubmission>();
  if (options_.remote) {
    // Serialised here, so that a function that cannot travel (a lambda)
    // fails this call, naming it, instead of a task on a remote worker.
    s->encoded_tasks.reserve(graph.graph.size());
    for (const auto& t : graph.graph.tasks()) s->encoded_tasks.push_back(serialize_task(t));
  }
  s->graph = std::move(graph);
  s->wanted = std::move(wanted);
  {
    std::lock_guard lock(mutex_);
    check_connected_locked();
  }
  caf::anon_send(actor_, submit_atom_v, GraphSubmissionPtr(std::move(s)));
}

void ClientCore::scatter(ScatterBatch items, bool broadcast) {
  caf::scoped_actor self{sys_};
  caf::error failure;
  self->request(actor_, control_timeout, scatter_atom_v, std::move(items), broadcast)
      .receive([](bool) {}, [&](caf::error& e) { failure = e; });
  if (failure) throw Error("scatter failed: " + sys_.render(failure));
}

void ClientCore::cancel(const std::vector<Key>& keys) {
  caf::anon_send(actor_, cancel_atom_v, keys);
}

void ClientCore::on_reports(KeyReportBatch& batch) {
  {
    std::lock_guard lock(mutex_);
    for (auto& r : batch) {
      auto it = keys_.find(r.key);
      if (it == keys_.end()) continue;
      auto& e = it->second;
      e.id = r.id;
      e.done_seq = ++done_counter_;
      switch (r.status) {
        case KeyReport::Status::finished:
          e.status = FutureStatus::finished;
          e.holders = std::move(r.holders);
          break;
        case KeyReport::Status::error:
          e.status = FutureStatus::error;
          if (r.error_type == "KilledWorker")
            e.error = std::make_exception_ptr(KilledWorker(r.error_message));
          else
            e.error = std::make_exception_ptr(TaskError(r.error_key, r.error_function, r.error_message));
          break;
        case KeyReport::Status::cancelled:
          e.status = FutureStatus::cancelled;
          e.error = std::make_exception_ptr(CancelledError(
              "the future of " + r.key.str() + " was cancelled" +
              (r.error_message.empty() ? std::string() : " (" + r.error_message + ")")));
          break;
        case KeyReport::Status::lost:
          e.status = FutureStatus::lost;
          e.error = std::make_exception_ptr(Error("the data of " + r.key.str() + " was lost"));
          break;
      }
    }
  }
  changed_.notify_all();
}

FutureStatus ClientCore::status(const Key& key) const {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(key);
  return it == keys_.end() ? FutureStatus::lost : it->second.status;
}

bool ClientCore::wait(const std::vector<Key>& keys,
                      std::optional<std::chrono::steady_clock::time_point> deadline) const {
  std::unique_lock lock(mutex_);
  std::size_t next = 0;  // keys before `next` are known to be done
  auto all_done = [&] {
    for (; next < keys.size(); ++next) {
      auto it = keys_.find(keys[next]);
      if (it != keys_.end() && it->second.status == FutureStatus::pending) return false;
    }
    return true;
  };
  if (deadline) return changed_.wait_until(lock, *deadline, all_done);
  changed_.wait(lock, all_done);
  return true;
}

std::vector<std::size_t> ClientCore::wait_any(const std::vector<Key>& keys) const {
  std::unique_lock lock(mutex_);
  std::vector<std::size_t> done;
  changed_.wait(lock, [&] {
    done.clear();
    for (std::size_t i = 0; i < keys.size(); ++i) {
      auto it = keys_.find(keys[i]);
      if (it == keys_.end() || it->second.status != FutureStatus::pending) done.push_back(i);
    }
    return !done.empty() || keys.empty();
  });
  auto seq = [&](std::size_t i) {
    auto it = keys_.find(keys[i]);
    return it == keys_.end() ? 0 : it->second.done_seq;
  };
  std::stable_sort(done.begin(), done.end(), [&](auto a, auto b) { return seq(a) < seq(b); });
  return done;
}

std::exception_ptr ClientCore::exception(const Key& key) const {
  std::lock_guard lock(mutex_);
  auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : it->second.error;
}

std::vector<Value> ClientCore::gather(const std::vector<Key>& keys) {
  wait(keys);
  // Group by holder: one request per worker.
  std::vector<std::pair<caf::actor, std::vector<std::size_t>>> plan;
  std::vector<TaskId> ids(keys.size());
  {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      auto it = keys_.find(keys[i]);
      if (it == keys_.end())
        throw KeyError("key " + keys[i].str() + " is not held by this client (its future was released)");
      const auto& e = it->second;
      if (e.error) std::rethrow_exception(e.error);
      if (e.holders.empty()) throw Error("no worker holds " + keys[i].str());
      ids[i] = e.id;
      auto& h = e.holders.front();
      auto p = std::find_if(plan.begin(), plan.end(), [&](auto& x) { return x.first == h; });
      if (p == plan.end()) plan.emplace_back(h, std::vector<std::size_t>{i});
      else p->second.push_back(i);
    }
  }
  std::vector<Value> out(keys.size());
  caf::scoped_actor self{sys_};
  for (auto& [worker, idx] : plan) {
    std::vector<TaskId> want;
    want.reserve(idx.size());
    for (auto i : idx) want.push_back(ids[i]);
    caf::error failure;
    self->request(worker, control_timeout, get_data_atom_v, want)
        .receive(
            [&](DataReply& r) {
              for (std::size_t j = 0; j < idx.size(); ++j) {
                if (!r.found[j]) throw Error("worker no longer holds " + keys[idx[j]].str());
                out[idx[j]] = std::move(r.values[j]);
              }
            },
            [&](caf::error& e) { failure = e; });
    if (failure) throw Error("gather failed: " + sys_.render(failure));
  }
  return out;
}

SchedulerInfo ClientCore::scheduler_info() const {
  caf::scoped_actor self{sys_};
  SchedulerInfo info;
  caf::error failure;
  self->request(scheduler_, control_timeout, info_atom_v)
      .receive([&](SchedulerInfo& i) { info = std::move(i); }, [&](caf::error& e) { failure = e; });
  if (failure) throw Error("scheduler_info failed: " + sys_.render(failure));
  return info;
}

}  // namespace tessera::actors
