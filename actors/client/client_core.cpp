#include "actors/client/client_core.hpp"

#include <caf/all.hpp>

#include <numeric>

#include "actors/protocol/protocol_error.hpp"
#include "net/address.hpp"
#include "net/data_client.hpp"
#include "actors/util/default_handlers.hpp"
#include "runtime/serial/serialize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {
namespace {

constexpr auto control_timeout = std::chrono::seconds(60);
constexpr auto data_plane_timeout = std::chrono::seconds(120);  // a transfer of any size
/// Values from this size on are scattered over the data plane (as workers
/// serve values from this size on: SharedValues' default threshold).
constexpr std::size_t data_plane_threshold = std::size_t{1} << 20;

struct ClientActorState {
  ClientId id = 0;
  static inline const char* name = "tessera.client";
};
using ClientActor = caf::stateful_actor<ClientActorState>;

/// Asks the scheduler as this client actor (the scheduler checks who speaks
/// for a client id); the answer, or the error, goes back to the asker.
template <class R = bool, class... Ts>
caf::typed_response_promise<R> ask_scheduler(ClientActor* self, const caf::actor& scheduler,
                                             std::chrono::milliseconds timeout, Ts&&... xs) {
  auto rp = self->make_response_promise<R>();
  self->request(scheduler, timeout, std::forward<Ts>(xs)...)
      .then([rp](R& answer) mutable { rp.deliver(std::move(answer)); },
            [rp](caf::error& e) mutable { rp.deliver(std::move(e)); });
  return rp;
}

/// The client actor: registers with the scheduler first (await holds every
/// other message back until then), forwards the user's requests in order,
/// and hands the scheduler's reports to the ClientCore.
caf::behavior client_actor(ClientActor* self, std::weak_ptr<ClientCore> core, caf::actor scheduler,
                           std::string token, std::chrono::milliseconds timeout,
                           std::chrono::milliseconds request_timeout) {
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
        return ask_scheduler(self, scheduler, control_timeout, scatter_atom_v, self->state.id, std::move(items),
                             broadcast);
      },
      [=](place_atom, ScatterPlacement& wanted, bool broadcast) {
        return ask_scheduler<ScatterPlacement>(self, scheduler, control_timeout, place_atom_v, self->state.id,
                                               std::move(wanted), broadcast);
      },
      [=](adopt_atom, ScatterPlacement& placed) {
        return ask_scheduler(self, scheduler, control_timeout, adopt_atom_v, self->state.id, std::move(placed));
      },
      [=](retire_atom, std::vector<std::string>& names) {
        return ask_scheduler(self, scheduler, request_timeout, retire_atom_v, self->state.id, std::move(names));
      },
      [=](restart_atom) { return ask_scheduler(self, scheduler, request_timeout, restart_atom_v, self->state.id); },
      [=](publish_atom, std::string& name, std::vector<Key>& keys, bool override) {
        return ask_scheduler(self, scheduler, request_timeout, publish_atom_v, self->state.id, std::move(name),
                             std::move(keys), override);
      },
      [=](unpublish_atom, std::string& name) {
        return ask_scheduler(self, scheduler, request_timeout, unpublish_atom_v, self->state.id, std::move(name));
      },
      [=](want_atom, std::vector<Key>& keys) {
        return ask_scheduler(self, scheduler, request_timeout, want_atom_v, self->state.id, std::move(keys));
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
  auto request_timeout = options.request_timeout;
  auto token = options.auth_token;
  auto core = std::make_shared<ClientCore>(sys, scheduler, std::move(options));
  core->actor_ =
      sys.spawn(client_actor, std::weak_ptr<ClientCore>(core), scheduler, token, timeout, request_timeout);
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
    renew_locked(s->wanted);
  }
  caf::anon_send(actor_, submit_atom_v, GraphSubmissionPtr(std::move(s)));
}

void ClientCore::renew_locked(const std::vector<Key>& keys) {
  for (const auto& k : keys) {
    auto it = keys_.find(k);
    if (it == keys_.end()) continue;
    auto& e = it->second;
    if (e.status != FutureStatus::cancelled && e.status != FutureStatus::lost) continue;
    e.status = FutureStatus::pending;
    e.error = nullptr;
    e.holders.clear();
  }
}

