#include "actors/client/client.hpp"

#include "net/auth_token.hpp"

namespace tessera {
namespace {

/// A Client seen as an Executor: compute = submit, wait, gather, release.
class ClientExecutor final : public Executor {
 public:
  explicit ClientExecutor(std::weak_ptr<actors::ClientCore> core) : core_(std::move(core)) {}
  std::string name() const override { return "client"; }
  std::vector<Value> compute(const HighLevelGraph& graph, std::span<const Key> outputs) override {
    auto core = core_.lock();
    if (!core) throw Error("the Client behind this executor was closed");
    return compute_on(core, graph, outputs);
  }

 private:
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

Client::Client() : Client(LocalClusterOptions{}) {}

Client::Client(LocalClusterOptions options) : owned_(std::make_unique<LocalCluster>(options)) {
  connect(*owned_);
}

Client::Client(LocalCluster& cluster) { connect(cluster); }

Client::Client(const std::string& address, ClientOptions options)
    : remote_(std::make_unique<actors::RemoteConnection>(address, options.timeout,
                                                         actors::NodeConfig{.automatic_connections = false})) {
  actors::ClientConnectOptions co;
  co.auth_token = net::auth_token_or_env(options.auth_token);
  co.remote = true;
  co.timeout = options.timeout;
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

}  // namespace tessera
