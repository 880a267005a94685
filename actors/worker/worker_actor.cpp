#include "actors/worker/worker_actor.hpp"

#include <caf/all.hpp>

#include <dlfcn.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <utility>

#include "actors/fault/fault_channel.hpp"
#include "actors/fault/task_faults.hpp"
#include "actors/protocol/protocol_error.hpp"
#include "actors/util/default_handlers.hpp"
#include "actors/worker/task_actor.hpp"
#include "actors/worker/worker_data_plane.hpp"
#include "actors/worker/worker_state.hpp"
#include "net/address.hpp"

namespace tessera::actors {
namespace {

constexpr std::size_t max_batch = 64;
/// A batch handed to a task thread should run about this long: long enough
/// that tiny tasks cost one message per many, short enough that threads
/// finish together (a batch of 8 BLAS tasks left one thread idle for 0.3 s).
constexpr double batch_seconds = 0.001;
constexpr auto fetch_timeout = std::chrono::seconds(60);
constexpr auto register_timeout = std::chrono::seconds(5);
constexpr auto heartbeat_interval = std::chrono::milliseconds(500);
constexpr auto memory_interval = std::chrono::milliseconds(100);

/// A get_data reply whose large values are still streaming in on the data plane.
using ReplyDone = std::function<void(DataReply reply, std::string plane_error)>;
struct PlaneResult {  // written by a DataClient io thread, read by the actor after plane_atom
  std::exception_ptr error;
  net::FetchResult values;
};
struct PlaneFetch {
  DataReply reply;
  std::vector<std::size_t> items;  // indexes in reply of the streamed values
  std::shared_ptr<PlaneResult> result;
  ReplyDone done;
};

struct WorkerActorState {
  WorkerState state;
  caf::actor scheduler;
  WorkerId id = 0;
  bool registered = false;
  std::vector<caf::actor> task_actors;
  std::vector<char> busy;
  std::size_t idle = 0;
  double task_seconds = -1;  // moving average of a task's run time; < 0 before the first
  OutcomeBatch to_report;  // finished before registration completed
  WorkerOptions options;
  absl::flat_hash_set<caf::actor_addr> peers;                         // monitored
  absl::flat_hash_map<caf::actor_addr, std::vector<TaskId>> fetches;  // in flight, by holder
  double last_beat = 0, last_cpu = 0;
  absl::flat_hash_map<std::uint64_t, PlaneFetch> plane_fetches;  // by sequence number
  std::uint64_t plane_seq = 0;
  fault::FaultChannel link;  // messages to the scheduler (the fault injector's place)
  bool paused = false;       // process memory past the pause threshold
  WorkerState::FetchPlan deferred;  // fetches held back while paused
  std::vector<WorkerActivity> activity;  // transfers since the last heartbeat (bounded)
  double last_pause_note = 0;
  static inline const char* name = "tessera.worker";
};

using WorkerActor = caf::stateful_actor<WorkerActorState>;

void report(WorkerActor* self, OutcomeBatch outcomes) {
  auto& st = self->state;
  if (!st.registered) {
    for (auto& o : outcomes) st.to_report.push_back(std::move(o));
    return;
  }
  st.link.send(self, st.scheduler, done_atom_v, st.id, std::move(outcomes));
}

void send_heartbeat(WorkerActor* self);

/// Registers (again after a timeout: the scheduler may still be starting).
void register_with_scheduler(WorkerActor* self) {
  auto& st = self->state;
  self->request(st.scheduler, register_timeout, register_atom_v, caf::actor_cast<caf::actor>(self),
                st.options.name, st.options.nthreads, st.options.auth_token)
      .then(
          [self](WorkerId id) {
            auto& st = self->state;
            st.id = id;
            st.registered = true;
            if (!st.to_report.empty()) report(self, std::move(st.to_report));
            st.to_report.clear();
            if (st.paused) send_heartbeat(self);  // paused already: no work for it
          },
          [self](caf::error& e) {
            if (is_protocol_error(e, ProtocolError::refused)) {
              std::cerr << "tessera worker " << self->state.options.name << ": " << protocol_error_message(e)
                        << std::endl;
              self->quit(e);
              return;
            }
            self->delayed_send(self, std::chrono::milliseconds(200), register_atom_v);
          });
}

void report_read_errors(WorkerActor* self) {
  for (const auto& e : self->state.state.take_read_errors())
    std::cerr << "tessera worker " << self->state.options.name << ": " << e << std::endl;
}

/// How many tasks one batch may hold: one until a task's run time is known
/// (the first tasks may be long), then about batch_seconds of tasks.
std::size_t batch_cap(const WorkerActorState& st) {
  if (st.task_seconds < 0) return 1;
  const double fit = batch_seconds / std::max(st.task_seconds, 1e-9);
  return static_cast<std::size_t>(std::clamp(fit, 1.0, static_cast<double>(max_batch)));
}

void note_run_times(WorkerActorState& st, const OutcomeBatch& outcomes) {
  if (outcomes.empty()) return;
  double total = 0;
  for (const auto& o : outcomes) total += std::max(0.0, o.stop - o.start);
  const double mean = total / static_cast<double>(outcomes.size());
  st.task_seconds = st.task_seconds < 0 ? mean : 0.7 * st.task_seconds + 0.3 * mean;
}

void dispatch(WorkerActor* self) {
  auto& st = self->state;
  while (st.idle > 0 && st.state.has_ready() && !st.paused) {
    std::size_t share = (st.state.num_ready() + st.idle - 1) / st.idle;
    auto batch = st.state.take_ready(std::min(batch_cap(st), std::max<std::size_t>(1, share)));
    report_read_errors(self);
    if (auto* faults = st.link.faults()) {  // fail=GLOB: these never run
      if (auto failed = fault::take_injected_failures(*faults, batch); !failed.empty()) report(self, std::move(failed));
      if (batch.empty()) continue;
    }
    for (std::uint32_t i = 0; i < st.task_actors.size(); ++i) {
      if (st.busy[i]) continue;
      st.busy[i] = 1;
      --st.idle;
      self->send(st.task_actors[i], run_atom_v, std::move(batch));
      break;
    }
  }
}

/// Tasks that cannot run because an input could not be fetched are reported
/// as missing data: the scheduler drops the stale holder and places them again.
void report_missing(WorkerActor* self, const std::vector<WorkerState::MissingInput>& missing,
                    const caf::actor& from, const std::string& why) {
  if (missing.empty()) return;
  OutcomeBatch out;
  for (const auto& m : missing) {
    TaskOutcome o;
    o.id = m.task;
    o.ok = false;
    o.missing_data = true;
    o.missing_dep = m.dep;
    o.missing_from = from;
    o.error_function = "fetch";
    o.error_message = "could not get input " + m.key.str() + ": " + why;
    out.push_back(std::move(o));
  }
  report(self, std::move(out));
}

/// Watches a peer we fetch from: if it dies, its fetches fail at once
/// (CAF never fails a request to a dead node by itself).
void watch_peer(WorkerActor* self, const caf::actor& peer) {
  auto& st = self->state;
  if (st.peers.insert(peer.address()).second) self->monitor(peer);
}

void forget_fetches(WorkerActorState& st, const caf::actor& from, const std::vector<TaskId>& ids) {
  auto it = st.fetches.find(from.address());
  if (it == st.fetches.end()) return;
  absl::flat_hash_set<TaskId> done(ids.begin(), ids.end());
  std::erase_if(it->second, [&](TaskId id) { return done.contains(id); });
  if (it->second.empty()) st.fetches.erase(it);
}

std::string message_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "unknown error";
  }
}

