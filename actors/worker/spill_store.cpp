#include "actors/worker/spill_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
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

// `parent` made if missing (empty: the system's temporary directory).
fs::path make_local_directory(fs::path parent) {
  if (parent.empty()) parent = fs::temp_directory_path();
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec) throw ValueError("spill: cannot create the local directory '" + parent.string() + "': " + ec.message());
  return parent;
}

// A new folder of its own under `parent`.
fs::path make_own_folder(const fs::path& parent) {
  std::error_code ec;
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

}  // namespace

Value read_spilled(int fd, const fs::path& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    throw ValueError("spill: cannot read back '" + path.string() + "': " + std::strerror(errno));
  const auto size = static_cast<std::size_t>(st.st_size);
  auto buffer = make_buffer(size);
  auto* dst = reinterpret_cast<char*>(buffer->mutable_data());
  for (std::size_t done = 0; done < size;) {
    const ssize_t got = ::pread(fd, dst + done, size - done, static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0)
      throw ValueError("spill: short read from '" + path.string() + "'" +
                       (got < 0 ? std::string(": ") + std::strerror(errno) : std::string()));
    done += static_cast<std::size_t>(got);
  }
  // Big blocks are used in place, in the one buffer the file was read into.
  std::string_view bytes(dst, size);
  try {
    return deserialize_value(bytes, std::shared_ptr<const void>(buffer, buffer->data()));
  } catch (const std::exception& e) {
    throw ValueError("spill: cannot read back '" + path.string() + "': " + e.what());
  }
}

Value read_spilled(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ValueError("spill: cannot read back '" + path.string() + "': " + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  return read_spilled(fd, path);
}

SpillStore::SpillStore(std::filesystem::path local_directory, std::size_t target_bytes)
    : parent_(make_local_directory(std::move(local_directory))), target_(target_bytes) {}

SpillStore::~SpillStore() {
  clear();
  std::error_code ec;
  if (!directory_.empty()) fs::remove_all(directory_, ec);  // best effort: nothing else is in it
}

const fs::path& SpillStore::directory() {
  if (directory_.empty()) directory_ = make_own_folder(parent_);
  return directory_;
}

fs::path SpillStore::path_of(std::uint64_t id) { return directory() / (std::to_string(id) + ".spill"); }

std::size_t SpillStore::nbytes_of(std::uint64_t id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? 0 : it->second.nbytes;
}

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
  const auto wall0 = std::chrono::system_clock::now();
  Value v = read_spilled(path_of(id));
  if (observer_.unspilled) observer_.unspilled(id, v);
  forget_file(id, e);
  bring_in(e, id, v);
  metrics_.unspilled += 1;
  metrics_.unspilled_bytes += e.nbytes;
  metrics_.unspill_seconds += seconds_since(t0);
  record(false, wall0, id, e.nbytes);
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

void SpillStore::record(bool spill, std::chrono::system_clock::time_point start, std::uint64_t id,
                        std::size_t bytes) {
  if (events_.size() >= max_events) return;
  using seconds = std::chrono::duration<double>;
  events_.push_back({spill, seconds(start.time_since_epoch()).count(),
                     seconds(std::chrono::system_clock::now().time_since_epoch()).count(), id, bytes});
}

bool SpillStore::spill(std::uint64_t id, Entry& e) {
  auto t0 = Clock::now();
  const auto wall0 = std::chrono::system_clock::now();
  std::string error;
  fs::path file;
  try {
    file = path_of(id);
    error = write_file(file, e.value);
  } catch (const std::exception& x) {  // the folder could not be made
    error = x.what();
  }
  if (!error.empty()) {
    metrics_.failed += 1;
    metrics_.last_error = error.rfind("spill: ", 0) == 0 ? error : "spill: " + error;
    return false;
  }
  if (observer_.spilled) observer_.spilled(id, file);
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
  record(true, wall0, id, e.nbytes);
  return true;
}

bool SpillStore::spill_to(std::size_t target) {
  // Oldest first. A failed write (a full disk) stops the round: the value
  // stays in memory, and so do the rest.
  while (memory_bytes_ > target && !lru_.empty())
    if (!spill(lru_.back(), entries_.at(lru_.back()))) return false;
  return memory_bytes_ <= target;
}

bool SpillStore::spill_oldest() {
  if (lru_.empty()) return false;
  return spill(lru_.back(), entries_.at(lru_.back()));
}

}  // namespace tessera::actors
