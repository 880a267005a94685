#pragma once
// Client: the user's handle on a cluster, as dask.distributed.Client.
// submit/map run functions on the workers and return futures; gather fetches
// results; scatter sends data; compute/persist run collections. While a
// Client lives it is the default executor of .compute() (like Dask's).
//
//   tessera::Client client;                        // starts an in-process cluster
//   auto f = client.submit(inc, 1);                // Future<int64_t>
//   auto fs = client.map(inc, std::vector<int64_t>{1, 2, 3});
//   auto total = client.submit(sum, fs);           // futures as arguments
//   total.result();                                // 9
//   client.publish_dataset("totals", total);       // another client: get_dataset("totals")
//   client.retire_workers({"worker-1"});           // its data moves to the others first
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/client/future.hpp"
#include "actors/cluster/local_cluster.hpp"
#include "actors/cluster/remote_connection.hpp"
#include "runtime/graph/optimize.hpp"

namespace tessera {

struct SubmitOptions {
  /// false: a fresh key every call (Dask's pure=False).
  bool pure = true;
  /// Key prefix / name for an unregistered callable.
  std::string name = {};
};

struct ScatterOptions {
  /// Store a copy on every worker.
  bool broadcast = false;
};

struct ClientOptions {
  /// The cluster secret (default: $TESSERA_AUTH_TOKEN).
  std::string auth_token = {};
  /// TLS, as Dask's Security object: this client's certificate and key and
  /// the cluster's CA (PEM files). Required by a "tls://HOST:PORT" address;
  /// then the control plane (CAF's openssl module) and the data plane (Asio
  /// ssl::stream) are both encrypted and mutually authenticated.
  net::TlsOptions tls = {};
  /// How long to try to reach the scheduler.
  std::chrono::milliseconds timeout{10'000};
  /// How long a control request (retire_workers, restart, datasets) waits
  /// for the scheduler's answer before it fails with TimeoutError.
  std::chrono::milliseconds request_timeout{30'000};
};

using actors::SchedulerInfo;
using actors::WorkerInfo;

class Client {
 public:
  /// Starts an in-process LocalCluster owned by this client.
  Client();
  explicit Client(LocalClusterOptions options);
  /// Connects to an in-process cluster that outlives this client.
  explicit Client(LocalCluster& cluster);
  /// Connects to a scheduler in another process: "tcp://HOST:PORT".
  explicit Client(const std::string& address, ClientOptions options = {});
  explicit Client(const char* address) : Client(std::string(address)) {}
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Runs fn(args...) on a worker. Arguments may be values, futures or delayed values.
  template <class F, class... A>
  auto submit(F fn, const A&... args) {
    return submit_with(SubmitOptions{}, std::move(fn), args...);
  }
  template <class F, class... A>
  auto submit_with(const SubmitOptions& options, F fn, const A&... args) {
    using R = typename DelayedFunction<std::decay_t<F>>::result_type;
    auto d = delayed(std::move(fn), DelayedOptions{options.name, options.pure})(args...);
    return submit_graph<R>(d.graph(), {d.key()}).front();
  }

  /// fn(x) for every x of `items`, as one submission.
  template <class F, class Range>
  auto map(F fn, const Range& items, const SubmitOptions& options = {}) {
    using R = typename DelayedFunction<std::decay_t<F>>::result_type;
    auto df = delayed(std::move(fn), DelayedOptions{options.name, options.pure});
    std::vector<LayerPtr> layers;
    std::vector<Key> keys;
    for (const auto& x : items) {
      auto d = df(x);
      keys.push_back(d.key());
      layers.push_back(d.layer());
    }
    return submit_graph<R>(HighLevelGraph(std::move(layers)), std::move(keys));
  }

  /// Waits for the futures and returns their values, in order.
  template <class T>
  std::vector<T> gather(const std::vector<Future<T>>& futures) {
    std::vector<Key> keys;
    keys.reserve(futures.size());
    for (const auto& f : futures) keys.push_back(f.key());
    auto values = core_->gather(keys);
    std::vector<T> out;
    out.reserve(values.size());
    for (const auto& v : values) out.push_back(from_value<T>(v));
    return out;
  }
  template <class T>
  T gather(const Future<T>& future) {
    return future.result();
  }

  /// Sends `x` to a worker (every worker with broadcast) and returns its future.
  template <class T>
  Future<T> scatter(const T& x, const ScatterOptions& options = {}) {
    return scatter_values<T>({to_value(x)}, options).front();
  }
  /// One future per element.
  template <class T>
  std::vector<Future<T>> scatter_each(const std::vector<T>& xs, const ScatterOptions& options = {}) {
    std::vector<Value> values;
    for (const auto& x : xs) values.push_back(to_value(x));
    return scatter_values<T>(std::move(values), options);
  }

  /// Starts computing a delayed value; returns its future.
  template <class T>
  Future<T> compute(const Delayed<T>& d) {
    return submit_graph<T>(d.graph(), {d.key()}).front();
  }
  /// Computes `d` on the cluster and keeps the result there; the returned
  /// Delayed refers to that data (and keeps it alive).
  template <class T>
  Delayed<T> persist(const Delayed<T>& d) {
    auto f = compute(d);
    return Delayed<T>(f.key(), persisted_layer(f.key(), std::make_shared<Future<T>>(f)));
  }

  /// Computes a collection's partitions on the cluster and keeps them there,
  /// as Dask's client.persist: returns the same collection (keys, metadata)
  /// whose graph is only the held keys, so that later computations read them
  /// without recomputing; the keys are released when the last collection or
  /// graph using them is gone. For any collection with keys(), graph(),
  /// name() and with_layer(LayerPtr) (a dataframe). Blocks until computed;
  /// throws the first failed partition's error.
  template <class C, class = decltype(std::declval<const C&>().with_layer(std::declval<LayerPtr>()))>
  C persist(const C& collection) {
    const auto keys = collection.keys();
    return collection.with_layer(persist_on(core_, collection.graph(), keys, collection.name()));
  }

  /// Cancels the futures' computations.
  template <class T>
  void cancel(const std::vector<Future<T>>& futures) {
    std::vector<Key> keys;
    for (const auto& f : futures) keys.push_back(f.key());
    core_->cancel(keys);
  }

  SchedulerInfo scheduler_info() const { return core_->scheduler_info(); }
  /// worker name → keys it holds.
  std::map<std::string, std::vector<std::string>> has_what() const;
  /// key → names of the workers that hold it.
  std::map<std::string, std::vector<std::string>> who_has() const;
  /// Number of task threads per worker name.
  std::map<std::string, std::uint32_t> nthreads() const;

  // ---- cluster control (as distributed.Client) ----
  /// Retires the named workers gracefully: they get no new work, their queued
  /// tasks go to others, the data only they hold is copied to the remaining
  /// workers, then they close (a worker process exits). Nothing is
  /// recomputed. Blocks until they have left; TimeoutError after `timeout`.
  /// KeyError naming an unknown worker (and the registered ones); ValueError
  /// when no other worker would remain to take their data.
  void retire_workers(const std::vector<std::string>& names,
                      std::chrono::duration<double> timeout = std::chrono::seconds(60));
  /// Forgets every task and drops all data on the cluster; workers stay.
  /// Every future of every client ends cancelled ("cluster restarted");
  /// published datasets are dropped.
  void restart();
  /// Blocks until at least `n` workers (not retiring) are registered.
  /// TimeoutError naming `n` and how many there are when `timeout` passes.
  void wait_for_workers(std::size_t n, std::optional<std::chrono::duration<double>> timeout = std::nullopt);

  /// Publishes futures under `name` (as Dask's publish_dataset): the
  /// scheduler keeps their data until unpublish_dataset, and any client of
  /// the cluster may get_dataset them. KeyError when the name is taken
  /// (unless `override`); ValueError for an empty name.
  template <class T>
  void publish_dataset(const std::string& name, const std::vector<Future<T>>& futures, bool override = false) {
    std::vector<Key> keys;
    keys.reserve(futures.size());
    for (const auto& f : futures) keys.push_back(f.key());
    publish_keys(name, keys, override);
  }
  template <class T>
  void publish_dataset(const std::string& name, const Future<T>& future, bool override = false) {
    publish_keys(name, {future.key()}, override);
  }
  /// A delayed value is computed on the cluster and its result published.
  template <class T>
  void publish_dataset(const std::string& name, const Delayed<T>& value, bool override = false) {
    auto f = compute(value);
    publish_keys(name, {f.key()}, override);
  }
  /// Futures of a published dataset, one per published key in order. Works
  /// from any client of the cluster. KeyError naming the dataset and the
  /// published ones when it is unknown.
  template <class T = Value>
  std::vector<Future<T>> get_dataset(const std::string& name) {
    auto keys = core_->dataset_keys(name);
    core_->acquire(keys);
    std::vector<Future<T>> out;  // adopts the references: released if want() throws
    out.reserve(keys.size());
    for (const auto& k : keys) out.emplace_back(core_, k);
    core_->want(keys);
    return out;
  }
  /// Drops a dataset's hold on its data. KeyError naming it when unknown.
  void unpublish_dataset(const std::string& name) { core_->unpublish_dataset(name); }
  /// Names of the published datasets, sorted.
  std::vector<std::string> list_datasets() const { return core_->list_datasets(); }

  /// The cluster this client owns (nullptr when connected to another one).
  LocalCluster* cluster() const noexcept { return owned_.get(); }
  const std::shared_ptr<actors::ClientCore>& core() const noexcept { return core_; }
  /// This client as an Executor (what .compute() uses while it is the default).
  ExecutorPtr executor() const { return executor_; }

 private:
  void connect(LocalCluster& cluster);
  void become_default();
  /// Optimises and submits; returns one future per key.
  template <class T>
  std::vector<Future<T>> submit_graph(const HighLevelGraph& graph, std::vector<Key> keys) {
    submit_keys(graph, keys);
    std::vector<Future<T>> out;
    out.reserve(keys.size());
    for (auto& k : keys) out.emplace_back(core_, std::move(k));
    return out;
  }
  void submit_keys(const HighLevelGraph& graph, const std::vector<Key>& keys);
  template <class T>
  std::vector<Future<T>> scatter_values(std::vector<Value> values, const ScatterOptions& options) {
    auto keys = scatter_keys(std::move(values), options);
    std::vector<Future<T>> out;
    for (auto& k : keys) out.emplace_back(core_, std::move(k));
    return out;
  }
  std::vector<Key> scatter_keys(std::vector<Value> values, const ScatterOptions& options);
  void publish_keys(const std::string& name, const std::vector<Key>& keys, bool override);
  static LayerPtr persisted_layer(const Key& key, std::shared_ptr<const void> keep_alive);

  std::unique_ptr<actors::RemoteConnection> remote_;
  std::unique_ptr<LocalCluster> owned_;
  std::shared_ptr<actors::ClientCore> core_;
  ExecutorPtr executor_;
};

/// Submits `graph` through `core`, waits, gathers `outputs` and releases them.
std::vector<Value> compute_on(const std::shared_ptr<actors::ClientCore>& core,
                              const HighLevelGraph& graph, std::span<const Key> outputs);

/// Submits `graph` through `core` and waits until `outputs` are in memory on
/// the cluster (throws the first failed key's error); returns a layer named
/// `layer_name` that names them as external keys and holds one reference to
/// each (see PersistingExecutor).
LayerPtr persist_on(const std::shared_ptr<actors::ClientCore>& core, const HighLevelGraph& graph,
                    std::span<const Key> outputs, const std::string& layer_name);

/// Blocks until every future is done, or `timeout` passes (returns false).
template <class T>
bool wait(const std::vector<Future<T>>& futures,
          std::optional<std::chrono::duration<double>> timeout = std::nullopt) {
  if (futures.empty()) return true;
  std::vector<Key> keys;
  for (const auto& f : futures) keys.push_back(f.key());
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (timeout)
    deadline = std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(*timeout);
  return futures.front().core()->wait(keys, deadline);
}

/// Yields futures in the order they finish (Dask's as_completed):
///   for (auto& f : as_completed(futures)) use(f.result());
template <class T>
class AsCompleted {
 public:
  explicit AsCompleted(std::vector<Future<T>> futures) : pending_(std::move(futures)) {}
  /// The next finished future; nullopt when all were returned.
  std::optional<Future<T>> next() {
    if (pending_.empty()) return std::nullopt;
    std::vector<Key> keys;
    for (const auto& f : pending_) keys.push_back(f.key());
    auto done = pending_.front().core()->wait_any(keys);
    auto f = pending_[done.front()];
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(done.front()));
    return f;
  }
  class iterator {
   public:
    explicit iterator(AsCompleted* owner) : owner_(owner) { advance(); }
    iterator() = default;
    const Future<T>& operator*() const { return *current_; }
    const Future<T>* operator->() const { return &*current_; }
    iterator& operator++() {
      advance();
      return *this;
    }
    bool operator!=(const iterator& o) const { return current_.has_value() != o.current_.has_value(); }

   private:
    void advance() { current_ = owner_ ? owner_->next() : std::nullopt; }
    AsCompleted* owner_ = nullptr;
    std::optional<Future<T>> current_;
  };
  iterator begin() { return iterator(this); }
  iterator end() { return iterator(); }

 private:
  std::vector<Future<T>> pending_;
};

template <class T>
AsCompleted<T> as_completed(std::vector<Future<T>> futures) {
  return AsCompleted<T>(std::move(futures));
}

}  // namespace tessera