/// Completes a get_data reply: the values it left on the data plane are
/// streamed from the holder's data server, then `done` runs on this actor with
/// the whole reply (a value that could not be streamed is marked not found,
/// and `plane_error` says why).
void complete_reply(WorkerActor* self, const std::vector<TaskId>& ids, DataReply reply,
                    const std::function<Key(TaskId)>& key_of, ReplyDone done) {
  std::vector<std::size_t> items;
  for (std::size_t i = 0; i < reply.on_data_plane.size() && i < ids.size() && i < reply.found.size(); ++i)
    if (reply.on_data_plane[i] && reply.found[i]) items.push_back(i);
  if (items.empty()) return done(std::move(reply), {});
  auto unreachable = [&](const std::string& why) {
    for (auto i : items) reply.found[i] = 0;
    done(std::move(reply), why);
  };
  const auto& plane = self->state.options.data_plane;
  if (!plane) return unreachable("the value is on the data plane and this worker has no data-plane client");
  net::Address address;
  try {
    address = net::parse_address(reply.data_address);
  } catch (const std::exception& e) {
    return unreachable(std::string("bad data-plane address: ") + e.what());
  }
  std::vector<net::FetchItem> wanted;
  wanted.reserve(items.size());
  for (auto i : items) wanted.push_back({ids[i], key_of(ids[i]).str()});
  auto seq = ++self->state.plane_seq;
  auto result = std::make_shared<PlaneResult>();
  if (reply.values.size() < ids.size()) reply.values.resize(ids.size());
  self->state.plane_fetches.emplace(seq, PlaneFetch{std::move(reply), std::move(items), result, std::move(done)});
  plane->client->fetch_async(address, std::move(wanted), fetch_timeout,
                             [result, seq, me = caf::actor_cast<caf::actor>(self)](std::exception_ptr error,
                                                                                   net::FetchResult values) {
                               result->error = std::move(error);
                               result->values = std::move(values);
                               caf::anon_send(me, plane_atom_v, seq);  // the actor takes it from here
                             });
}

