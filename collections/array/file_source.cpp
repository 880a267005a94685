#include "collections/array/file_source.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>

#include "collections/array/array_functions.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

namespace fs = std::filesystem;

std::string shape_repr(const Shape& s) {
  std::string r = "(";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + (s.size() == 1 ? ",)" : ")");
}

Value int_list(const std::vector<std::int64_t>& xs) {
  ValueList l;
  for (auto x : xs) l.emplace_back(x);
  return Value(std::move(l));
}

/// The text after `'key':` in a .npy header dict, trimmed of spaces.
std::string header_field(const std::string& header, const std::string& key, const std::string& path) {
  const auto at = header.find("'" + key + "'");
  const auto colon = at == std::string::npos ? at : header.find(':', at);
  if (colon == std::string::npos) throw ValueError(path + ": .npy header has no '" + key + "'");
  std::size_t b = colon + 1;
  while (b < header.size() && header[b] == ' ') ++b;
  return header.substr(b);
}

DType npy_dtype(const std::string& descr, const std::string& path) {
  if (!descr.empty() && descr[0] == '>' && descr.substr(1) != "u1" && descr.substr(1) != "b1")
    throw ValueError(path + ": big-endian dtype '" + descr + "' is not supported");
  const std::string d = descr.size() > 1 && (descr[0] == '<' || descr[0] == '|' || descr[0] == '=' || descr[0] == '>')
                            ? descr.substr(1) : descr;
  if (d == "f8") return DType::float64;
  if (d == "f4") return DType::float32;
  if (d == "i8") return DType::int64;
  if (d == "i4") return DType::int32;
  if (d == "u1") return DType::uint8;
  if (d == "b1") return DType::boolean;
  throw ValueError(path + ": dtype '" + descr + "' is not supported (bool, uint8, int32, int64, float32, float64)");
}

Shape parse_shape(const std::string& text, const std::string& path) {
  if (text.empty() || text[0] != '(') throw ValueError(path + ": .npy header shape is not a tuple");
  Shape s;
  std::size_t i = 1;
  while (i < text.size() && text[i] != ')') {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      std::size_t used = 0;
      s.push_back(std::stoll(text.substr(i), &used));
      i += used;
    } else {
      ++i;
    }
  }
  if (i >= text.size()) throw ValueError(path + ": .npy header shape is not closed");
  return s;
}

}  // namespace

NpyHeader read_npy_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ValueError("from_npy: cannot open " + path);
  char pre[12] = {};
  in.read(pre, 10);
  if (in.gcount() != 10 || std::string(pre, 6) != "\x93NUMPY")
    throw ValueError(path + ": not a .npy file (bad magic string)");
  const int major = static_cast<unsigned char>(pre[6]);
  std::int64_t len = 0, start = 0;
  if (major == 1) {
    len = static_cast<unsigned char>(pre[8]) | (static_cast<unsigned char>(pre[9]) << 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    in.read(pre + 10, 2);
    for (int i = 3; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(pre[8 + i]);
    start = 12;
  } else {
    throw ValueError(path + ": .npy format version " + std::to_string(major) + " is not supported");
  }
  std::string header(static_cast<std::size_t>(len), '\0');
  in.read(header.data(), len);
  if (in.gcount() != len) throw ValueError(path + ": .npy header is truncated");
  NpyHeader h;
  const std::string descr = header_field(header, "descr", path);
  if (descr.size() < 2 || descr[0] != '\'') throw ValueError(path + ": .npy descr is not a simple dtype");
  h.dtype = npy_dtype(descr.substr(1, descr.find('\'', 1) - 1), path);
  if (header_field(header, "fortran_order", path).rfind("False", 0) != 0)
    throw ValueError(path + ": Fortran-ordered .npy files are not supported");
  h.shape = parse_shape(header_field(header, "shape", path), path);
  h.data_offset = start + len;
  return h;
}

Array from_raw(const std::string& path, DType dtype, const Shape& shape, const ChunkSpec& chunks,
               std::int64_t offset) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) throw ValueError("from_raw: cannot read " + path + ": " + ec.message());
  if (offset < 0) throw ValueError("from_raw: offset " + std::to_string(offset) + " is negative");
  for (auto d : shape)
    if (d < 0) throw ValueError("from_raw: negative dimension in shape " + shape_repr(shape));
  const std::int64_t need = offset + shape_size(shape) * static_cast<std::int64_t>(dtype_size(dtype));
  if (static_cast<std::int64_t>(size) < need)
    throw ValueError("from_raw: " + path + " is " + std::to_string(size) + " bytes, too short for shape " +
                     shape_repr(shape) + " of " + std::string(dtype_name(dtype)) + " at offset " +
                     std::to_string(offset) + " (" + std::to_string(need) + " bytes needed)");
  Chunks c = normalize_chunks(chunks, shape, dtype);
  Tokenizer t;
  t.add("from_raw").add(path).add(dtype_name(dtype)).add(int_list(shape)).add(offset)
      .add(static_cast<std::int64_t>(fs::last_write_time(path, ec).time_since_epoch().count()));
  for (const auto& axis : c)
    for (auto x : axis) t.add(x);
  const std::string name = "from-raw-" + t.hex();
  std::vector<std::vector<std::int64_t>> offs;
  for (const auto& axis : c) offs.push_back(offsets(axis));
  const Value vpath(path), vdtype(std::string(dtype_name(dtype))), vshape = int_list(shape);
  std::vector<TaskSpec> tasks;
  for (const auto& idx : block_indices(c)) {
    std::vector<std::int64_t> start;
    for (std::size_t a = 0; a < shape.size(); ++a) start.push_back(offs[a][static_cast<std::size_t>(idx[a])]);
    tasks.push_back(TaskSpec{Key(name, idx), array_functions().read_raw,
                             {Arg(vpath), Arg(vdtype), Arg(Value(offset)), Arg(vshape), Arg(int_list(start)),
                              Arg(int_list(block_shape(c, idx)))}});
  }
  return Array(name, make_layer(name, std::move(tasks)), shape, std::move(c), dtype);
}

Array from_npy(const std::string& path, const ChunkSpec& chunks) {
  const NpyHeader h = read_npy_header(path);
  return from_raw(path, h.dtype, h.shape, chunks, h.data_offset);
}

}  // namespace tessera::array
