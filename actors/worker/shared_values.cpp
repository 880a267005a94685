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
  absl::flat_hash_map<std::string, Pushed> dropped_pushes;
  std::lock_guard lock(mutex_);
  dropped.swap(values_);
  dropped_pushes.swap(pushed_);
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

void SharedValues::store(std::uint64_t, std::string key, Value value) {
  constexpr auto abandoned_after = std::chrono::hours(1);
  auto now = std::chrono::steady_clock::now();
  std::vector<Value> dropped;  // freed outside the lock
  std::lock_guard lock(mutex_);
  for (auto it = pushed_.begin(); it != pushed_.end();) {
    if (now - it->second.at > abandoned_after) {
      dropped.push_back(std::move(it->second.value));
      pushed_.erase(it++);
    } else {
      ++it;
    }
  }
  pushed_.insert_or_assign(std::move(key), Pushed{std::move(value), now});
}

std::optional<Value> SharedValues::take_pushed(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = pushed_.find(key);
  if (it == pushed_.end()) return std::nullopt;
  auto v = std::move(it->second.value);
  pushed_.erase(it);
  return v;
}

std::size_t SharedValues::num_pushed() const {
  std::lock_guard lock(mutex_);
  return pushed_.size();
}

}  // namespace tessera::actors