void ClientCore::scatter(ScatterBatch items, bool broadcast) {
  {
    std::lock_guard lock(mutex_);
    check_connected_locked();
    std::vector<Key> keys;
    keys.reserve(items.size());
    for (const auto& item : items) keys.push_back(item.key);
    renew_locked(keys);
  }
  // Large values go to the workers' data servers, not through the scheduler.
  ScatterBatch small, large;
  for (auto& item : items)
    (item.value.nbytes() >= data_plane_threshold ? large : small).push_back(std::move(item));
  if (!large.empty()) scatter_on_data_plane(std::move(large), broadcast);
  if (small.empty()) return;
  caf::scoped_actor self{sys_};
  caf::error failure;
  self->request(actor_, control_timeout, scatter_atom_v, std::move(small), broadcast)
      .receive([](bool) {}, [&](caf::error& e) { failure = e; });
  if (failure) throw Error("scatter failed: " + sys_.render(failure));
}

void ClientCore::scatter_on_data_plane(ScatterBatch items, bool broadcast) {
  caf::scoped_actor self{sys_};
  caf::error failure;
  auto check = [&](const char* what) {
    if (failure) throw Error(std::string("scatter failed: ") + what + ": " + sys_.render(failure));
  };
  auto place = [&](ScatterPlacement wanted) {
    ScatterPlacement answer;
    self->request(actor_, control_timeout, place_atom_v, std::move(wanted), broadcast)
        .receive([&](ScatterPlacement& p) { answer = std::move(p); }, [&](caf::error& e) { failure = e; });
    check("placing the values");
    return answer;
  };
  auto ask = [&](const char* what, auto&&... xs) {
    self->request(actor_, control_timeout, std::forward<decltype(xs)>(xs)...)
        .receive([](bool) {}, [&](caf::error& e) { failure = e; });
    check(what);
  };
  ScatterPlacement wanted;
  for (const auto& item : items) wanted.push_back(PlacedValue{item.key, item.value.nbytes(), {}});
  auto placement = place(std::move(wanted));
  if (placement.size() != items.size()) throw Error("scatter failed: the scheduler placed " +
                                                    std::to_string(placement.size()) + " of " +
                                                    std::to_string(items.size()) + " values");
  // One push per worker with all the values placed on it.
  std::vector<std::pair<caf::actor, std::vector<std::size_t>>> by_worker;
  for (std::size_t i = 0; i < placement.size(); ++i)
    for (const auto& w : placement[i].holders) {
      auto it = std::find_if(by_worker.begin(), by_worker.end(), [&](auto& x) { return x.first == w; });
      if (it == by_worker.end()) by_worker.emplace_back(w, std::vector<std::size_t>{i});
      else it->second.push_back(i);
    }
  ScatterPlacement placed = placement;
  for (auto& p : placed) p.holders.clear();
  std::string last_error;
  std::vector<caf::actor> without_server;  // in-process workers: no data plane
  for (auto& [worker, idx] : by_worker) {
    try {
      if (!push_to(self, worker, items, idx)) {
        without_server.push_back(worker);
        continue;
      }
      for (auto i : idx) placed[i].holders.push_back(worker);
    } catch (const std::exception& e) {
      last_error = e.what();
    }
  }
  ScatterPlacement adopt;
  ScatterBatch through_scheduler;
  for (std::size_t i = 0; i < placed.size(); ++i) {
    const auto& targets = placement[i].holders;
    bool serverless = !targets.empty() && std::all_of(targets.begin(), targets.end(), [&](const caf::actor& w) {
      return std::find(without_server.begin(), without_server.end(), w) != without_server.end();
    });
    if (serverless) through_scheduler.push_back(std::move(items[i]));
    else if (placed[i].holders.empty() && !targets.empty())
      throw Error("scatter of " + items[i].key.str() + " failed: no worker took it (" + last_error + ")");
    else adopt.push_back(std::move(placed[i]));
  }
  if (!adopt.empty()) ask("placing the pushed values", adopt_atom_v, std::move(adopt));
  if (!through_scheduler.empty()) ask("sending the values", scatter_atom_v, std::move(through_scheduler), broadcast);
}

