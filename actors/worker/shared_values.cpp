#include "actors/worker/shared_values.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <iostream>

#include "actors/worker/spill_store.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {

void SharedValues::put(TaskId id, Value value) {
  Held dropped;  // freed outside the lock
  std::lock_guard lock(mutex_);
  auto& held = values_[id];
  dropped = std::exchange(held, Held{std::move(value), {}});
}

void SharedValues::spilled(TaskId id, std::filesystem::path file) {
  Value dropped;  // freed outside the lock
  std::lock_guard lock(mutex_);
  auto it = values_.find(id);
  if (it == values_.end()) return;
  dropped = std::exchange(it->second.value, Value());
  it->second.file = std::move(file);
}

void SharedValues::unspilled(TaskId id, const Value& value) {
  std::lock_guard lock(mutex_);
  auto it = values_.find(id);
  if (it == values_.end()) return;
  it->second.value = value;
  it->second.file.clear();
}

void SharedValues::erase(TaskId id) {
  Held dropped;  // freed outside the lock
  std::lock_guard lock(mutex_);
  if (auto it = values_.find(id); it != values_.end()) {
    dropped = std::move(it->second);
    values_.erase(it);
  }
}

void SharedValues::clear() {
  absl::flat_hash_map<TaskId, Held> dropped;
  absl::flat_hash_map<std::string, Pushed> dropped_pushes;
  std::lock_guard lock(mutex_);
  dropped.swap(values_);
  dropped_pushes.swap(pushed_);
}

std::size_t SharedValues::size() const {
  std::lock_guard lock(mutex_);
  return values_.size();
}

std::optional<Value> SharedValues::find(std::uint64_t id, std::string_view key) {
  std::filesystem::path file;
  int fd = -1;
  {
    std::lock_guard lock(mutex_);
    auto it = values_.find(id);
    if (it == values_.end()) return std::nullopt;
    if (it->second.file.empty()) return it->second.value;
    file = it->second.file;
    fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  }
  if (fd < 0) {
    std::cerr << "tessera worker: cannot serve " << key << " from its spill file " << file << std::endl;
    return std::nullopt;
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  try {
    return read_spilled(fd, file);  // outside the lock: the worker goes on meanwhile
  } catch (const std::exception& e) {
    std::cerr << "tessera worker: cannot serve " << key << ": " << e.what() << std::endl;
    return std::nullopt;
  }
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
