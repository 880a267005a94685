#include "collections/core/text_file.hpp"

#include <zlib.h>

#include "runtime/util/error.hpp"

namespace tessera {

TextFile open_text_file(const std::string& path, const char* who) {
  TextFile f(std::fopen(path.c_str(), "rb"));
  if (!f) throw ValueError(std::string(who) + ": cannot open '" + path + "'");
  return f;
}

std::int64_t text_file_size(std::FILE* f, const std::string& path, const char* who) {
  if (fseeko(f, 0, SEEK_END) != 0) throw ValueError(std::string(who) + ": cannot seek in '" + path + "'");
  return static_cast<std::int64_t>(ftello(f));
}

std::int64_t line_start_at(std::FILE* f, const std::string& path, std::int64_t pos, std::int64_t size,
                           const char* who) {
  if (pos <= 0) return 0;
  if (pos >= size) return size;
  if (fseeko(f, pos - 1, SEEK_SET) != 0) throw ValueError(std::string(who) + ": cannot seek in '" + path + "'");
  char buf[1 << 16];
  std::int64_t at = pos - 1;
  while (true) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f);
    if (n == 0) return size;
    for (std::size_t i = 0; i < n; ++i)
      if (buf[i] == '\n') return at + static_cast<std::int64_t>(i) + 1;
    at += static_cast<std::int64_t>(n);
  }
}

std::string read_gzip_text(const std::string& path, std::int64_t limit, const char* who) {
  gzFile g = gzopen(path.c_str(), "rb");
  if (!g) throw ValueError(std::string(who) + ": cannot open '" + path + "'");
  std::string text;
  char buf[1 << 16];
  while (limit < 0 || static_cast<std::int64_t>(text.size()) < limit) {
    int n = gzread(g, buf, sizeof buf);
    if (n < 0) {
      int code = 0;
      std::string msg = gzerror(g, &code);
      gzclose(g);
      throw ValueError(std::string(who) + ": '" + path + "' is not a valid gzip file: " + msg);
    }
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  gzclose(g);
  return text;
}

}  // namespace tessera
