#include "runtime/exec/executor.hpp"

#include <cstdlib>
#include <map>
#include <mutex>

#include "runtime/exec/sync_executor.hpp"
#include "runtime/util/error.hpp"

namespace tessera {
namespace {

struct ExecutorConfig {
  std::mutex mutex;
  std::map<std::string, ExecutorFactory, std::less<>> factories;
  std::map<std::string, ExecutorPtr, std::less<>> instances;
  std::string default_name = "threads";
  ExecutorPtr default_executor;

  ExecutorConfig() {
    factories["sync"] = [] { return std::make_shared<SyncExecutor>(); };
    factories["single-threaded"] = factories["sync"];
    factories["synchronous"] = factories["sync"];
  }
};

ExecutorConfig& cfg() {
  static ExecutorConfig c;
  return c;
}

ExecutorPtr by_name(ExecutorConfig& c, std::string_view name) {
  if (auto it = c.instances.find(name); it != c.instances.end()) return it->second;
  auto f = c.factories.find(name);
  if (f == c.factories.end()) {
    std::string known;
    for (const auto& [n, _] : c.factories) known += (known.empty() ? "" : ", ") + n;
    throw ValueError("unknown scheduler '" + std::string(name) + "' (known: " + known + ")");
  }
  auto e = f->second();
  c.instances.emplace(std::string(name), e);
  static const bool at_exit = [] { return std::atexit(shutdown_executors) == 0; }();
  (void)at_exit;
  return e;
}

}  // namespace

void shutdown_executors() {
  std::map<std::string, ExecutorPtr, std::less<>> instances;
  ExecutorPtr default_executor;
  {
    auto& c = cfg();
    std::lock_guard lock(c.mutex);
    instances.swap(c.instances);
    default_executor.swap(c.default_executor);
  }
  // Destroyed here, outside the lock.
}

bool register_executor(const std::string& name, ExecutorFactory factory) {
  auto& c = cfg();
  std::lock_guard lock(c.mutex);
  c.factories[name] = std::move(factory);
  c.instances.erase(name);
  return true;
}

ExecutorPtr get_executor(std::string_view name) {
  auto& c = cfg();
  std::lock_guard lock(c.mutex);
  if (name.empty()) {
    if (c.default_executor) return c.default_executor;
    return by_name(c, c.default_name);
  }
  return by_name(c, name);
}

namespace config {

void set_scheduler(const std::string& name) {
  auto& c = cfg();
  std::lock_guard lock(c.mutex);
  if (!c.factories.count(name)) (void)by_name(c, name);  // throws the helpful error
  c.default_name = name;
  c.default_executor = nullptr;
}

void set_default_executor(ExecutorPtr executor) {
  auto& c = cfg();
  std::lock_guard lock(c.mutex);
  c.default_executor = std::move(executor);
}

std::string scheduler() {
  auto& c = cfg();
  std::lock_guard lock(c.mutex);
  return c.default_executor ? c.default_executor->name() : c.default_name;
}

ScopedScheduler::ScopedScheduler(const std::string& name) {
  {
    auto& c = cfg();
    std::lock_guard lock(c.mutex);
    previous_name_ = c.default_name;
    previous_executor_ = c.default_executor;
  }
  set_scheduler(name);
}

ScopedScheduler::~ScopedScheduler() {
  auto& c = cfg();
  std::lock_guard lock(c.mutex);
  c.default_name = previous_name_;
  c.default_executor = previous_executor_;
}

}  // namespace config
}  // namespace tessera
