#include "tools/repl/cluster.hpp"

#include <caf/scoped_actor.hpp>

#include <thread>

#include "actors/protocol/messages.hpp"

#include "net/auth_token.hpp"
#include "tools/dashboard/dashboard.hpp"
#include "tools/repl/interpreter.hpp"

namespace tessera::repl {
namespace {

/// .compute() from the REPL: submit, wait (Ctrl-C cancels), gather, release.
class CancellableExecutor final : public Executor {
 public:
  explicit CancellableExecutor(std::shared_ptr<actors::ClientCore> core) : core_(std::move(core)) {}
  std::string name() const override { return "client"; }
  std::vector<Value> compute(const HighLevelGraph& graph, std::span<const Key> outputs) override {
    std::vector<Key> keys(outputs.begin(), outputs.end());
    auto opt = optimize(graph, keys);
    core_->acquire(keys);
    std::vector<Future<Value>> holds;  // releases the keys however we leave
    holds.reserve(keys.size());
    for (const auto& k : keys) holds.emplace_back(core_, k);
    core_->submit(std::move(opt), keys);
    wait_interruptibly(*core_, keys);
    return core_->gather(keys);
  }

 private:
  std::shared_ptr<actors::ClientCore> core_;
};

std::string ask_dashboard(actors::ClientCore& core) {
  std::string url;
  caf::scoped_actor self{core.system()};
  self->request(core.scheduler(), std::chrono::seconds(2), actors::dashboard_atom_v,
                net::auth_token_or_env(""))
      .receive([&](const std::string& u) { url = u; }, [](caf::error&) {});
  return url;
}

}  // namespace

ReplCluster::ReplCluster(const ClusterOptions& o) {
  if (o.address.empty()) {
    client_ = std::make_unique<Client>(LocalClusterOptions{.n_workers = o.workers, .threads_per_worker = o.threads});
    address_ = "in-process (" + std::to_string(o.workers) + " worker" + (o.workers == 1 ? "" : "s") + " x " +
               std::to_string(o.threads) + " thread" + (o.threads == 1 ? "" : "s") + ")";
    if (o.dashboard_port >= 0) {
      try {
        auto* cluster = client_->cluster();
        dashboard_server_ = std::make_unique<tools::Dashboard>(
            cluster->system(), cluster->scheduler(),
            tools::DashboardOptions{.host = "127.0.0.1", .port = static_cast<std::uint16_t>(o.dashboard_port)});
        dashboard_ = dashboard_server_->address();
      } catch (const std::exception&) {
        dashboard_.clear();  // no dashboard: the REPL works without one
      }
    }
  } else {
    client_ = std::make_unique<Client>(o.address);
    address_ = client_->core()->scheduler_address();
    if (address_.empty()) address_ = o.address;
    dashboard_ = ask_dashboard(*client_->core());
  }
  executor_ = std::make_shared<CancellableExecutor>(client_->core());
  config::set_default_executor(executor_);
}

ReplCluster::~ReplCluster() {
  config::set_default_executor(nullptr);
  executor_.reset();
  dashboard_server_.reset();  // it asks the scheduler for snapshots: goes first
  client_.reset();
}

void wait_interruptibly(actors::ClientCore& core, const std::vector<Key>& keys) {
  for (;;) {
    if (core.wait(keys, std::chrono::steady_clock::now() + std::chrono::milliseconds(50))) return;
    if (interrupt_requested().exchange(false)) {
      core.cancel(keys);
      throw Interrupted("KeyboardInterrupt: the computation was cancelled on the cluster (" +
                        std::to_string(keys.size()) + " key" + (keys.size() == 1 ? "" : "s") + ")");
    }
  }
}

std::vector<Future<Value>> submit_keys(Client& client, const LayerPtr& layer, const std::vector<Key>& keys) {
  std::vector<Future<Value>> out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back(client.compute(Delayed<Value>(k, layer)));
  return out;
}

LayerPtr persisted_layer(const std::vector<Future<Value>>& futures) {
  std::string name = futures.empty() ? std::string("persisted") : std::string(futures.front().key().name());
  auto layer = std::make_shared<Layer>(name, std::vector<TaskSpec>{}, std::vector<LayerPtr>{});
  for (const auto& f : futures) {
    layer->external.push_back(f.key());
    layer->keep_alive.push_back(std::make_shared<Future<Value>>(f));
  }
  return layer;
}

}  // namespace tessera::repl
