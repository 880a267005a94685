#include "collections/array/store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "collections/array/array_functions.hpp"
#include "collections/array/file_kernels.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::array {
namespace {

namespace fs = std::filesystem;

Value int_list(const std::vector<std::int64_t>& xs) {
  ValueList l;
  for (auto x : xs) l.emplace_back(x);
  return Value(std::move(l));
}

std::string descr(DType t) {
  switch (t) {
    case DType::boolean: return "|b1";
    case DType::uint8: return "|u1";
    case DType::int32: return "<i4";
    case DType::int64: return "<i8";
    case DType::float32: return "<f4";
    case DType::float64: break;
  }
  return "<f8";
}

class File {
 public:
  File(const std::string& path, int flags) : path_(path), fd_(::open(path.c_str(), flags | O_CLOEXEC, 0644)) {
    if (fd_ < 0) throw ValueError("to_npy: cannot open " + path + ": " + std::strerror(errno));
  }
  ~File() { ::close(fd_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  void write_at(const std::byte* src, std::size_t n, std::int64_t at) const {
    while (n > 0) {
      const ssize_t put = ::pwrite(fd_, src, n, at);
      if (put < 0 && errno == EINTR) continue;
      if (put <= 0) throw ValueError("to_npy: writing " + path_ + " at byte " + std::to_string(at) + ": " + std::strerror(errno));
      src += put;
      n -= static_cast<std::size_t>(put);
      at += put;
    }
  }
  void resize(std::int64_t size) const {
    if (::ftruncate(fd_, size) != 0) throw ValueError("to_npy: sizing " + path_ + ": " + std::strerror(errno));
  }

 private:
  std::string path_;
  int fd_;
};

}  // namespace

std::string npy_header(DType dtype, const Shape& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  s += shape.size() == 1 ? ",)" : ")";
  std::string dict = "{'descr': '" + descr(dtype) + "', 'fortran_order': False, 'shape': " + s + ", }";
  if (!shape.empty()) dict += std::string(static_cast<std::size_t>(std::max<std::int64_t>(0, 21 - static_cast<std::int64_t>(std::to_string(shape[0]).size()))), ' ');
  const std::size_t hlen = dict.size() + 1;
  const bool v2 = hlen + 64 > 65535;
  const std::size_t prefix = v2 ? 12 : 10;
  const std::size_t pad = 64 - ((prefix + hlen) % 64);
  dict += std::string(pad, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out.push_back(static_cast<char>(v2 ? 2 : 1));
  out.push_back(0);
  const std::size_t len = dict.size();
  for (std::size_t i = 0; i < (v2 ? 4u : 2u); ++i) out.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  return out + dict;
}

namespace kernels {

std::int64_t npy_create(const std::string& path, DType dtype, const Shape& shape) {
  const std::string h = npy_header(dtype, shape);
  File f(path, O_WRONLY | O_CREAT | O_TRUNC);
  f.write_at(reinterpret_cast<const std::byte*>(h.data()), h.size(), 0);
  f.resize(static_cast<std::int64_t>(h.size()) + shape_size(shape) * static_cast<std::int64_t>(dtype_size(dtype)));
  return static_cast<std::int64_t>(h.size());
}

std::int64_t npy_write_block(const std::string& path, std::int64_t data_offset, const Shape& file_shape,
                             const std::vector<std::int64_t>& start, const NDArray& block) {
  const std::size_t nd = file_shape.size();
  const Shape& shape = block.shape();
  if (start.size() != nd || shape.size() != nd)
    throw ValueError("to_npy: block of " + std::to_string(shape.size()) + " axes in an array of " + std::to_string(nd));
  for (std::size_t k = 0; k < nd; ++k)
    if (start[k] < 0 || start[k] + shape[k] > file_shape[k])
      throw ValueError("to_npy: block out of the array on axis " + std::to_string(k));
  if (block.size() == 0) return 0;
  const auto e = static_cast<std::int64_t>(dtype_size(block.dtype()));
  File f(path, O_WRONLY);
  const std::byte* src = block.buffer()->data();
  kernels::for_each_file_run(file_shape, start, shape, [&](std::int64_t first, std::int64_t count) {
    f.write_at(src, static_cast<std::size_t>(count * e), data_offset + first * e);
    src += count * e;
  });
  return block.size() * e;
}

std::int64_t npy_check(const std::string& path, std::int64_t data_offset, std::int64_t expected,
                       const std::vector<std::int64_t>& written) {
  std::int64_t total = 0;
  for (auto w : written) total += w;
  if (total != expected)
    throw ValueError("to_npy: " + path + ": " + std::to_string(total) + " bytes written, " + std::to_string(expected) +
                     " expected");
  std::error_code ec;
  const auto size = static_cast<std::int64_t>(fs::file_size(path, ec));
  if (ec || size != data_offset + expected)
    throw ValueError("to_npy: " + path + " is " + (ec ? ec.message() : std::to_string(size) + " bytes") + ", " +
                     std::to_string(data_offset + expected) + " expected");
  return total;
}

}  // namespace kernels

Delayed<std::int64_t> store_npy(const Array& x, const std::string& path) {
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw ValueError("to_npy: directory " + dir.string() + " of " + path + " does not exist");
  if (p.filename().empty()) throw ValueError("to_npy: " + path + " names no file");
  const auto& fns = array_functions();
  Tokenizer t;
  t.add("to_npy").add(x.name()).add(path);
  const std::string tok = t.hex();
  const std::string create = "to-npy-create-" + tok, write = "to-npy-write-" + tok, check = "to-npy-" + tok;
  const Value vpath(path), vshape = int_list(x.shape());
  auto create_layer = make_layer(
      create, {TaskSpec{Key(create, {}), fns.npy_create, {Arg(vpath), Arg(Value(std::string(dtype_name(x.dtype())))), Arg(vshape)}}});
  std::vector<std::vector<std::int64_t>> offs;
  for (const auto& c : x.chunks()) offs.push_back(offsets(c));
  std::vector<TaskSpec> writes;
  ArgList counts;
  for (const auto& idx : block_indices(x.chunks())) {
    std::vector<std::int64_t> start;
    for (std::size_t a = 0; a < x.ndim(); ++a) start.push_back(offs[a][static_cast<std::size_t>(idx[a])]);
    Key k(write, idx);
    writes.push_back(TaskSpec{k, fns.npy_write_block,
                              {Arg(vpath), Arg(Key(create, {})), Arg(vshape), Arg(int_list(start)), Arg(x.block_key(idx))}});
    counts.emplace_back(std::move(k));
  }
  auto write_layer = make_layer(write, std::move(writes), {create_layer, x.layer()});
  auto check_layer = make_layer(check,
                                {TaskSpec{Key(check, {}), fns.npy_check,
                                          {Arg(vpath), Arg(Key(create, {})), Arg(Value(x.nbytes())), Arg(std::move(counts))}}},
                                {write_layer, create_layer});
  return Delayed<std::int64_t>(Key(check, {}), std::move(check_layer));
}

std::int64_t to_npy(const Array& x, const std::string& path, const ComputeOptions& options) {
  return store_npy(x, path).compute(options);
}

}  // namespace tessera::array