void plane_arrived(WorkerActor* self, std::uint64_t seq) {
  auto it = self->state.plane_fetches.find(seq);
  if (it == self->state.plane_fetches.end()) return;
  auto f = std::move(it->second);
  self->state.plane_fetches.erase(it);
  std::string why = f.result->error ? message_of(f.result->error) : std::string();
  auto& values = f.result->values;
  for (std::size_t j = 0; j < f.items.size(); ++j) {
    auto i = f.items[j];
    if (!why.empty() || j >= values.size() || !values[j]) f.reply.found[i] = 0;
    else f.reply.values[i] = std::move(*values[j]);
  }
  if (why.empty() && std::any_of(f.items.begin(), f.items.end(), [&](auto i) { return !f.reply.found[i]; }))
    why = "its holder's data server no longer has it";
  f.done(std::move(f.reply), why);
}

double wall_seconds();

/// A transfer for the dashboard's task stream (sent with the next heartbeat).
void record_transfer(WorkerActorState& st, double start, const std::vector<TaskId>& ids, const DataReply& reply) {
  constexpr std::size_t max_records = 1000;
  if (st.activity.size() >= max_records) return;
  WorkerActivity a;
  a.kind = WorkerActivity::transfer;
  a.start = start;
  a.stop = wall_seconds();
  for (std::size_t i = 0; i < ids.size() && i < reply.found.size(); ++i)
    if (reply.found[i]) {
      if (a.count++ == 0) a.key = st.state.input_key(ids[i]).str();
      if (i < reply.values.size()) a.bytes += reply.values[i].nbytes();
    }
  if (a.count > 0) st.activity.push_back(std::move(a));
}

void fetch_from(WorkerActor* self, const caf::actor& from, std::vector<TaskId> ids) {
  auto& st = self->state;
  watch_peer(self, from);
  auto& inflight = st.fetches[from.address()];
  inflight.insert(inflight.end(), ids.begin(), ids.end());
  auto arrived = [self, ids, from, start = wall_seconds()](DataReply reply, std::string plane_error) {
    auto& st = self->state;
    std::vector<TaskId> got;
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (i < reply.found.size() && reply.found[i]) got.push_back(ids[i]);
    record_transfer(st, start, ids, reply);
    forget_fetches(st, from, ids);
    auto missing = st.state.inputs_arrived(from.address(), ids, std::move(reply));
    if (!got.empty() && st.registered) st.link.send(self, st.scheduler, fetched_atom_v, st.id, std::move(got));
    report_missing(self, missing, from,
                   plane_error.empty() ? "its holder no longer has it" : "data-plane transfer failed: " + plane_error);
    dispatch(self);
  };
  self->request(from, fetch_timeout, get_data_atom_v, ids)
      .then(
          [self, ids, arrived](DataReply& reply) {
            complete_reply(self, ids, std::move(reply),
                           [self](TaskId id) { return self->state.state.input_key(id); }, arrived);
          },
          [self, ids, from](caf::error& e) {
            forget_fetches(self->state, from, ids);
            report_missing(self, self->state.state.inputs_failed(from.address(), ids), from, self->system().render(e));
          });
}

