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
#include <string>
#include <string_view>
#include <vector>

#include "collections/bag/bag.hpp"

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

}  // namespace tessera::bag