bool ClientCore::push_to(caf::scoped_actor& self, const caf::actor& worker, const ScatterBatch& items,
                         const std::vector<std::size_t>& idx) {
  std::string address;
  caf::error failure;
  self->request(worker, control_timeout, plane_atom_v)
      .receive([&](std::string& a) { address = std::move(a); }, [&](caf::error& e) { failure = e; });
  if (failure) throw Error("the worker did not say where its data server is: " + sys_.render(failure));
  if (address.empty()) return false;
  std::vector<net::PushItem> pushes;
  for (auto i : idx) pushes.push_back(net::PushItem{0, items[i].key.str(), items[i].value});
  data_client()->push(net::parse_address(address), std::move(pushes), data_plane_timeout);
  return true;
}

std::shared_ptr<net::DataClient> ClientCore::data_client() {
  std::lock_guard lock(data_client_mutex_);
  if (!data_client_) {
    net::DataClientOptions o;
    o.auth_token = options_.auth_token;
    o.tls = options_.tls;
    data_client_ = std::make_shared<net::DataClient>(o);
  }
  return data_client_;
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
  std::vector<Value> out(keys.size());
  std::vector<TaskId> ids(keys.size());
  // Holders each key was asked for in vain (gone, or no longer holding it:
  // a retired or lost worker). The next round asks the key's other holders,
  // as reported by the scheduler by then.
  std::vector<std::vector<caf::actor>> tried(keys.size());
  // Keys whose holder died or left: the scheduler reports where they live
  // next (another copy, or recomputed from lineage), which may take a while.
  std::vector<bool> holder_gone(keys.size(), false);
  std::vector<std::size_t> todo(keys.size());
  std::iota(todo.begin(), todo.end(), std::size_t{0});
  std::string last_failure;
  while (!todo.empty()) {
    auto plan = plan_gather(keys, todo, tried, holder_gone, ids, last_failure);
    std::vector<HolderAsk> asks;
    asks.reserve(plan.size());
    for (auto& [worker, idx] : plan) {
      HolderAsk ask{worker, {}};
      for (auto i : idx) ask.ids.push_back(ids[i]);
      asks.push_back(std::move(ask));
    }
    auto answers = ask_holders(keys, plan, std::move(asks));
    std::vector<std::size_t> again;
    for (std::size_t n = 0; n < plan.size(); ++n) {
      auto& [worker, idx] = plan[n];
      auto& answer = answers[n];
      auto retry = [&, &worker = worker](std::size_t i, std::string why, bool gone) {
        last_failure = std::move(why);
        tried[i].push_back(worker);
        holder_gone[i] = gone;
        again.push_back(i);
      };
      if (!answer.ok) {
        for (auto i : idx) retry(i, answer.error, answer.holder_gone);
        continue;
      }
      std::vector<TaskId> want;
      std::vector<Key> want_keys;
      for (auto i : idx) {
        want.push_back(ids[i]);
        want_keys.push_back(keys[i]);
      }
      auto& r = answer.reply;
      auto plane_error = complete_from_data_plane(r, want, want_keys);
      for (std::size_t j = 0; j < idx.size(); ++j) {
        if (j < r.found.size() && r.found[j] && j < r.values.size()) out[idx[j]] = std::move(r.values[j]);
        else
          retry(idx[j], plane_error.empty() ? "worker no longer holds " + keys[idx[j]].str() : plane_error,
                !plane_error.empty());
      }
    }
    todo = std::move(again);
  }
  return out;
}

