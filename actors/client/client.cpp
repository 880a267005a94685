#include "actors/client/client.hpp"

#include <algorithm>
#include <thread>

#include "collections/dataframe/persist.hpp"
#include "net/auth_token.hpp"

namespace tessera {
namespace {

/// A Client seen as an Executor: compute = submit, wait, gather, release.
/// Persisting keeps results on the workers (DataFrame::persist asks for it).
class ClientExecutor final : public Executor, public PersistingExecutor {
 public:
  explicit ClientExecutor(std::weak_ptr<actors::ClientCore> core) : core_(std::move(core)) {}
  std::string name() const override { return "client"; }
  std::vector<Value> compute(const HighLevelGraph& graph, std::span<const Key> outputs) override {
    return compute_on(core(), graph, outputs);
  }
  LayerPtr persist(const HighLevelGraph& graph, std::span<const Key> outputs, const std::string& layer_name) override {
    return persist_on(core(), graph, outputs, layer_name);
  }

 private:
  std::shared_ptr<actors::ClientCore> core() const {
    auto core = core_.lock();
    if (!core) throw Error("the Client behind this executor was closed");
    return core;
  }
  std::weak_ptr<actors::ClientCore> core_;
};

}  // namespace

std::vector<Value> compute_on(const std::shared_ptr<actors::ClientCore>& core,
                              const HighLevelGraph& graph, std::span<const Key> outputs) {
  std::vector<Key> keys(outputs.begin(), outputs.end());
  auto opt = optimize(graph, keys);
  core->acquire(keys);
  std::vector<Future<Value>> holds;  // releases the keys however we leave
  holds.reserve(keys.size());
  for (const auto& k : keys) holds.emplace_back(core, k);
  core->submit(std::move(opt), keys);
  return core->gather(keys);
}

LayerPtr persist_on(const std::shared_ptr<actors::ClientCore>& core, const HighLevelGraph& graph,
                    std::span<const Key> outputs, const std::string& layer_name) {
  std::vector<Key> keys(outputs.begin(), outputs.end());
  auto opt = optimize(graph, keys);
  core->acquire(keys);
  // The layer adopts the references at once: if anything below throws, they are released.
  auto layer = std::make_shared<Layer>(layer_name, std::vector<TaskSpec>{}, std::vector<LayerPtr>{});
  layer->external = keys;
  for (const auto& k : keys) layer->keep_alive.push_back(std::make_shared<Future<Value>>(core, k));
  core->submit(std::move(opt), keys);
  core->wait(keys);
  for (const auto& k : keys)
    if (auto error = core->exception(k)) std::rethrow_exception(error);
  return layer;
}

Client::Client() : Client(LocalClusterOptions{}) {}

Client::Client(LocalClusterOptions options) : owned_(std::make_unique<LocalCluster>(options)) {
  connect(*owned_);
}

Client::Client(LocalCluster& cluster) { connect(cluster); }

Client::Client(const std::string& address, ClientOptions options)
    : remote_(std::make_unique<actors::RemoteConnection>(
          net::tcp_address_of(address, options.tls), options.timeout,
          actors::NodeConfig{.automatic_connections = false, .tls = options.tls})) {
  actors::ClientConnectOptions co;
  co.auth_token = net::auth_token_or_env(options.auth_token);
  co.tls = options.tls;
  co.remote = true;
  co.timeout = options.timeout;
  co.request_timeout = options.request_timeout;
  co.scheduler_address = remote_->address();
  core_ = actors::ClientCore::connect(remote_->system(), remote_->scheduler(), std::move(co));
  become_default();
}

void Client::connect(LocalCluster& cluster) {
  actors::ClientConnectOptions co;
  co.auth_token = cluster.auth_token();
  co.remote = cluster.processes();
  co.scheduler_address = cluster.address();
  core_ = actors::ClientCore::connect(cluster.system(), cluster.scheduler(), std::move(co));
  become_default();
}

void Client::become_default() {
  executor_ = std::make_shared<ClientExecutor>(core_);
  config::set_default_executor(executor_);
}

Client::~Client() {
  if (config::scheduler() == "client" && get_executor() == executor_) config::set_default_executor(nullptr);
  executor_.reset();
  core_.reset();   // says goodbye: the scheduler releases what we held
  owned_.reset();  // stops our cluster, if we own one
  remote_.reset();
}

void Client::submit_keys(const HighLevelGraph& graph, const std::vector<Key>& keys) {
  auto opt = optimize(graph, keys);
  core_->acquire(keys);
  core_->submit(std::move(opt), keys);
}

std::vector<Key> Client::scatter_keys(std::vector<Value> values, const ScatterOptions& options) {
  actors::ScatterBatch items;
  std::vector<Key> keys;
  for (auto& v : values) {
    // Scattered data is named by its content, as Dask's scatter.
    Key k(std::string(kind_name(v.kind())) + "-" + tokenize(v));
    keys.push_back(k);
    items.push_back({std::move(k), std::move(v)});
  }
  core_->acquire(keys);
  core_->scatter(std::move(items), options.broadcast);
  return keys;
}

LayerPtr Client::persisted_layer(const Key& key, std::shared_ptr<const void> keep_alive) {
  auto layer = std::make_shared<Layer>(std::string(key.name()), std::vector<TaskSpec>{},
                                       std::vector<LayerPtr>{});
  layer->external.push_back(key);
  layer->keep_alive.push_back(std::move(keep_alive));
  return layer;
}

std::map<std::string, std::vector<std::string>> Client::has_what() const {
  std::map<std::string, std::vector<std::string>> out;
  for (auto& w : scheduler_info().workers) out[w.name] = w.keys;
  return out;
}

std::map<std::string, std::vector<std::string>> Client::who_has() const {
  std::map<std::string, std::vector<std::string>> out;
  for (auto& w : scheduler_info().workers)
    for (auto& k : w.keys) out[k].push_back(w.name);
  return out;
}

std::map<std::string, std::uint32_t> Client::nthreads() const {
  std::map<std::string, std::uint32_t> out;
  for (auto& w : scheduler_info().workers) out[w.name] = w.nthreads;
  return out;
}

// ---- cluster control ---------------------------------------------------------

namespace {

std::string seconds_text(double s) {
  auto text = std::to_string(s);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

std::string worker_names(const SchedulerInfo& info) {
  std::string out;
  for (const auto& w : info.workers) out += (out.empty() ? "'" : ", '") + w.name + "'";
  return out.empty() ? std::string("none") : out;
}

std::size_t accepting_workers(const SchedulerInfo& info) {
  return static_cast<std::size_t>(
      std::count_if(info.workers.begin(), info.workers.end(), [](const WorkerInfo& w) { return !w.retiring; }));
}

}  // namespace

void Client::retire_workers(const std::vector<std::string>& names, std::chrono::duration<double> timeout) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + std::chrono::duration_cast<clock::duration>(timeout);
  // 1. Which workers: every name must be registered now.
  auto info = scheduler_info();
  std::vector<actors::WorkerId> ids;
  for (const auto& n : names) {
    auto w = std::find_if(info.workers.begin(), info.workers.end(), [&](const WorkerInfo& x) { return x.name == n; });
    if (w == info.workers.end())
      throw KeyError("retire_workers: no worker named '" + n + "' is registered with " + core_->scheduler_address() +
                     " (workers: " + worker_names(info) + ")");
    ids.push_back(w->id);
  }
  if (ids.empty()) return;
  // 2. The scheduler moves their work and data, then closes them.
  core_->retire_workers(names);
  // 3. Done when none of them is registered any more.
  for (;;) {
    info = scheduler_info();
    std::vector<const WorkerInfo*> left;
    for (const auto& w : info.workers)
      if (std::find(ids.begin(), ids.end(), w.id) != ids.end()) left.push_back(&w);
    if (left.empty()) return;
    if (clock::now() >= deadline) {
      std::string what;
      for (auto* w : left)
        what += (what.empty() ? "" : "; ") + w->name + " still holds " + std::to_string(w->keys_in_memory) +
                " keys and runs " + std::to_string(w->processing) + " tasks";
      throw TimeoutError("retire_workers: the workers did not leave within " + seconds_text(timeout.count()) +
                         " s (" + what + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void Client::restart() { core_->restart(); }

void Client::wait_for_workers(std::size_t n, std::optional<std::chrono::duration<double>> timeout) {
  using clock = std::chrono::steady_clock;
  std::optional<clock::time_point> deadline;
  if (timeout) deadline = clock::now() + std::chrono::duration_cast<clock::duration>(*timeout);
  for (;;) {
    auto have = accepting_workers(scheduler_info());
    if (have >= n) return;
    if (deadline && clock::now() >= *deadline)
      throw TimeoutError("wait_for_workers: asked for " + std::to_string(n) + " workers, but only " +
                         std::to_string(have) + " are registered with " + core_->scheduler_address() + " after " +
                         seconds_text(timeout->count()) + " s");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void Client::publish_keys(const std::string& name, const std::vector<Key>& keys, bool override) {
  if (name.empty()) throw ValueError("publish_dataset: the dataset's name must not be empty");
  core_->publish_dataset(name, keys, override);
}

}  // namespace tessera
