// Bag::to_textfiles: one file per partition, as dask.bag.to_textfiles.
// Lines are joined by "\n" (and the last one ended too with last_endline);
// files whose name ends in ".gz" are gzip compressed.
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "collections/bag/bag.hpp"
#include "collections/bag/bag_functions.hpp"
#include "runtime/graph/tokenize.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string file_text(const ValueList& part, bool last_endline, const std::string& path) {
  std::string text;
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (part[i].kind() != ValueKind::string)
      throw TypeError("to_textfiles: elements must be strings, got " + part[i].repr(200) + " (for '" + path + "')");
    if (i > 0) text += '\n';
    text += part[i].as_string();
  }
  if (last_endline && !part.empty()) text += '\n';
  return text;
}

void write_plain(const std::string& path, const std::string& text) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!f) throw ValueError("to_textfiles: cannot open '" + path + "' for writing");
  if (std::fwrite(text.data(), 1, text.size(), f.get()) != text.size() || std::fflush(f.get()) != 0)
    throw ValueError("to_textfiles: cannot write '" + path + "'");
}

void write_gzip(const std::string& path, const std::string& text) {
  gzFile g = gzopen(path.c_str(), "wb");
  if (!g) throw ValueError("to_textfiles: cannot open '" + path + "' for writing");
  std::size_t done = 0;
  while (done < text.size()) {
    auto n = static_cast<unsigned>(std::min<std::size_t>(text.size() - done, 1u << 30));
    if (gzwrite(g, text.data() + done, n) != static_cast<int>(n)) {
      gzclose(g);
      throw ValueError("to_textfiles: cannot write '" + path + "'");
    }
    done += n;
  }
  if (gzclose(g) != Z_OK) throw ValueError("to_textfiles: cannot finish '" + path + "'");
}

// (path, last_endline, part) -> path
Value write_text(const FunctionResolver&, std::span<const Value> a) {
  if (a.size() != 3) throw TypeError("bag.write_text: expected 3 arguments, got " + std::to_string(a.size()));
  const std::string& path = a[0].as_string();
  std::string text = file_text(a[2].as_list(), a[1].as_bool(), path);
  if (ends_with(path, ".gz")) write_gzip(path, text);
  else write_plain(path, text);
  return a[0];
}

}  // namespace

std::vector<std::string> Bag::to_textfiles(const std::string& path, TextFilesOptions text,
                                           const ComputeOptions& options) const {
  std::string pattern = path;
  auto star = pattern.find('*');
  if (star == std::string::npos) {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec) throw ValueError("to_textfiles: cannot make the folder '" + path + "': " + ec.message());
    pattern = (fs::path(path) / "*.part").string();
    star = pattern.find('*');
  } else if (pattern.find('*', star + 1) != std::string::npos) {
    throw ValueError("to_textfiles: the path may hold one '*' only, got '" + path + "'");
  } else if (auto parent = fs::path(pattern).parent_path(); !parent.empty()) {
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec) throw ValueError("to_textfiles: cannot make the folder '" + parent.string() + "': " + ec.message());
  }
  auto fn = bag_function("bag.write_text");
  std::string name = "to_textfiles-" + tokenize(name_, pattern, Value(text.last_endline));
  std::vector<TaskSpec> tasks;
  std::vector<Key> outputs;
  for (std::int64_t i = 0; i < npartitions_; ++i) {
    std::string file = pattern.substr(0, star) + std::to_string(i) + pattern.substr(star + 1);
    tasks.push_back(TaskSpec{Key(name, {i}), fn, {Arg(Value(file)), Arg(Value(text.last_endline)), Arg(key(i))}});
    outputs.push_back(Key(name, {i}));
  }
  auto written = get_executor(options.scheduler)->compute(HighLevelGraph({make_layer(name, std::move(tasks), {layer_})}), outputs);
  std::vector<std::string> out;
  for (const auto& v : written) out.push_back(v.as_string());
  return out;
}

std::vector<KernelEntry> text_io_kernels() {
  return {{"bag.write_text", write_text, "(path, last_endline, part) -> path, after writing part's lines"}};
}

}  // namespace tessera::bag
