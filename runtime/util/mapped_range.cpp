#include "runtime/util/mapped_range.hpp"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

#include "runtime/util/error.hpp"

namespace tessera {
namespace {

thread_local sigjmp_buf* t_guard = nullptr;
struct sigaction g_previous {};

/// A SIGBUS inside run_guarded jumps back to it. Any other is passed to the
/// handler that was there before (a sanitizer's, say), or gets the default
/// action: resetting it and returning re-raises the fault.
void on_sigbus(int sig, siginfo_t* info, void* ucontext) {
  if (sigjmp_buf* guard = t_guard) {
    t_guard = nullptr;
    siglongjmp(*guard, 1);
  }
  if ((g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_sigaction) {
    g_previous.sa_sigaction(sig, info, ucontext);
    return;
  }
  if (!(g_previous.sa_flags & SA_SIGINFO) && g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN) {
    g_previous.sa_handler(sig);
    return;
  }
  ::signal(SIGBUS, SIG_DFL);
}

void install_handler() {
  struct sigaction sa {};
  sa.sa_sigaction = on_sigbus;
  // SA_NODEFER: SIGBUS stays unblocked after the long jump out of the
  // handler, so sigsetjmp need not save and restore the signal mask.
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGBUS, &sa, &g_previous);
}

std::string errno_text() { return std::strerror(errno); }

}  // namespace

/// One read-only mapping of a whole file, as it was when mapped.
class MappedFile {
 public:
  MappedFile(const std::string& path, int fd, const struct stat& st) : identity_(identity_of(st)), size_(st.st_size) {
    if (size_ == 0) return;
    map_ = ::mmap(nullptr, static_cast<std::size_t>(size_), PROT_READ, MAP_SHARED, fd, 0);
    if (map_ == MAP_FAILED) {
      map_ = nullptr;
      throw ValueError("cannot map " + path + ": " + errno_text());
    }
  }
  ~MappedFile() {
    if (map_) ::munmap(map_, static_cast<std::size_t>(size_));
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  /// What tells a file rewritten or replaced since it was mapped.
  struct Identity {
    dev_t dev;
    ino_t ino;
    off_t size;
    std::int64_t mtime_ns;
    bool operator==(const Identity&) const = default;
  };
  static Identity identity_of(const struct stat& st) {
    return {st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
  }
  const Identity& identity() const noexcept { return identity_; }
  const std::byte* data() const noexcept { return static_cast<const std::byte*>(map_); }

 private:
  Identity identity_;
  off_t size_;
  void* map_ = nullptr;
};

namespace {

/// The most recently used mappings, by path. A file whose identity changed
/// (rewritten, replaced, truncated) is mapped anew; ranges still reading
/// the old mapping keep it alive.
class MappingCache {
 public:
  std::shared_ptr<const MappedFile> get(const std::string& path, int fd, const struct stat& st) {
    const auto id = MappedFile::identity_of(st);
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != path) continue;
      if (it->second->identity() == id) {
        auto file = it->second;
        entries_.erase(it);
        entries_.emplace_back(path, file);
        return file;
      }
      entries_.erase(it);
      break;
    }
    auto file = std::make_shared<const MappedFile>(path, fd, st);
    entries_.emplace_back(path, file);
    if (entries_.size() > capacity) entries_.erase(entries_.begin());
    return file;
  }

 private:
  static constexpr std::size_t capacity = 8;
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<const MappedFile>>> entries_;  // least recent first
};

MappingCache& mapping_cache() {
  static auto* cache = new MappingCache();  // never destroyed: tasks may outlive static destruction
  return *cache;
}

}  // namespace

MappedRange::MappedRange(const std::string& path, std::int64_t offset, std::int64_t length)
    : path_(path), length_(length) {
  if (offset < 0 || length < 0) throw ValueError("cannot map a negative byte range of " + path);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ValueError("cannot open " + path + ": " + errno_text());
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string why = errno_text();
    ::close(fd);
    throw ValueError("cannot stat " + path + ": " + why);
  }
  if (st.st_size < offset + length) {
    ::close(fd);
    throw ValueError(path + " ends before byte " + std::to_string(offset + length) + " (it has " +
                     std::to_string(st.st_size) + " bytes)");
  }
  if (length == 0) {
    ::close(fd);
    return;
  }
  try {
    file_ = mapping_cache().get(path, fd, st);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  data_ = file_->data() + offset;
}

MappedRange::~MappedRange() = default;

bool run_guarded(void (*fn)(void*), void* context) noexcept {
  static std::once_flag installed;
  std::call_once(installed, install_handler);
  sigjmp_buf guard;
  if (sigsetjmp(guard, 0) != 0) return false;
  t_guard = &guard;
  fn(context);
  t_guard = nullptr;
  return true;
}

}  // namespace tessera
