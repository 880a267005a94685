#include "net/fetch_items.hpp"

namespace tessera::net {
namespace {

constexpr std::size_t item_fixed_size = 8 + 4;

[[noreturn]] void bad(const std::string& why) { throw FrameError("malformed fetch request: " + why); }

template <class T>
void put(std::string& out, T x) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((x >> (8 * i)) & 0xff));
}

/// Reads little-endian integers from a byte range, checking every length.
class Reader {
 public:
  explicit Reader(ConstBytes in) : in_(in) {}
  template <class T>
  T get(const char* what) {
    need(sizeof(T), what);
    T x = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
      x |= static_cast<T>(std::to_integer<std::uint8_t>(in_[pos_ + i])) << (8 * i);
    pos_ += sizeof(T);
    return x;
  }
  std::string text(std::size_t n, const char* what) {
    need(n, what);
    std::string s(as_chars(in_.subspan(pos_, n)));
    pos_ += n;
    return s;
  }
  std::size_t left() const noexcept { return in_.size() - pos_; }

 private:
  void need(std::size_t n, const char* what) const {
    if (left() < n)
      bad("truncated " + std::string(what) + ": needs " + std::to_string(n) + " bytes, " + std::to_string(left()) +
          " left");
  }
  ConstBytes in_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string encode_fetch_items(const std::vector<FetchItem>& items) {
  if (items.size() > max_fetch_items)
    throw ValueError("cannot fetch " + std::to_string(items.size()) + " values in one request (at most " +
                     std::to_string(max_fetch_items) + ")");
  std::string out;
  put<std::uint32_t>(out, static_cast<std::uint32_t>(items.size()));
  for (const auto& it : items) {
    if (it.key.size() > max_frame_key_size)
      throw ValueError("cannot fetch key of " + std::to_string(it.key.size()) + " bytes (at most " +
                       std::to_string(max_frame_key_size) + ")");
    put<std::uint64_t>(out, it.id);
    put<std::uint32_t>(out, static_cast<std::uint32_t>(it.key.size()));
    out += it.key;
  }
  return out;
}

std::vector<FetchItem> decode_fetch_items(ConstBytes payload) {
  Reader r(payload);
  auto count = r.get<std::uint32_t>("item count");
  if (count > max_fetch_items)
    bad(std::to_string(count) + " items (at most " + std::to_string(max_fetch_items) + ")");
  if (count > r.left() / item_fixed_size)
    bad(std::to_string(count) + " items cannot fit in " + std::to_string(r.left()) + " bytes");
  std::vector<FetchItem> items;
  items.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    FetchItem it;
    it.id = r.get<std::uint64_t>("task id");
    auto n = r.get<std::uint32_t>("key size");
    if (n > max_frame_key_size)
      bad("key of " + std::to_string(n) + " bytes in item " + std::to_string(i) + " (at most " +
          std::to_string(max_frame_key_size) + ")");
    it.key = r.text(n, "key");
    items.push_back(std::move(it));
  }
  if (r.left() != 0) bad(std::to_string(r.left()) + " unexpected bytes after " + std::to_string(count) + " items");
  return items;
}

}  // namespace tessera::net
