#pragma once
// What a DataServer serves from and stores into: the worker's data store.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runtime/value/value.hpp"

namespace tessera::net {

/// The values a DataServer answers fetches from and stores pushes into.
/// Thread-safety: called from the server's io threads, several at once.
class DataProvider {
 public:
  virtual ~DataProvider() = default;
  /// The value of task `id`, or nullopt when it is not held here or is held
  /// under another key than `key` (a sanity check: ids are per scheduler).
  /// Copying a Value is cheap (its payload is shared).
  virtual std::optional<Value> find(std::uint64_t id, std::string_view key) = 0;
  /// Stores a value pushed by a client. Throw to refuse it: the message goes
  /// back to the client as an error naming the key.
  virtual void store(std::uint64_t id, std::string key, Value value) = 0;
};

/// A DataProvider over a mutex-protected map (tests; a simple worker store).
class MapDataProvider : public DataProvider {
 public:
  std::optional<Value> find(std::uint64_t id, std::string_view key) override {
    std::lock_guard lock(mutex_);
    auto it = values_.find(id);
    if (it == values_.end() || it->second.first != key) return std::nullopt;
    return it->second.second;
  }
  void store(std::uint64_t id, std::string key, Value value) override {
    std::lock_guard lock(mutex_);
    values_.insert_or_assign(id, std::pair{std::move(key), std::move(value)});
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return values_.size();
  }
  void erase(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    values_.erase(id);
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::pair<std::string, Value>> values_;
};

}  // namespace tessera::net
