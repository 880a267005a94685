#pragma once
// read_text: a bag of the lines of text files, as dask.bag.read_text.
//
// Each file is split into blocks of `blocksize` bytes (0: one block per
// file); a block holds the lines whose first byte lies inside it, so every
// partition reads only its own byte range (plus the end of its last line)
// and no line is lost or read twice. Lines keep no trailing "\n" (nor "\r\n").
// Files ending in ".gz" are read whole through zlib, one partition each.
// Text must be UTF-8: invalid input fails the task with an error naming the
// file and the byte offset.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collections/bag/bag.hpp"
#include "runtime/value/buffer.hpp"

namespace tessera::bag {

struct ReadTextOptions {
  /// Bytes per partition; 0 = one partition per file. Ignored for .gz files.
  std::int64_t blocksize = 0;
};

/// The lines of the files matching `pattern` (a path or a glob: * ? [...]).
/// Throws ValueError at graph-build time naming a missing file or a glob that
/// matches nothing.
Bag read_text(const std::string& pattern, ReadTextOptions options = {});
/// The lines of `paths`, in order (each a path or a glob).
Bag read_text(const std::vector<std::string>& paths, ReadTextOptions options = {});

/// The offset of the first byte of `text` that is not valid UTF-8, or npos.
std::size_t invalid_utf8_offset(std::string_view text);

/// The text of one read_text partition, followed by 64 zero bytes (so that
/// simdjson may parse lines in place).
struct TextBlock {
  std::shared_ptr<Buffer> buffer;
  std::size_t size = 0;
  std::string_view text() const noexcept {
    return {buffer ? reinterpret_cast<const char*>(buffer->data()) : "", size};
  }
  /// Bytes readable from `p` on (for simdjson's capacity argument).
  std::size_t capacity_from(const char* p) const noexcept {
    return size + kPadding - static_cast<std::size_t>(p - text().data());
  }
  static constexpr std::size_t kPadding = 64;
};

/// Reads one partition's source, ["block", path, start, end] or
/// ["gzip", path], and checks that it is UTF-8 (ValueError naming the file
/// and byte offset otherwise).
TextBlock read_source(const Value& source);

/// Calls fn(line) for each line of `text` (without "\n" or "\r\n").
template <class F>
void for_each_line(std::string_view text, F&& fn) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find('\n', i);
    std::size_t end = j == std::string_view::npos ? text.size() : j;
    std::size_t e = end;
    if (e > i && text[e - 1] == '\r') --e;
    fn(text.substr(i, e - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
}

}  // namespace tessera::bag
