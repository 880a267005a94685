#include "runtime/serial/wire.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <istream>
#include <ostream>
#include <streambuf>
#include <vector>

#include <cereal/archives/portable_binary.hpp>
#include <cereal/cereal.hpp>

#include "runtime/util/error.hpp"

namespace tessera {
namespace {

constexpr char magic0 = 'T';
constexpr char magic1 = 'S';
constexpr std::size_t header_size = 4;
/// Blocks of streams whose length is unknown are read this much at a time,
/// so that a lying length fails when the input ends, not in the allocator.
constexpr std::uint64_t chunk_size = std::uint64_t{64} << 20;

std::string content_name(WireContent c) { return c == WireContent::value ? "value" : "task"; }

std::string hex_byte(unsigned char c) {
  static constexpr char digits[] = "0123456789abcdef";
  return std::string("0x") + digits[c >> 4] + digits[c & 15];
}

}  // namespace

// ---------------------------------------------------------------- writer

WireWriter::WireWriter(std::ostream& out, WireContent content) {
  const char header[header_size] = {magic0, magic1, static_cast<char>(content),
                                    static_cast<char>(wire_version)};
  out.write(header, header_size);
  if (!out) throw Error("cannot write a serialised " + content_name(content) + ": the stream failed");
  try {
    ar_ = std::make_unique<cereal::PortableBinaryOutputArchive>(
        out, cereal::PortableBinaryOutputArchive::Options::LittleEndian());
  } catch (const cereal::Exception& e) {
    throw Error("cannot write a serialised " + content_name(content) + ": " + e.what());
  }
}

WireWriter::~WireWriter() = default;

namespace {
template <class Ar, class T>
void save(Ar& ar, const T& x) {
  try {
    ar(x);
  } catch (const cereal::Exception& e) {
    throw Error(std::string("cannot write serialised data: ") + e.what());
  }
}
}  // namespace

void WireWriter::u8(std::uint8_t x) { save(*ar_, x); }
void WireWriter::u64(std::uint64_t x) { save(*ar_, x); }
void WireWriter::i64(std::int64_t x) { save(*ar_, x); }
void WireWriter::f64(double x) { save(*ar_, x); }

void WireWriter::string(std::string_view s) {
  u64(s.size());
  block<std::uint8_t>(s.data(), s.size());
}

template <class T>
void WireWriter::block(const void* data, std::uint64_t nbytes) {
  if (nbytes == 0) return;
  save(*ar_, cereal::binary_data(static_cast<const T*>(data), static_cast<std::size_t>(nbytes)));
}

template void WireWriter::block<std::uint8_t>(const void*, std::uint64_t);
template void WireWriter::block<std::int32_t>(const void*, std::uint64_t);
template void WireWriter::block<std::int64_t>(const void*, std::uint64_t);
template void WireWriter::block<float>(const void*, std::uint64_t);
template void WireWriter::block<double>(const void*, std::uint64_t);

// ---------------------------------------------------------------- reader

/// Passes reads straight through to the caller's buffer (no read-ahead, so
/// the caller's stream stops right after the last byte used) and counts them.
class WireReader::CountingBuf final : public std::streambuf {
 public:
  explicit CountingBuf(std::streambuf* src) : src_(src) {}
  std::uint64_t count() const noexcept { return count_; }
  /// Moves `n` bytes on without reading them; false when the input cannot seek.
  bool skip(std::uint64_t n) {
    auto to = src_->pubseekoff(static_cast<off_type>(n), std::ios_base::cur, std::ios_base::in);
    if (to == pos_type(off_type(-1))) return false;
    count_ += n;
    return true;
  }

 protected:
  int_type underflow() override { return src_->sgetc(); }
  int_type uflow() override {
    int_type c = src_->sbumpc();
    if (!traits_type::eq_int_type(c, traits_type::eof())) ++count_;
    return c;
  }
  std::streamsize xsgetn(char* s, std::streamsize n) override {
    std::streamsize got = src_->sgetn(s, n);
    count_ += static_cast<std::uint64_t>(std::max<std::streamsize>(got, 0));
    return got;
  }

