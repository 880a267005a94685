#include "collections/bag/read_text.hpp"

#include <glob.h>
#include <unistd.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "collections/bag/bag_functions.hpp"
#include "collections/bag/text_pipeline.hpp"
#include "collections/core/text_file.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

namespace fs = std::filesystem;

// An unfilled block of `size` bytes and the zero padding. Big blocks come
// from Buffer's reused huge-page mappings: a fresh 64 MB heap block costs
// the kernel a page fault and zeroing per page, about a fifth of a
// JSON-lines task. (Not mmap of the file: a file truncated by another
// process while mapped would crash the worker with SIGBUS.)
TextBlock padded_block(std::size_t size) {
  TextBlock b;
  b.buffer = make_buffer(size + TextBlock::kPadding);
  b.size = size;
  std::memset(b.buffer->mutable_data() + size, 0, TextBlock::kPadding);
  return b;
}

char* writable(TextBlock& b) { return reinterpret_cast<char*>(b.buffer->mutable_data()); }

// Bytes [begin, begin + size) of the file `fd`.
TextBlock read_block(int fd, const std::string& path, std::int64_t begin, std::size_t size) {
  TextBlock b = padded_block(size);
  for (std::size_t done = 0; done < size;) {
    ssize_t n = ::pread(fd, writable(b) + done, size - done, static_cast<off_t>(begin + static_cast<std::int64_t>(done)));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw ValueError("read_text: short read from '" + path + "' at byte " +
                       std::to_string(begin + static_cast<std::int64_t>(done)) +
                       (n < 0 ? ": " + std::string(std::strerror(errno)) : " (the file shrank?)"));
    done += static_cast<std::size_t>(n);
  }
  return b;
}

void check_utf8(const TextBlock& b, const std::string& path, std::int64_t offset) {
  if (simdjson::validate_utf8(b.text().data(), b.size)) return;
  auto bad = invalid_utf8_offset(b.text());
  throw ValueError("read_text: '" + path + "' is not valid UTF-8 at byte " +
                   std::to_string(offset + static_cast<std::int64_t>(bad)));
}

// The lines starting in [start, end) of `path`; end -1 = to the end of the file.
TextBlock read_range(const std::string& path, std::int64_t start, std::int64_t stop) {
  auto f = open_text_file(path, "read_text");
  std::int64_t size = text_file_size(f.get(), path, "read_text");
  std::int64_t begin = line_start_at(f.get(), path, start, size, "read_text");
  std::int64_t end = stop < 0 ? size : line_start_at(f.get(), path, stop, size, "read_text");
  TextBlock b = read_block(fileno(f.get()), path, begin, static_cast<std::size_t>(std::max<std::int64_t>(0, end - begin)));
  check_utf8(b, path, begin);
  return b;
}

// Every line of a gzip file.
TextBlock read_gzip_file(const std::string& path) {
  std::string text = read_gzip_text(path, -1, "read_text");
  TextBlock b = padded_block(text.size());
  std::memcpy(writable(b), text.data(), text.size());
  check_utf8(b, path + " (decompressed)", 0);
  return b;
}

Value lines_of(const TextBlock& b) {
  ValueList lines;
  for_each_line(b.text(), [&](std::string_view line) { lines.emplace_back(line); });
  return Value(std::move(lines));
}

// (path, start, end): the lines starting in [start, end); end -1 = to the end of the file.
Value read_block(const FunctionResolver&, std::span<const Value> a) {
  return lines_of(read_range(a[0].as_string(), a[1].as_int(), a[2].as_int()));
}

// (path): every line of a gzip file.
Value read_gzip(const FunctionResolver&, std::span<const Value> a) {
  return lines_of(read_gzip_file(a[0].as_string()));
}

bool has_glob_chars(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

std::vector<std::string> expand(const std::string& pattern) {
  if (!has_glob_chars(pattern)) {
    std::error_code ec;
    if (!fs::is_regular_file(pattern, ec))
      throw ValueError("read_text: file not found: '" + pattern + "'");
    return {pattern};
  }
  glob_t g{};
  int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<std::string> out;
  if (rc == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  globfree(&g);
  if (out.empty()) throw ValueError("read_text: no files match '" + pattern + "'");
  return out;  // glob(3) sorts
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TextBlock read_source(const Value& source) {
  const auto& s = source.as_list();
  const std::string& kind = s.at(0).as_string();
  if (kind == "block" && s.size() == 4) return read_range(s[1].as_string(), s[2].as_int(), s[3].as_int());
  if (kind == "gzip" && s.size() == 2) return read_gzip_file(s[1].as_string());
  throw ValueError("read_text: not a text source: " + source.repr(200));
}

std::size_t invalid_utf8_offset(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // Fast path: eight ASCII bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return i;
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    static constexpr std::uint32_t min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

Bag read_text(const std::string& pattern, ReadTextOptions options) {
  return read_text(std::vector<std::string>{pattern}, options);
}

Bag read_text(const std::vector<std::string>& paths, ReadTextOptions options) {
  if (options.blocksize < 0) throw ValueError("read_text: blocksize must not be negative");
  std::vector<std::string> files;
  for (const auto& p : paths)
    for (auto& f : expand(p)) files.push_back(std::move(f));
  if (files.empty()) throw ValueError("read_text: no files given");
  auto block = bag_function("bag.read_block");
  auto gzip = bag_function("bag.read_gzip");

  struct Part {
    FunctionPtr fn;
    ArgList args;
    Value source;  // the same, for the fused pipelines (text_pipeline.hpp)
  };
  std::vector<Part> parts;
  Tokenizer t;
  t.add("read_text").add(options.blocksize);
  for (const auto& f : files) {
    std::error_code ec;
    auto size = static_cast<std::int64_t>(fs::file_size(f, ec));
    if (ec) throw ValueError("read_text: cannot read the size of '" + f + "': " + ec.message());
    auto mtime = fs::last_write_time(f, ec).time_since_epoch().count();
    t.add(f).add(size).add(static_cast<std::int64_t>(mtime));
    if (ends_with(f, ".gz")) {
      parts.push_back({gzip, {Arg(Value(f))}, ValueList{"gzip", f}});
    } else if (options.blocksize == 0 || size <= options.blocksize) {
      parts.push_back({block, {Arg(Value(f)), Arg(Value(0)), Arg(Value(-1))}, ValueList{"block", f, 0, -1}});
    } else {
      for (std::int64_t o = 0; o < size; o += options.blocksize) {
        std::int64_t end = o + options.blocksize >= size ? -1 : o + options.blocksize;
        parts.push_back({block, {Arg(Value(f)), Arg(Value(o)), Arg(Value(end))}, ValueList{"block", f, o, end}});
      }
    }
  }
  std::string name = "read_text-" + t.hex();
  std::vector<TaskSpec> tasks;
  auto pipeline = std::make_shared<TextPipeline>();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    tasks.push_back(TaskSpec{Key(name, {static_cast<std::int64_t>(i)}), parts[i].fn, std::move(parts[i].args)});
    pipeline->sources.push_back(std::move(parts[i].source));
  }
  return Bag(name, make_layer(name, std::move(tasks)), static_cast<std::int64_t>(tasks.size()))
      .with_pipeline(std::move(pipeline));
}

std::vector<KernelEntry> read_text_kernels() {
  return {
      {"bag.read_block", read_block, "(path, start, end) -> the lines starting in [start, end)"},
      {"bag.read_gzip", read_gzip, "(path) -> every line of a gzip file"},
  };
}

}  // namespace tessera::bag
