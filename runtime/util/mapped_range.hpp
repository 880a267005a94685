#pragma once
// A read-only memory mapping of a byte range of a file, and a way to read it
// that survives the file shrinking underneath.
//
// Reading a file through a mapping copies nothing out of the page cache (a
// pread copies every byte), and a transposed or strided read can walk the
// cached pages directly. The catch: if another process truncates the file
// while it is mapped, touching a page past the new end raises SIGBUS, which
// would kill the worker. Every read of mapped memory therefore goes through
// run_guarded, which turns that SIGBUS into a `false` return the caller
// reports as a ValueError naming the file.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace tessera {

class MappedFile;

/// A byte range of a file, read through a mapping of the whole file that is
/// shared by every range of it and kept across tasks (the few most recently
/// used files stay mapped), so the page tables are filled once per file,
/// not once per block read.
class MappedRange {
 public:
  /// Maps bytes [offset, offset + length) of `path`. Throws ValueError naming
  /// the file when it cannot be opened or mapped, or is shorter than the range.
  MappedRange(const std::string& path, std::int64_t offset, std::int64_t length);
  ~MappedRange();
  MappedRange(const MappedRange&) = delete;
  MappedRange& operator=(const MappedRange&) = delete;

  /// The first byte of the range (valid for `length` bytes).
  const std::byte* data() const noexcept { return data_; }
  std::int64_t length() const noexcept { return length_; }
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  std::shared_ptr<const MappedFile> file_;
  const std::byte* data_ = nullptr;
  std::int64_t length_ = 0;
};

/// Runs fn(context) and returns true, or returns false when fn touched mapped
/// memory past the end of a truncated file (SIGBUS). fn must not throw,
/// allocate or own anything with a destructor: on SIGBUS its frames are left
/// by a long jump.
bool run_guarded(void (*fn)(void* context), void* context) noexcept;

}  // namespace tessera
