#include "collections/array/file_kernels.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/util/error.hpp"

namespace tessera::array::kernels {
namespace {

class File {
 public:
  explicit File(const std::string& path) : path_(path), fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw ValueError("array.read_raw: cannot open " + path + ": " + std::strerror(errno));
  }
  ~File() { ::close(fd_); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  void read_at(std::byte* dst, std::size_t n, std::int64_t at) const {
    while (n > 0) {
      const ssize_t got = ::pread(fd_, dst, n, at);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0)
        throw ValueError("array.read_raw: " + path_ + " ends before byte " + std::to_string(at + static_cast<std::int64_t>(n)) +
                         (got < 0 ? std::string(": ") + std::strerror(errno) : std::string()));
      dst += got;
      n -= static_cast<std::size_t>(got);
      at += got;
    }
  }

 private:
  std::string path_;
  int fd_;
};

}  // namespace

void for_each_file_run(const Shape& file_shape, const std::vector<std::int64_t>& start, const Shape& shape,
                       const std::function<void(std::int64_t, std::int64_t)>& run) {
  const std::size_t nd = file_shape.size();
  std::size_t split = nd;  // axes [split, nd) form each contiguous run
  std::int64_t length = 1;
  while (split > 0) {
    length *= shape[split - 1];
    --split;
    if (shape[split] != file_shape[split]) break;
  }
  std::vector<std::int64_t> stride(nd, 1);
  for (std::size_t k = nd; k-- > 1;) stride[k - 1] = stride[k] * file_shape[k];
  std::vector<std::int64_t> idx(split, 0);
  while (true) {
    std::int64_t first = 0;
    for (std::size_t k = 0; k < nd; ++k) first += (start[k] + (k < split ? idx[k] : 0)) * stride[k];
    run(first, length);
    std::size_t k = split;
    bool done = true;
    while (k-- > 0) {
      if (++idx[k] < shape[k]) {
        done = false;
        break;
      }
      idx[k] = 0;
    }
    if (done) return;
  }
}

NDArray read_raw_block(const std::string& path, DType dtype, std::int64_t offset, const Shape& file_shape,
                       const std::vector<std::int64_t>& start, const Shape& shape) {
  const std::size_t nd = file_shape.size();
  if (start.size() != nd || shape.size() != nd)
    throw ValueError("array.read_raw: block of " + std::to_string(shape.size()) + " axes in an array of " +
                     std::to_string(nd));
  for (std::size_t k = 0; k < nd; ++k)
    if (start[k] < 0 || shape[k] < 0 || start[k] + shape[k] > file_shape[k])
      throw ValueError("array.read_raw: block out of the array on axis " + std::to_string(k));
  const auto e = static_cast<std::int64_t>(dtype_size(dtype));
  auto buf = make_buffer(static_cast<std::size_t>(shape_size(shape) * e));
  if (shape_size(shape) == 0) return NDArray(dtype, shape, std::move(buf));
  File file(path);
  std::byte* dst = buf->mutable_data();
  for_each_file_run(file_shape, start, shape, [&](std::int64_t first, std::int64_t count) {
    file.read_at(dst, static_cast<std::size_t>(count * e), offset + first * e);
    dst += count * e;
  });
  return NDArray(dtype, shape, std::move(buf));
}

}  // namespace tessera::array::kernels
