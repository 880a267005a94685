#include "actors/worker/shared_values.hpp"

#include "runtime/util/error.hpp"

namespace tessera::actors {

void SharedValues::put(TaskId id, Value value) {
  std::lock_guard lock(mutex_);
  values_.insert_or_assign(id, std::move(value));
}

void SharedValues::erase(TaskId id) {
  Value dropped;  // freed outside the lock
  std::lock_guard lock(mutex_);
  if (auto it = values_.find(id); it != values_.end()) {
    dropped = std::move(it->second);
    values_.erase(it);
  }
}

void SharedValues::clear() {
  absl::flat_hash_map<TaskId, Value> dropped;
  std::lock_guard lock(mutex_);
  dropped.swap(values_);
}

std::size_t SharedValues::size() const {
  std::lock_guard lock(mutex_);
  return values_.size();
}

std::optional<Value> SharedValues::find(std::uint64_t id, std::string_view) {
  std::lock_guard lock(mutex_);
  auto it = values_.find(id);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void SharedValues::store(std::uint64_t, std::string key, Value) {
  throw Error("this worker does not accept pushed values ('" + key + "'): scatter through the scheduler");
}

}  // namespace tessera::actors