ClientCore::GatherPlan ClientCore::plan_gather(const std::vector<Key>& keys, const std::vector<std::size_t>& todo,
                                               const std::vector<std::vector<caf::actor>>& tried,
                                               const std::vector<bool>& holder_gone, std::vector<TaskId>& ids,
                                               const std::string& last_failure) {
  GatherPlan plan;  // grouped by holder: one request per worker
  std::unique_lock lock(mutex_);
  for (auto i : todo) {
    const Entry* e = nullptr;
    auto untried = [&] {
      auto it = keys_.find(keys[i]);
      if (it == keys_.end())
        throw KeyError("key " + keys[i].str() + " is not held by this client (its future was released)");
      e = &it->second;
      if (e->error) std::rethrow_exception(e->error);
      for (const auto& h : e->holders)
        if (std::find(tried[i].begin(), tried[i].end(), h) == tried[i].end()) return true;
      return false;
    };
    // A worker that left hands its keys to others, or the scheduler computes
    // them again: their new holders are reported when that is done.
    auto patience = holder_gone[i] ? std::chrono::milliseconds(control_timeout) : std::chrono::milliseconds(2000);
    if (!changed_.wait_for(lock, patience, untried)) {
      if (e->holders.empty()) throw Error("no worker holds " + keys[i].str());
      throw Error("gather failed: no worker that held " + keys[i].str() + " could give it (" + last_failure + ")");
    }
    ids[i] = e->id;
    caf::actor h;
    for (const auto& x : e->holders)
      if (std::find(tried[i].begin(), tried[i].end(), x) == tried[i].end()) {
        h = x;
        break;
      }
    auto p = std::find_if(plan.begin(), plan.end(), [&](auto& x) { return x.first == h; });
    if (p == plan.end()) plan.emplace_back(h, std::vector<std::size_t>{i});
    else p->second.push_back(i);
  }
  return plan;
}

std::vector<HolderAnswer> ClientCore::ask_holders(const std::vector<Key>& keys, const GatherPlan& plan,
                                                  std::vector<HolderAsk> asks) {
  HolderRequests requests(sys_, std::move(asks), control_timeout);
  // A hung holder neither answers nor dies: when the scheduler stops listing
  // it for every key asked of it (declared lost), stop waiting for it.
  while (!requests.wait_for(std::chrono::milliseconds(200))) {
    std::lock_guard lock(mutex_);
    for (std::size_t n = 0; n < plan.size(); ++n) {
      if (requests.ended(n)) continue;
      const auto& [worker, idx] = plan[n];
      bool still_listed = std::any_of(idx.begin(), idx.end(), [&, &worker = worker](std::size_t i) {
        auto it = keys_.find(keys[i]);
        return it != keys_.end() && !it->second.error &&
               std::find(it->second.holders.begin(), it->second.holders.end(), worker) != it->second.holders.end();
      });
      if (!still_listed) requests.abandon(n, "the scheduler no longer lists that worker as a holder");
    }
  }
  return requests.take();
}

std::string ClientCore::complete_from_data_plane(DataReply& reply, const std::vector<TaskId>& ids,
                                                 const std::vector<Key>& keys) {
  std::vector<net::FetchItem> items;
  std::vector<std::size_t> where;
  for (std::size_t j = 0; j < reply.on_data_plane.size() && j < ids.size() && j < reply.found.size(); ++j)
    if (reply.on_data_plane[j] && reply.found[j]) {
      items.push_back({ids[j], keys[j].str()});
      where.push_back(j);
    }
  if (items.empty()) return {};
  auto client = data_client();
  if (reply.values.size() < ids.size()) reply.values.resize(ids.size());
  net::FetchResult values;
  std::string error;
  try {
    values = client->fetch(net::parse_address(reply.data_address), std::move(items), data_plane_timeout);
  } catch (const std::exception& e) {
    error = "gather of " + keys[where.front()].str() + " from the data plane at " + reply.data_address +
            " failed: " + e.what();
  }
  for (std::size_t n = 0; n < where.size(); ++n) {
    auto j = where[n];
    if (error.empty() && n < values.size() && values[n]) reply.values[j] = std::move(*values[n]);
    else reply.found[j] = 0;
  }
  return error;
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

// ---- cluster control --------------------------------------------------------

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  auto text = std::to_string(std::chrono::duration<double>(d).count());
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

bool is_sec(const caf::error& e, caf::sec code) {
  return e && e.category() == caf::atom("system") && e.code() == static_cast<std::uint8_t>(code);
}

std::string joined_names(const std::vector<std::string>& names) {
  if (names.empty()) return "none are published";
  std::string out = "published: ";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", '" : "'") + names[i] + "'";
  return out;
}

}  // namespace

