#pragma once
// Reading line-aligned byte ranges of text files, shared by the readers that
// split files into blocks (bag's read_text, dataframe's read_csv). Errors are
// ValueErrors prefixed with the reader's name (`who`) and naming the file.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace tessera {

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using TextFile = std::unique_ptr<std::FILE, FileCloser>;

/// Opens `path` for reading in binary mode.
TextFile open_text_file(const std::string& path, const char* who);
/// The size of `f` in bytes.
std::int64_t text_file_size(std::FILE* f, const std::string& path, const char* who);
/// The first line start at or after `pos`: just past the first '\n' at or after pos - 1.
std::int64_t line_start_at(std::FILE* f, const std::string& path, std::int64_t pos, std::int64_t size,
                           const char* who);
/// Up to `limit` decompressed bytes of a gzip file (-1: all).
std::string read_gzip_text(const std::string& path, std::int64_t limit, const char* who);

}  // namespace tessera