void fetch(WorkerActor* self, WorkerState::FetchPlan plan) {
  if (self->state.paused) {  // incoming transfers wait until memory is back under the pause threshold
    auto& d = self->state.deferred;
    d.insert(d.end(), std::make_move_iterator(plan.begin()), std::make_move_iterator(plan.end()));
    return;
  }
  for (auto& [from, ids] : plan) {
    if (!from) {
      report_missing(self, self->state.state.inputs_failed(from.address(), ids), caf::actor{}, "no worker holds it");
      continue;
    }
    fetch_from(self, from, std::move(ids));
  }
}

/// Copies data off a retiring worker: fetch, keep, confirm to the scheduler.
void acquire(WorkerActor* self, std::vector<DepLocation> locations) {
  std::map<caf::actor, std::vector<TaskId>> plan;
  auto keys = std::make_shared<std::map<TaskId, Key>>();
  for (auto& d : locations)
    if (!self->state.state.has(d.id) && !d.holders.empty()) {
      plan[d.holders.front()].push_back(d.id);
      (*keys)[d.id] = d.key;
    }
  for (auto& [from, ids] : plan) {
    auto stored = [self, ids](DataReply reply, std::string) {
      auto& st = self->state;
      std::vector<TaskId> got;
      for (std::size_t i = 0; i < ids.size() && i < reply.found.size() && i < reply.values.size(); ++i)
        if (reply.found[i]) {
          st.state.store(ids[i], std::move(reply.values[i]));
          got.push_back(ids[i]);
        }
      if (!got.empty()) st.link.send(self, st.scheduler, fetched_atom_v, st.id, std::move(got));
    };
    self->request(from, fetch_timeout, get_data_atom_v, ids)
        .then(
            [self, ids, keys, stored](DataReply& reply) {
              complete_reply(self, ids, std::move(reply), [&keys](TaskId id) { return keys->at(id); }, stored);
            },
            [](caf::error&) {});
  }
}

/// Resident memory of this process that only this process holds, from
/// /proc/self/statm: resident minus shared pages. Pages of mapped files
/// (array tasks read raw files through a kept mapping) are the page
/// cache's, which the kernel reclaims on its own: counting them would spill,
/// pause and restart a worker for memory it cannot free.
std::size_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, resident = 0, shared = 0;
  int n = std::fscanf(f, "%lu %lu %lu", &size, &resident, &shared);
  std::fclose(f);
  if (n != 3) return 0;
  return (resident - std::min(resident, shared)) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double wall_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

/// Sends the worker's metrics to the scheduler now.
void send_heartbeat(WorkerActor* self) {
  auto& st = self->state;
  if (!st.registered) return;
  WorkerMetrics m;
  double now = wall_seconds(), cpu = cpu_seconds();
  if (st.last_beat > 0 && now > st.last_beat) m.cpu = 100.0 * (cpu - st.last_cpu) / (now - st.last_beat);
  st.last_beat = now;
  st.last_cpu = cpu;
  m.memory_rss = resident_bytes();
  m.memory_limit = st.options.memory_limit;
  m.executing = static_cast<std::uint32_t>(st.task_actors.size() - st.idle);
  m.ready = static_cast<std::uint32_t>(st.state.num_ready());
  m.in_flight = static_cast<std::uint32_t>(st.state.num_pending());
  m.bytes_in_memory = st.state.bytes_in_memory();
  m.bytes_spilled = st.state.bytes_spilled();
  const auto& spill = st.state.spill_metrics();
  m.spilled_total = spill.spilled_bytes;
  m.unspilled_total = spill.unspilled_bytes;
  m.spill_seconds = spill.spill_seconds;
  m.unspill_seconds = spill.unspill_seconds;
  m.paused = st.paused;
  m.time = now;
  m.sent = st.link.sent();
  m.activity = std::exchange(st.activity, {});
  for (const auto& e : st.state.take_spill_events())
    m.activity.push_back({e.spill ? WorkerActivity::spill : WorkerActivity::unspill, e.start, e.stop, e.bytes, 1,
                          "value " + std::to_string(e.id)});
  st.link.send(self, st.scheduler, heartbeat_atom_v, st.id, m);
}

/// The application's heartbeat: proves liveness (a hung process stops
/// sending it) and carries the worker's metrics.
void heartbeat(WorkerActor* self) {
  self->delayed_send(self, heartbeat_interval, heartbeat_atom_v);
  send_heartbeat(self);
}

