#include "actors/worker/task_actor.hpp"

#include <caf/all.hpp>

#include <absl/container/flat_hash_map.h>

#include <chrono>

#include "actors/util/default_handlers.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {
namespace {

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

/// Resolves the inputs of one task: a scan for a few inputs, a hash map for many.
class InputLookup final : public ValueLookup {
 public:
  explicit InputLookup(const std::vector<std::pair<Key, Value>>& inputs) : inputs_(inputs) {
    if (inputs.size() > 16) {
      map_.reserve(inputs.size());
      for (const auto& [k, v] : inputs) map_.emplace(k.str(), &v);
    }
  }
  const Value& get(const Key& key) const override {
    if (!map_.empty()) {
      if (auto it = map_.find(key.str()); it != map_.end()) return *it->second;
    } else {
      for (const auto& [k, v] : inputs_)
        if (k == key) return v;
    }
    throw KeyError("input " + key.str() + " is not available on this worker");
  }

 private:
  const std::vector<std::pair<Key, Value>>& inputs_;
  absl::flat_hash_map<std::string_view, const Value*> map_;
};

}  // namespace

TaskOutcome run_one(const TaskRun& run) {
  TaskOutcome o;
  o.id = run.id;
  o.start = now_seconds();
  try {
    InputLookup lookup(run.inputs);
    o.value = run_task(*run.spec, lookup);
    o.nbytes = o.value.nbytes();
  } catch (const TaskError& e) {  // inside a fused call: names the fused task
    o.ok = false;
    o.error_key = e.key();
    o.error_function = e.function();
    o.error_message = e.original_message();
  } catch (const FunctionFailure& f) {
    o.ok = false;
    o.error_function = f.function();
    o.error_message = f.message();
  } catch (const std::exception& e) {
    o.ok = false;
    o.error_function = run.spec->function_name();
    o.error_message = e.what();
  }
  o.stop = now_seconds();
  return o;
}

caf::actor spawn_task_actor(caf::actor_system& sys, caf::actor worker, std::uint32_t index) {
  return sys.spawn([worker, index](caf::event_based_actor* self) -> caf::behavior {
    install_default_handlers(self, "task actor");
    return {
        [=](run_atom, TaskRunBatch& batch) {
          OutcomeBatch out;
          out.reserve(batch.size());
          for (const auto& run : batch) out.push_back(run_one(run));
          self->send(worker, done_atom_v, index, std::move(out));
        },
    };
  });
}

}  // namespace tessera::actors