template <class E>
void ClientCore::throw_request_error(const char* what, const caf::error& e) const {
  {
    std::lock_guard lock(mutex_);
    check_connected_locked();  // the scheduler is gone: say so
  }
  if (is_sec(e, caf::sec::request_timeout))
    throw TimeoutError(std::string(what) + ": " + options_.scheduler_address + " did not answer within " +
                       seconds_text(options_.request_timeout) + " s");
  if (is_sec(e, caf::sec::runtime_error) && e.context().match_elements<std::string>()) {
    // The scheduler refused (an unknown name, a taken one, ...): its reason.
    auto why = e.context().get_as<std::string>(0);
    if (why.rfind(what, 0) == 0) throw E(why);
    throw E(std::string(what) + ": " + why);
  }
  throw Error(std::string(what) + " failed: " + sys_.render(e));
}

template <class E, class... Ts>
void ClientCore::ask_as_client(const char* what, Ts&&... xs) {
  {
    std::lock_guard lock(mutex_);
    check_connected_locked();
  }
  caf::scoped_actor self{sys_};
  caf::error failure;
  // The client actor's own request to the scheduler times out first.
  self->request(actor_, options_.request_timeout + std::chrono::seconds(2), std::forward<Ts>(xs)...)
      .receive([](bool) {}, [&](caf::error& e) { failure = std::move(e); });
  if (failure) throw_request_error<E>(what, failure);
}

void ClientCore::retire_workers(const std::vector<std::string>& names) {
  ask_as_client<ValueError>("retire_workers", retire_atom_v, names);
}

void ClientCore::restart() { ask_as_client<Error>("restart", restart_atom_v); }

void ClientCore::publish_dataset(const std::string& name, const std::vector<Key>& keys, bool override) {
  ask_as_client<KeyError>("publish_dataset", publish_atom_v, name, keys, override);
}

void ClientCore::unpublish_dataset(const std::string& name) {
  try {
    ask_as_client<KeyError>("unpublish_dataset", unpublish_atom_v, name);
  } catch (const KeyError&) {
    throw KeyError("unpublish_dataset: no dataset named '" + name + "' on " + options_.scheduler_address + " (" +
                   joined_names(list_datasets()) + ")");
  }
}

void ClientCore::want(const std::vector<Key>& keys) {
  {
    std::lock_guard lock(mutex_);
    renew_locked(keys);
  }
  ask_as_client<KeyError>("get_dataset", want_atom_v, keys);
}

std::vector<Key> ClientCore::dataset_keys(const std::string& name) const {
  {
    std::lock_guard lock(mutex_);
    check_connected_locked();
  }
  caf::scoped_actor self{sys_};
  std::vector<Key> keys;
  caf::error failure;
  self->request(scheduler_, options_.request_timeout, dataset_atom_v, name)
      .receive([&](std::vector<Key>& k) { keys = std::move(k); }, [&](caf::error& e) { failure = std::move(e); });
  if (!failure) return keys;
  if (is_sec(failure, caf::sec::runtime_error))
    throw KeyError("get_dataset: no dataset named '" + name + "' on " + options_.scheduler_address + " (" +
                   joined_names(list_datasets()) + ")");
  throw_request_error<KeyError>("get_dataset", failure);
}

std::vector<std::string> ClientCore::list_datasets() const {
  {
    std::lock_guard lock(mutex_);
    check_connected_locked();
  }
  caf::scoped_actor self{sys_};
  std::vector<std::string> names;
  caf::error failure;
  self->request(scheduler_, options_.request_timeout, dataset_atom_v)
      .receive([&](std::vector<std::string>& n) { names = std::move(n); },
               [&](caf::error& e) { failure = std::move(e); });
  if (failure) throw_request_error<Error>("list_datasets", failure);
  return names;
}

}  // namespace tessera::actors