/// Hands freed memory back to the system, so that resident memory follows
/// what is used: mimalloc's mi_collect when the program runs on it, else glibc's malloc_trim.
void release_free_memory() {
  using collect_fn = void (*)(bool);
  static auto* collect = reinterpret_cast<collect_fn>(dlsym(RTLD_DEFAULT, "mi_collect"));
  if (collect) collect(true);
  else malloc_trim(0);
}

/// Back under the pause threshold: the scheduler learns it at once (it gives
/// work again), the fetches held back that tasks here still need go out, and
/// ready tasks start.
void resume(WorkerActor* self) {
  auto& st = self->state;
  st.paused = false;
  send_heartbeat(self);
  if (!st.deferred.empty()) {
    auto plan = st.state.still_needed(std::exchange(st.deferred, {}));
    if (!plan.empty()) fetch(self, std::move(plan));
  }
  dispatch(self);
}

/// The memory monitor (MemoryFractions, steps 2-4), every memory_interval.
void watch_memory(WorkerActor* self) {
  auto& st = self->state;
  self->delayed_send(self, memory_interval, tick_atom_v);
  const double limit = static_cast<double>(st.options.memory_limit);
  const auto& f = st.options.memory;
  std::size_t rss = resident_bytes();
  auto past = [&](double fraction) { return fraction > 0 && static_cast<double>(rss) > fraction * limit; };
  // 4. Terminate: past saving; the scheduler reschedules what ran here.
  if (past(f.terminate)) {
    std::cerr << "tessera worker " << st.options.name << ": process memory " << (rss >> 20) << " MiB is past "
              << static_cast<int>(f.terminate * 100) << "% of the limit " << (st.options.memory_limit >> 20)
              << " MiB; restarting" << std::endl;
    std::error_code ec;
    if (auto dir = st.state.spill_directory(); !dir.empty()) std::filesystem::remove_all(dir, ec);
    if (st.options.restart) st.options.restart();  // does not return when it execs
    self->quit(make_protocol_error(ProtocolError::scheduler_lost, "process memory past the terminate threshold"));
    return;
  }
  // 2. Spill regardless of the target, oldest first, until memory is back
  // under the target (or nothing is left in memory); a round takes at most 1 s.
  if (past(f.spill)) {
    auto t0 = std::chrono::steady_clock::now();
    const double target = (f.target > 0 ? f.target : f.spill) * limit;
    while (static_cast<double>(rss) > target && st.state.bytes_in_memory() > 0 &&
           std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1)) {
      if (!st.state.spill_oldest()) {
        if (st.state.bytes_in_memory() > 0)
          std::cerr << "tessera worker " << st.options.name << ": " << st.state.spill_metrics().last_error << std::endl;
        break;
      }
      release_free_memory();
      rss = resident_bytes();
    }
    if (st.state.bytes_in_memory() == 0) release_free_memory(), rss = resident_bytes();
  }
  // 3. Pause above the threshold, resume below it.
  if (past(f.pause)) {
    double now = wall_seconds();
    if (!st.paused || now - st.last_pause_note > 10) {
      std::cerr << "tessera worker " << st.options.name << ": paused: process memory " << (rss >> 20)
                << " MiB is past " << static_cast<int>(f.pause * 100) << "% of the limit "
                << (st.options.memory_limit >> 20) << " MiB (" << (st.state.bytes_in_memory() >> 20)
                << " MiB of it are values in memory)" << std::endl;
      st.last_pause_note = now;
    }
    if (!st.paused) {
      st.paused = true;
      send_heartbeat(self);  // the scheduler stops giving it work at once
    }
  } else if (st.paused) {
    resume(self);
  }
}

void on_peer_down(WorkerActor* self, const caf::down_msg& msg) {
  auto& st = self->state;
  st.peers.erase(msg.source);
  auto it = st.fetches.find(msg.source);
  if (it == st.fetches.end()) return;
  auto ids = std::move(it->second);
  st.fetches.erase(it);
  report_missing(self, st.state.inputs_failed(msg.source, ids), caf::actor_cast<caf::actor>(msg.source),
                 "its holder died");
}

