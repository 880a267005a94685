#include "net/serialized_value.hpp"

#include <ostream>
#include <streambuf>

#include "runtime/serial/serialize.hpp"

namespace tessera::net {
namespace {

/// One piece of the serialisation: either a range of the owned string
/// (recorded as offsets, since the string grows) or a borrowed block.
struct Piece {
  const char* borrowed = nullptr;
  std::size_t offset = 0;  // into owned, when not borrowed
  std::size_t size = 0;
};

/// Records what serialisation writes: large writes by address (cereal hands
/// big blocks straight from the value's storage to sputn), the rest by copy.
class SpanSink final : public std::streambuf {
 public:
  explicit SpanSink(std::string& owned) : owned_(owned) {}
  std::vector<Piece>& pieces() noexcept { return pieces_; }

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      char ch = traits_type::to_char_type(c);
      copy(&ch, 1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    auto size = static_cast<std::size_t>(n);
    if (size >= SerializedValue::borrow_threshold) pieces_.push_back({s, 0, size});
    else copy(s, size);
    return n;
  }

 private:
  void copy(const char* s, std::size_t n) {
    if (pieces_.empty() || pieces_.back().borrowed != nullptr) pieces_.push_back({nullptr, owned_.size(), 0});
    owned_.append(s, n);
    pieces_.back().size += n;
  }

  std::string& owned_;
  std::vector<Piece> pieces_;
};

}  // namespace

SerializedValue::SerializedValue(Value v) : value_(std::move(v)), owned_(std::make_unique<std::string>()) {
  SpanSink sink(*owned_);
  std::ostream out(&sink);
  write_value(out, value_);
  spans_.reserve(sink.pieces().size());
  for (const auto& p : sink.pieces()) {
    const char* base = p.borrowed != nullptr ? p.borrowed : owned_->data() + p.offset;
    spans_.push_back({reinterpret_cast<const std::byte*>(base), p.size});
    size_ += p.size;
  }
}

std::uint64_t SerializedValue::checksum() const { return frame_checksum(std::span<const ConstBytes>(spans_)); }

std::string SerializedValue::flatten() const {
  std::string out;
  out.reserve(size_);
  for (auto s : spans_) out.append(as_chars(s));
  return out;
}

}  // namespace tessera::net
