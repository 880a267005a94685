#include "actors/worker/spill_store.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "runtime/serial/serialize.hpp"
#include "runtime/util/error.hpp"
#include "runtime/value/buffer.hpp"

namespace tessera::actors {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// A new folder of its own under `parent` (created if missing).
fs::path make_own_folder(fs::path parent) {
  if (parent.empty()) parent = fs::temp_directory_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw ValueError("spill: cannot create the local directory '" + parent.string() + "': " + ec.message());
  std::mt19937_64 random(std::random_device{}());
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path p = parent / ("tessera-spill-" + std::to_string(::getpid()) + "-" + std::to_string(random() % 1000000));
    if (fs::create_directory(p, ec)) return p;
    if (ec) throw ValueError("spill: cannot create a folder in '" + parent.string() + "': " + ec.message());
  }
  throw ValueError("spill: no free folder name in '" + parent.string() + "'");
}

// Writes `v` to `path`; "" on success, else why not (the partial file is
// removed). The system's reason (errno) comes first: "No space left on device".
std::string write_file(const fs::path& path, const Value& v) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return "cannot open '" + path.string() + "': " + std::strerror(errno);
  std::string why;
  errno = 0;
  try {
    write_value(out, v);
    out.flush();
    if (!out) why = "the stream failed";
  } catch (const std::exception& e) {  // cereal's failed write, or a value that cannot be serialised
    why = e.what();
  }
  if (why.empty()) return "";
  const int err = errno;
  out.close();
  std::error_code ec;
  fs::remove(path, ec);
  return "cannot write '" + path.string() + "': " + (err != 0 ? std::string(std::strerror(err)) + " (" + why + ")" : why);
}

// The value in `path`, its big blocks used in place in one buffer.
Value read_file(const fs::path& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw ValueError("spill: cannot read back '" + path.string() + "': " + ec.message());
  std::ifstream in(path, std::ios::binary);
  auto buffer = make_buffer(size);
  if (!in.read(reinterpret_cast<char*>(buffer->mutable_data()), static_cast<std::streamsize>(size)))
    throw ValueError("spill: short read from '" + path.string() + "'");
  std::string_view bytes(reinterpret_cast<const char*>(buffer->data()), size);
  try {
    return deserialize_value(bytes, std::shared_ptr<const void>(buffer, buffer->data()));
  } catch (const std::exception& e) {
    throw ValueError("spill: cannot read back '" + path.string() + "': " + e.what());
  }
}

}  // namespace

SpillStore::SpillStore(std::filesystem::path local_directory, std::size_t target_bytes)
    : directory_(make_own_folder(std::move(local_directory))), target_(target_bytes) {}

SpillStore::~SpillStore() {
  clear();
  std::error_code ec;
  fs::remove_all(directory_, ec);  // best effort: nothing else is in it
}

fs::path SpillStore::path_of(std::uint64_t id) const { return directory_ / (std::to_string(id) + ".spill"); }

bool SpillStore::is_spilled(std::uint64_t id) const {
  auto it = entries_.find(id);
  return it != entries_.end() && it->second.spilled;
}

void SpillStore::bring_in(Entry& e, std::uint64_t id, Value v) {
  e.value = std::move(v);
  e.spilled = false;
  lru_.push_front(id);
  e.lru = lru_.begin();
  memory_bytes_ += e.nbytes;
}

void SpillStore::put(std::uint64_t id, Value v) {
  erase(id);
  Entry& e = entries_[id];
  e.nbytes = v.nbytes();
  bring_in(e, id, std::move(v));
  if (target_ > 0) spill_to(target_);
}

Value SpillStore::get(std::uint64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) throw KeyError("spill: no value " + std::to_string(id) + " is held");
  Entry& e = it->second;
  if (!e.spilled) {
    lru_.splice(lru_.begin(), lru_, e.lru);  // now the most recently used
    return e.value;
  }
  auto t0 = Clock::now();
  Value v = read_file(path_of(id));
  forget_file(id, e);
  bring_in(e, id, v);
  metrics_.unspilled += 1;
  metrics_.unspilled_bytes += e.nbytes;
  metrics_.unspill_seconds += seconds_since(t0);
  // Others make room; this one may go out again later, but the caller has it.
  if (target_ > 0) spill_to(target_);
  return v;
}

const Value* SpillStore::find_in_memory(std::uint64_t id) const {
  auto it = entries_.find(id);
  return it == entries_.end() || it->second.spilled ? nullptr : &it->second.value;
}

void SpillStore::forget_file(std::uint64_t id, Entry& e) {
  std::error_code ec;
  fs::remove(path_of(id), ec);
  spilled_bytes_ -= e.nbytes;
  num_spilled_ -= 1;
}

bool SpillStore::erase(std::uint64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return false;
  Entry& e = it->second;
  if (e.spilled) {
    forget_file(id, e);
  } else {
    lru_.erase(e.lru);
    memory_bytes_ -= e.nbytes;
  }
  entries_.erase(it);
  return true;
}

void SpillStore::clear() {
  while (!entries_.empty()) erase(entries_.begin()->first);
}

bool SpillStore::spill(std::uint64_t id, Entry& e) {
  auto t0 = Clock::now();
  std::string error = write_file(path_of(id), e.value);
  if (!error.empty()) {
    metrics_.failed += 1;
    metrics_.last_error = "spill: " + error;
    return false;
  }
  lru_.erase(e.lru);
  e.lru = lru_.end();
  e.value = Value();
  e.spilled = true;
  memory_bytes_ -= e.nbytes;
  spilled_bytes_ += e.nbytes;
  num_spilled_ += 1;
  metrics_.spilled += 1;
  metrics_.spilled_bytes += e.nbytes;
  metrics_.spill_seconds += seconds_since(t0);
  return true;
}

bool SpillStore::spill_to(std::size_t target) {
  // Oldest first. A failed write (a full disk) stops the round: the value
  // stays in memory, and so do the rest.
  while (memory_bytes_ > target && !lru_.empty())
    if (!spill(lru_.back(), entries_.at(lru_.back()))) return false;
  return memory_bytes_ <= target;
}

}  // namespace tessera::actors
