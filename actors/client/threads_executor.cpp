#include "actors/client/threads_executor.hpp"

#include "actors/client/client.hpp"

namespace tessera {
namespace {

class ThreadsExecutor final : public Executor {
 public:
  ThreadsExecutor()
      : cluster_(std::make_unique<LocalCluster>(LocalClusterOptions{1, 0})),
        core_(actors::ClientCore::connect(cluster_->system(), cluster_->scheduler())) {}
  // Destroyed at exit (see shutdown_executors).
  ~ThreadsExecutor() override {
    core_.reset();
    cluster_->stop_at_exit();
  }
  std::string name() const override { return "threads"; }
  std::vector<Value> compute(const HighLevelGraph& graph, std::span<const Key> outputs) override {
    return compute_on(core_, graph, outputs);
  }

 private:
  std::unique_ptr<LocalCluster> cluster_;
  std::shared_ptr<actors::ClientCore> core_;
};

}  // namespace

bool register_threads_executor() {
  static const bool done = [] {
    auto factory = [] { return std::make_shared<ThreadsExecutor>(); };
    register_executor("threads", factory);
    register_executor("local", factory);
    return true;
  }();
  return done;
}

}  // namespace tessera
