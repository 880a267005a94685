#pragma once
// ClientCore: the state a Client shares between the user's threads and its
// client actor. Holds one entry per key the client references (with a
// reference count that futures drive), the status the scheduler reported for
// it, and the batched releases waiting to be sent.
// Thread-safety: every public member may be called from any thread.
#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <absl/container/flat_hash_map.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/tls_context.hpp"
#include "actors/client/holder_requests.hpp"
#include "actors/protocol/messages.hpp"

namespace tessera::net {
class DataClient;
}

namespace tessera::actors {

enum class FutureStatus : std::uint8_t { pending, finished, error, cancelled, lost };

/// "pending", "finished", "error", "cancelled", "lost".
std::string_view future_status_name(FutureStatus s) noexcept;

struct ClientConnectOptions {
  /// The cluster secret, when the scheduler asks for one.
  std::string auth_token;
  /// TLS files for the data plane (the workers' data servers); empty: plain TCP.
  net::TlsOptions tls;
  /// Tasks will run in other processes: serialise them at submission, so
  /// that a function which cannot travel is reported to the caller.
  bool remote = false;
  /// How long to wait for the scheduler to accept the client.
  std::chrono::milliseconds timeout{10'000};
  /// Names the scheduler in error messages ("tcp://...").
  std::string scheduler_address = "the scheduler";
  /// How long a control request (retire, restart, datasets) may wait for
  /// the scheduler's answer before it fails with TimeoutError.
  std::chrono::milliseconds request_timeout{30'000};
};

class ClientCore : public std::enable_shared_from_this<ClientCore> {
 public:
  /// Connects to `scheduler`: spawns the client actor and waits until the
  /// scheduler has accepted it. Throws Error when it refuses (cluster secret)
  /// or does not answer within the timeout.
  static std::shared_ptr<ClientCore> connect(caf::actor_system& sys, caf::actor scheduler,
                                             ClientConnectOptions options = {});
  ClientCore(caf::actor_system& sys, caf::actor scheduler, ClientConnectOptions options);
  ~ClientCore();
  ClientCore(const ClientCore&) = delete;
  ClientCore& operator=(const ClientCore&) = delete;

  /// Takes one reference to each key (creating pending entries).
  void acquire(const std::vector<Key>& keys);
  /// Drops one reference; the last one releases the key on the cluster.
  void release(const Key& key);
  /// Submits a graph; the caller has acquired its wanted keys.
  void submit(OptimizedGraph graph, std::vector<Key> wanted);
  /// Sends values to workers; returns once they are stored.
  void scatter(ScatterBatch items, bool broadcast);
  /// Cancels the keys: their futures end as cancelled.
  void cancel(const std::vector<Key>& keys);

  FutureStatus status(const Key& key) const;
  /// Blocks until every key is no longer pending, or until the deadline
  /// (returns false on timeout).
  bool wait(const std::vector<Key>& keys,
            std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt) const;
  /// Blocks until at least one key is done; returns the indices of done
  /// keys, in the order they finished.
  std::vector<std::size_t> wait_any(const std::vector<Key>& keys) const;
  /// The exception of an erred or cancelled key (nullptr otherwise).
  std::exception_ptr exception(const Key& key) const;
  /// Waits for the keys and fetches their values from the workers; throws
  /// the first key's error (TaskError, CancelledError).
  std::vector<Value> gather(const std::vector<Key>& keys);

  SchedulerInfo scheduler_info() const;

  // ---- cluster control: requests to the scheduler, each with the finite
  // request_timeout (TimeoutError naming the request when it passes). ----
  /// Starts retiring the named workers (the scheduler moves their data
  /// first); returns once the scheduler has accepted. KeyError for an unknown
  /// name, ValueError when no other worker would remain to take their data.
  void retire_workers(const std::vector<std::string>& names);
  /// Forgets every task on the cluster; this client's futures end cancelled.
  void restart();
  /// Publishes keys under `name`. KeyError when the name is taken (and not
  /// `override`) or a key is not on the cluster.
  void publish_dataset(const std::string& name, const std::vector<Key>& keys, bool override);
  /// KeyError naming the dataset and the published ones when it is unknown.
  void unpublish_dataset(const std::string& name);
  /// The keys of a dataset; KeyError naming it and the published ones.
  std::vector<Key> dataset_keys(const std::string& name) const;
  /// Names of the published datasets, sorted.
  std::vector<std::string> list_datasets() const;
  /// Tells the scheduler this client wants keys already on the cluster (the
  /// caller has acquired them); finished ones are reported at once.
  void want(const std::vector<Key>& keys);

  /// "tcp://HOST:PORT" (or "inproc://..."), for messages.
  const std::string& scheduler_address() const noexcept { return options_.scheduler_address; }
  caf::actor_system& system() const noexcept { return sys_; }
  const caf::actor& scheduler() const noexcept { return scheduler_; }

  // Called by the client actor.
  void on_reports(KeyReportBatch& batch);
  std::vector<Key> take_releases();
  void on_connected(ClientId id);
  /// The scheduler is gone (or refused us): every pending key fails with
  /// `message`, and later calls throw it.
  void on_disconnected(const std::string& message);

 private:
  struct Entry {
    FutureStatus status = FutureStatus::pending;
    std::int32_t refs = 0;
    TaskId id = 0;
    std::vector<caf::actor> holders;
    std::exception_ptr error;
    std::uint64_t done_seq = 0;  // when it finished, for as_completed
  };

  /// Throws the disconnection error, if any (caller holds mutex_).
  void check_connected_locked() const;
  /// Keys asked for again after they were cancelled or lost (a restart, a
  /// cancel) become pending: the scheduler reports them anew.
  void renew_locked(const std::vector<Key>& keys);
  /// Sends a control request through the client actor (the scheduler checks
  /// that a client's requests come from its actor) and waits for the answer.
  template <class Error, class... Ts>
  void ask_as_client(const char* what, Ts&&... xs);
  /// The exception for a failed control request `what`: the scheduler's
  /// refusal as `Error`, a timeout as TimeoutError, else Error.
  template <class Error>
  [[noreturn]] void throw_request_error(const char* what, const caf::error& e) const;

  /// Scatters values of data_plane_threshold bytes or more: the scheduler
  /// places them, the client pushes them to those workers' data servers,
  /// then the scheduler records them as held there.
  void scatter_on_data_plane(ScatterBatch items, bool broadcast);
  /// Pushes items[idx] to `worker`'s data server (asking it where that is);
  /// false when it has none (a worker in this process: no data plane).
  bool push_to(caf::scoped_actor& self, const caf::actor& worker, const ScatterBatch& items,
               const std::vector<std::size_t>& idx);
  /// The data-plane client, made on first use.
  std::shared_ptr<net::DataClient> data_client();
  /// Keys (by index) to ask of each holder in one gather round.
  using GatherPlan = std::vector<std::pair<caf::actor, std::vector<std::size_t>>>;
  /// Picks an untried holder for each key of `todo` (waiting for the
  /// scheduler to report one when all were tried); fills ids.
  GatherPlan plan_gather(const std::vector<Key>& keys, const std::vector<std::size_t>& todo,
                         const std::vector<std::vector<caf::actor>>& tried, const std::vector<bool>& holder_gone,
                         std::vector<TaskId>& ids, const std::string& last_failure);
  /// Asks every holder of the plan at once; each answer ends with the data,
  /// an error, the holder's death, or the holder no longer being listed.
  std::vector<HolderAnswer> ask_holders(const std::vector<Key>& keys, const GatherPlan& plan,
                                        std::vector<HolderAsk> asks);
  /// Streams the values a gather reply left on the data plane into `reply`;
  /// those it cannot get are marked not found, and the error says why.
  std::string complete_from_data_plane(DataReply& reply, const std::vector<TaskId>& ids, const std::vector<Key>& keys);

  caf::actor_system& sys_;
  caf::actor scheduler_;
  ClientConnectOptions options_;
  std::mutex data_client_mutex_;
  std::shared_ptr<net::DataClient> data_client_;  // made on first use
  caf::actor actor_;
  bool connected_ = false;
  std::string disconnected_;  // why, once the scheduler is gone
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  absl::flat_hash_map<Key, Entry> keys_;
  std::vector<Key> releases_;
  std::uint64_t done_counter_ = 0;
};

}  // namespace tessera::actors
