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
#include <functional>
#include <list>
#include <string>
#include <utility>
#include <vector>

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

/// The value in a file the store wrote (a SpillStore's file, or one a
/// reader opened: `fd`, then `path` only names it in errors). Throws
/// ValueError naming the file when it cannot be read back.
Value read_spilled(const std::filesystem::path& path);
Value read_spilled(int fd, const std::filesystem::path& path);

/// Told when a value leaves memory for its file or comes back (SharedValues
/// follows the store this way, so that it never keeps a spilled value alive).
struct SpillObserver {
  /// After the file is written, before the store drops its value.
  std::function<void(std::uint64_t id, const std::filesystem::path& file)> spilled;
  /// After the value is read back, before its file is deleted.
  std::function<void(std::uint64_t id, const Value& v)> unspilled;
};

/// A value written to disk or read back, with when (seconds since the
/// epoch), for the dashboard's task stream.
struct SpillEvent {
  bool spill = true;  // false: read back
  double start = 0, stop = 0;
  std::uint64_t id = 0;
  std::size_t bytes = 0;
};

class SpillStore {
 public:
  /// `local_directory`: where the store makes its folder (created if
  /// missing); empty: the system's temporary directory. `target_bytes`: the
  /// memory the values may take before the least recently used are spilled
  /// (0: never spill). The folder itself is made when first needed.
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
  /// The value's size in bytes (held in memory or not); 0 when not held.
  std::size_t nbytes_of(std::uint64_t id) const;
  /// Drops the value (and its file); false when it was not held.
  bool erase(std::uint64_t id);
  /// Drops every value and file.
  void clear();

  /// Spills least recently used values until the memory they take is at
  /// most `target`; returns false when a write failed (see metrics()).
  bool spill_to(std::size_t target);
  /// Spills the least recently used value in memory; false when none is left
  /// or its write failed.
  bool spill_oldest();
  void set_observer(SpillObserver observer) { observer_ = std::move(observer); }
  /// The spills and read-backs since the last call (at most max_events;
  /// older ones beyond that are dropped).
  std::vector<SpillEvent> take_events() { return std::exchange(events_, {}); }
  static constexpr std::size_t max_events = 1000;
  void set_target(std::size_t target_bytes) { target_ = target_bytes; }
  std::size_t target() const noexcept { return target_; }

  std::size_t size() const noexcept { return entries_.size(); }
  /// Calls `f(id)` for every value held, in no particular order.
  template <class F>
  void for_each_id(F&& f) const {
    for (const auto& entry : entries_) f(entry.first);
  }
  std::size_t memory_bytes() const noexcept { return memory_bytes_; }
  std::size_t spilled_bytes() const noexcept { return spilled_bytes_; }
  std::size_t num_spilled() const noexcept { return num_spilled_; }
  bool is_spilled(std::uint64_t id) const;
  const SpillMetrics& metrics() const noexcept { return metrics_; }
  /// The folder of this store's files (made now if it was not yet), and the
  /// file a spilled `id` is in.
  const std::filesystem::path& directory();
  std::filesystem::path path_of(std::uint64_t id);
  /// The folder when made, else empty.
  const std::filesystem::path& made_directory() const noexcept { return directory_; }
  /// The local directory the folder is made in.
  const std::filesystem::path& local_directory() const noexcept { return parent_; }

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

  std::filesystem::path parent_, directory_;  // directory_: empty until made
  std::size_t target_;
  SpillObserver observer_;
  std::vector<SpillEvent> events_;
  void record(bool spill, std::chrono::system_clock::time_point start, std::uint64_t id, std::size_t bytes);
  absl::flat_hash_map<std::uint64_t, Entry> entries_;
  std::list<std::uint64_t> lru_;  // most recently used first
  std::size_t memory_bytes_ = 0, spilled_bytes_ = 0, num_spilled_ = 0;
  SpillMetrics metrics_;
};

}  // namespace tessera::actors
