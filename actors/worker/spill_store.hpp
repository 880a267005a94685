#pragma once
// SpillStore: a worker's values, kept in memory up to a target number of
// bytes; past it, the least recently used values are written to disk (the
// one cereal format, runtime/serial) and read back when asked for, as Dask's
// zict-based worker data. Each value on disk is one file in a folder of its
// own under the local directory, deleted when the value is released; the
// folder goes when the store does.
//
// A write that fails (a full disk) leaves the value in memory and is
// reported, never lost. Not thread-safe: it lives in the worker actor.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <list>
#include <string>

#include <absl/container/flat_hash_map.h>

#include "runtime/value/value.hpp"

namespace tessera::actors {

struct SpillMetrics {
  std::uint64_t spilled = 0, unspilled = 0;              // values written out / read back
  std::uint64_t spilled_bytes = 0, unspilled_bytes = 0;  // their nbytes, cumulative
  double spill_seconds = 0, unspill_seconds = 0;
  std::uint64_t failed = 0;  // writes that failed (the value stayed in memory)
  std::string last_error;    // the last failure, "" when none
};

class SpillStore {
 public:
  /// `local_directory`: where the store makes its folder (created if
  /// missing); empty: the system's temporary directory. `target_bytes`: the
  /// memory the values may take before the least recently used are spilled
  /// (0: never spill).
  SpillStore(std::filesystem::path local_directory, std::size_t target_bytes);
  ~SpillStore();
  SpillStore(const SpillStore&) = delete;
  SpillStore& operator=(const SpillStore&) = delete;

  /// Keeps `v` under `id` (replacing an earlier value) as the most recently
  /// used, then spills down to the target.
  void put(std::uint64_t id, Value v);
  /// The value, read back from disk when it was spilled (it is then in
  /// memory again, most recently used). Throws KeyError when `id` is not
  /// held, ValueError when its file cannot be read back.
  Value get(std::uint64_t id);
  /// The value if it is in memory (not touched as used), else null.
  const Value* find_in_memory(std::uint64_t id) const;
  bool contains(std::uint64_t id) const { return entries_.contains(id); }
  /// Drops the value (and its file); false when it was not held.
  bool erase(std::uint64_t id);
  /// Drops every value and file.
  void clear();

  /// Spills least recently used values until the memory they take is at
  /// most `target`; returns false when a write failed (see metrics()).
  bool spill_to(std::size_t target);
  void set_target(std::size_t target_bytes) { target_ = target_bytes; }
  std::size_t target() const noexcept { return target_; }

  std::size_t size() const noexcept { return entries_.size(); }
  std::size_t memory_bytes() const noexcept { return memory_bytes_; }
  std::size_t spilled_bytes() const noexcept { return spilled_bytes_; }
  std::size_t num_spilled() const noexcept { return num_spilled_; }
  bool is_spilled(std::uint64_t id) const;
  const SpillMetrics& metrics() const noexcept { return metrics_; }
  /// The folder of this store's files, and the file a spilled `id` is in.
  const std::filesystem::path& directory() const noexcept { return directory_; }
  std::filesystem::path path_of(std::uint64_t id) const;

 private:
  struct Entry {
    Value value;  // none while spilled
    std::size_t nbytes = 0;
    bool spilled = false;
    std::list<std::uint64_t>::iterator lru;  // valid while in memory
  };
  // Holds `v` in memory as the most recently used.
  void bring_in(Entry& e, std::uint64_t id, Value v);
  bool spill(std::uint64_t id, Entry& e);
  void forget_file(std::uint64_t id, Entry& e);

  std::filesystem::path directory_;
  std::size_t target_;
  absl::flat_hash_map<std::uint64_t, Entry> entries_;
  std::list<std::uint64_t> lru_;  // most recently used first
  std::size_t memory_bytes_ = 0, spilled_bytes_ = 0, num_spilled_ = 0;
  SpillMetrics metrics_;
};

}  // namespace tessera::actors