 private:
  std::streambuf* src_;
  std::uint64_t count_ = 0;
};

WireReader::WireReader(std::istream& in, WireContent content) : content_name_(content_name(content)) {
  std::streambuf* src = in.rdbuf();
  if (src == nullptr) throw ValueError("cannot read a " + content_name_ + ": the stream has no buffer");
  // The input's length, when it can seek: lengths are then checked up front.
  auto start = src->pubseekoff(0, std::ios_base::cur, std::ios_base::in);
  if (start != std::streampos(-1)) {
    auto end = src->pubseekoff(0, std::ios_base::end, std::ios_base::in);
    if (end != std::streampos(-1) && src->pubseekpos(start, std::ios_base::in) == start && end >= start)
      limit_ = static_cast<std::uint64_t>(end - start);
  }
  buf_ = std::make_unique<CountingBuf>(src);
  stream_ = std::make_unique<std::istream>(buf_.get());

  char header[header_size];
  auto got = static_cast<std::uint64_t>(buf_->sgetn(header, header_size));
  if (got < header_size) truncated(header_size, got, "header");
  if (header[0] != magic0 || header[1] != magic1)
    throw ValueError("not a serialised Tessera " + content_name_ + ": it starts with " +
                     hex_byte(static_cast<unsigned char>(header[0])) + " " +
                     hex_byte(static_cast<unsigned char>(header[1])) +
                     " instead of 'TS' (the input is corrupt or is not Tessera data)");
  if (header[2] != static_cast<char>(content)) {
    std::string found = header[2] == static_cast<char>(WireContent::value)  ? "a value"
                        : header[2] == static_cast<char>(WireContent::task) ? "a task"
                                                                            : "unknown content";
    throw ValueError("expected a serialised " + content_name_ + " but the input holds " + found);
  }
  if (static_cast<std::uint8_t>(header[3]) != wire_version)
    throw ValueError("serialised " + content_name_ + " has format version " +
                     std::to_string(static_cast<unsigned char>(header[3])) +
                     "; this build reads version " + std::to_string(wire_version));
  auto flag = buf_->sgetc();
  if (std::char_traits<char>::eq_int_type(flag, std::char_traits<char>::eof()))
    truncated(1, 0, "byte-order flag");
  if (flag != 0 && flag != 1) malformed("byte-order flag is " + hex_byte(static_cast<unsigned char>(flag)) + ", not 0 or 1");
  native_order_ = (flag == 1) == (std::endian::native == std::endian::little);
  ar_ = std::make_unique<cereal::PortableBinaryInputArchive>(
      *stream_, cereal::PortableBinaryInputArchive::Options::LittleEndian());
}

WireReader::~WireReader() = default;

std::optional<std::uint64_t> WireReader::remaining() const {
  if (!limit_) return std::nullopt;
  auto used = buf_->count();
  return used >= *limit_ ? 0 : *limit_ - used;
}

std::size_t WireReader::check_count(std::uint64_t count, std::size_t min_bytes,
                                    std::string_view what) const {
  if (auto r = remaining(); r && min_bytes > 0 && count > *r / min_bytes)
    throw ValueError("truncated " + content_name_ + ": " + std::string(what) + " claims " +
                     std::to_string(count) + " items but only " + std::to_string(*r) +
                     " bytes remain");
  return static_cast<std::size_t>(std::min<std::uint64_t>(count, 4096));
}

void WireReader::malformed(const std::string& message) const {
  throw ValueError("malformed " + content_name_ + ": " + message);
}

void WireReader::truncated(std::uint64_t want, std::uint64_t got, std::string_view what) const {
  throw ValueError("truncated " + content_name_ + ": expected " + std::to_string(want) +
                   " bytes of " + std::string(what) + ", got " + std::to_string(got));
}

template <class T>
void WireReader::read_into(T* dst, std::uint64_t n, std::uint64_t total, std::uint64_t done,
                           std::string_view what) {
  if (auto r = remaining(); r && *r < n) truncated(total, done + *r, what);
  auto before = buf_->count();
  try {
    // A prvalue pointer: from an lvalue cereal deduces T*& and, on input whose
    // byte-order flag asks for swapping, swaps sizeof(T*) bytes (found by fuzz.value_deserialize).
    (*ar_)(cereal::binary_data(static_cast<T*>(dst), static_cast<std::size_t>(n)));
  } catch (const cereal::Exception&) {
    truncated(total, done + (buf_->count() - before), what);
  }
}

std::uint8_t WireReader::u8(std::string_view what) {
  std::uint8_t x = 0;
  read_into(&x, 1, 1, 0, what);
  return x;
}

std::uint64_t WireReader::u64(std::string_view what) {
  std::uint64_t x = 0;
  read_into(&x, sizeof x, sizeof x, 0, what);
  return x;
}

std::int64_t WireReader::i64(std::string_view what) {
  std::int64_t x = 0;
  read_into(&x, sizeof x, sizeof x, 0, what);
  return x;
}

double WireReader::f64(std::string_view what) {
  double x = 0;
  read_into(&x, sizeof x, sizeof x, 0, what);
  return x;
}

std::string WireReader::string(std::string_view what) {
  std::string len_what = std::string(what) + " length";
  auto n = u64(len_what);
  if (auto r = remaining(); r && *r < n) truncated(n, *r, what);
  std::string out;
  std::uint64_t done = 0;
  while (done < n) {  // chunked: an unknown stream may lie about n
    auto step = std::min(n - done, chunk_size);
    out.resize(static_cast<std::size_t>(done + step));
    read_into(reinterpret_cast<std::uint8_t*>(out.data() + done), step, n, done, what);
    done += step;
  }
  return out;
}

void WireReader::borrow_blocks(std::shared_ptr<const void> owner, const std::byte* input) {
  owner_ = std::move(owner);
  input_ = input;
}

template <class T>
BufferPtr WireReader::block(std::uint64_t nbytes, std::string_view what) {
  if (nbytes % sizeof(T) != 0)
    malformed(std::string(what) + " holds " + std::to_string(nbytes) + " bytes, not a multiple of " +
              std::to_string(sizeof(T)));
  auto r = remaining();
  if (r && *r < nbytes) truncated(nbytes, *r, what);
  // In place: a view of the input (a received frame) instead of a copy.
  constexpr std::uint64_t borrow_min = 64 * 1024;
  if (owner_ && native_order_ && r && nbytes >= borrow_min) {
    const std::byte* at = input_ + buf_->count();
    if (reinterpret_cast<std::uintptr_t>(at) % buffer_alignment == 0 && buf_->skip(nbytes))
      return std::make_shared<const Buffer>(owner_, at, static_cast<std::size_t>(nbytes));
  }
  if (r || nbytes <= chunk_size) {  // the length is known to be honest, or small
    auto buf = make_buffer(static_cast<std::size_t>(nbytes));
    if (nbytes > 0) read_into(reinterpret_cast<T*>(buf->mutable_data()), nbytes, nbytes, 0, what);
    return buf;
  }
  // A stream of unknown length claims a big block: read it in chunks first,
  // so a lie fails at the end of the input, then gather it into one Buffer.
  std::vector<std::unique_ptr<Buffer>> pieces;
  std::uint64_t done = 0;
  while (done < nbytes) {
    auto step = std::min(nbytes - done, chunk_size);
    auto piece = std::make_unique<Buffer>(static_cast<std::size_t>(step));
    read_into(reinterpret_cast<T*>(piece->mutable_data()), step, nbytes, done, what);
    pieces.push_back(std::move(piece));
    done += step;
  }
  auto buf = make_buffer(static_cast<std::size_t>(nbytes));
  std::size_t at = 0;
  for (const auto& p : pieces) {
    std::memcpy(buf->mutable_data() + at, p->data(), p->size());
    at += p->size();
  }
  return buf;
}

template BufferPtr WireReader::block<std::uint8_t>(std::uint64_t, std::string_view);
template BufferPtr WireReader::block<std::int32_t>(std::uint64_t, std::string_view);
template BufferPtr WireReader::block<std::int64_t>(std::uint64_t, std::string_view);
template BufferPtr WireReader::block<float>(std::uint64_t, std::string_view);
template BufferPtr WireReader::block<double>(std::uint64_t, std::string_view);

}  // namespace tessera
