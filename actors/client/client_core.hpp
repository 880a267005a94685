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

#include "actors/protocol/messages.hpp"

namespace tessera::actors {

enum class FutureStatus : std::uint8_t { pending, finished, error, cancelled, lost };

/// "pending", "finished", "error", "cancelled", "lost".
std::string_view future_status_name(FutureStatus s) noexcept;

struct ClientConnectOptions {
  /// The cluster secret, when the scheduler asks for one.
  std::string auth_token;
  /// Tasks will run in other processes: serialise them at submission, so
  /// that a function which cannot travel is reported to the caller.
  bool remote = false;
  /// How long to wait for the scheduler to accept the client.
  std::chrono::milliseconds timeout{10'000};
  /// Names the scheduler in error messages ("tcp://...").
  std::string scheduler_address = "the scheduler";
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

  caf::actor_system& sys_;
  caf::actor scheduler_;
  ClientConnectOptions options_;
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