caf::behavior worker_behavior(WorkerActor* self, caf::actor scheduler, WorkerOptions options) {
  install_default_handlers(self, "worker");
  auto& st = self->state;
  st.scheduler = scheduler;
  for (std::uint32_t i = 0; i < options.nthreads; ++i)
    st.task_actors.push_back(spawn_task_actor(self->system(), caf::actor_cast<caf::actor>(self), i));
  st.busy.assign(options.nthreads, 0);
  st.idle = options.nthreads;
  // However the worker ends, its task actors end with it.
  self->attach_functor([tasks = st.task_actors](const caf::error&) {
    for (const auto& t : tasks) caf::anon_send_exit(t, caf::exit_reason::user_shutdown);
  });
  self->set_exit_handler([self](caf::exit_msg& msg) { self->quit(msg.reason); });
  st.link = fault::FaultChannel(options.faults, fault::Role::worker);
  st.options = std::move(options);
  const double limit = static_cast<double>(st.options.memory_limit);
  st.state.configure_memory(st.options.local_directory,
                            static_cast<std::size_t>(st.options.memory_limit > 0 ? st.options.memory.target * limit : 0));
  if (st.options.data_plane) st.state.share_large_values(st.options.data_plane->values, st.options.data_plane->address);
  self->monitor(scheduler);
  self->set_down_handler([self](caf::down_msg& msg) {
    if (msg.source == self->state.scheduler.address())
      self->quit(make_protocol_error(ProtocolError::scheduler_lost, "lost the connection to the scheduler"));
    else
      on_peer_down(self, msg);
  });
  register_with_scheduler(self);
  heartbeat(self);
  const auto& f = st.options.memory;
  if (st.options.memory_limit > 0 && (f.spill > 0 || f.pause > 0 || f.terminate > 0)) watch_memory(self);
  return {
      [self](register_atom) { register_with_scheduler(self); },
      [self](heartbeat_atom) { heartbeat(self); },
      [self](tick_atom) { watch_memory(self); },
      [self](close_atom) { self->quit(caf::exit_reason::user_shutdown); },
      [self](lost_atom) {  // declared lost while alive: the node registers a fresh worker
        if (caf::actor_cast<caf::actor_addr>(self->current_sender()) != self->state.scheduler.address()) return;
        self->quit(make_protocol_error(ProtocolError::scheduler_lost, "the scheduler declared this worker lost"));
      },
      [self](refresh_atom, ComputeBatch& batch) {
        // Tasks already here, with the current holders of their inputs: fetch
        // what is still missing from them (inputs in flight stay in flight).
        auto plan = self->state.state.refresh(std::move(batch));
        if (!plan.empty()) fetch(self, std::move(plan));
        dispatch(self);
      },
      [self](steal_atom, const std::vector<TaskId>& ids) {
        auto& st = self->state;
        st.link.send(self, st.scheduler, steal_atom_v, st.id, st.state.release_unstarted(ids));
      },
      [self](acquire_atom, std::vector<DepLocation>& locations) { acquire(self, std::move(locations)); },
      [self](clear_atom) { self->state.state.clear(); },
      [self](compute_atom, ComputeBatch& batch) {
        auto plan = self->state.state.add_tasks(std::move(batch));
        if (!plan.empty()) fetch(self, std::move(plan));
        dispatch(self);
      },
      [self](done_atom, std::uint32_t index, OutcomeBatch& outcomes) {
        auto& st = self->state;
        if (auto* faults = st.link.faults()) fault::on_tasks_finished(*faults, outcomes.size(), st.options.name);
        st.busy[index] = 0;
        ++st.idle;
        note_run_times(st, outcomes);
        for (auto& o : outcomes)
          if (o.ok) st.state.store(o.id, std::exchange(o.value, Value()));
        dispatch(self);
        report(self, std::move(outcomes));
      },
      [self](free_atom, const std::vector<TaskId>& ids) { self->state.state.free(ids); },
      [self](store_atom, StoreItems& items) {
        for (auto& [id, v] : items) self->state.state.store(id, std::move(v));
      },
      [self](get_data_atom, const std::vector<TaskId>& ids) { return self->state.state.get_data(ids); },
      [self](plane_atom, std::uint64_t seq) { plane_arrived(self, seq); },
      // A client scattering large values asks where to push them.
      [self](plane_atom) { return self->state.state.data_address(); },
      [self](adopt_atom, const std::vector<DepLocation>& items) {
        for (const auto& key : self->state.state.adopt_pushed(items))
          std::cerr << "tessera worker: the scheduler placed " << key.str()
                    << " here but no client pushed it (the push failed?)" << std::endl;
      },
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
