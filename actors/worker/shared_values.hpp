#pragma once
// SharedValues: the large values of one worker's store, readable by its data
// server's io threads while the worker actor owns the store itself.
//
// DESIGN.md's two planes: a value of at least `threshold` bytes does not
// travel in a CAF message. Its holder answers get_data with "on the data
// plane at ADDRESS", and the fetcher streams it from the holder's DataServer,
// which serves it from here. Copies are cheap (a Value shares its buffers).
//
// A value the worker spilled is held here as its file only (so that its
// memory is freed), and read from the file when a peer asks: the file is
// opened under the lock, so a release or read-back racing it cannot pull the
// file away (an open file outlives its deletion).
#include <absl/container/flat_hash_map.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "actors/protocol/messages.hpp"
#include "net/data_provider.hpp"

namespace tessera::actors {

class SharedValues final : public net::DataProvider {
 public:
  explicit SharedValues(std::size_t threshold = std::size_t{1} << 20) : threshold_(threshold) {}

  /// Values of at least this many bytes are served here.
  std::size_t threshold() const noexcept { return threshold_; }
  bool serves(const Value& v) const { return v.nbytes() >= threshold_; }

  void put(TaskId id, Value value);
  /// The value of `id` (when held here) is now only in `file`: its memory goes.
  void spilled(TaskId id, std::filesystem::path file);
  /// The value of `id` (when held here) is back in memory.
  void unspilled(TaskId id, const Value& value);
  void erase(TaskId id);
  void clear();
  std::size_t size() const;

  /// The value of task `id`. The worker's store is keyed by task id alone (ids
  /// are per scheduler connection, and a reconnecting worker starts empty), so
  /// `key` is only echoed back to the fetcher, which checks it.
  std::optional<Value> find(std::uint64_t id, std::string_view key) override;
  /// A value a client pushed while scattering: kept aside by key until the
  /// scheduler, told by the client where it landed, has the worker adopt it
  /// (take_pushed). The connection was authenticated (cluster secret); pushes
  /// never adopted (the client died meanwhile) are dropped after an hour.
  void store(std::uint64_t id, std::string key, Value value) override;
  /// The pushed value of `key`, removed from the side; nullopt when none.
  std::optional<Value> take_pushed(const std::string& key);
  std::size_t num_pushed() const;

 private:
  struct Held {
    Value value;
    std::filesystem::path file;  // non-empty: spilled, the value is in this file
  };
  struct Pushed {
    Value value;
    std::chrono::steady_clock::time_point at;
  };
  const std::size_t threshold_;
  mutable std::mutex mutex_;
  absl::flat_hash_map<TaskId, Held> values_;
  absl::flat_hash_map<std::string, Pushed> pushed_;
};

}  // namespace tessera::actors
