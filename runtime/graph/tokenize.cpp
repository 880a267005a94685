#include "runtime/graph/tokenize.hpp"

#include <xxhash.h>

#include <atomic>
#include <chrono>
#include <random>

#include "runtime/value/value.hpp"

namespace tessera {
namespace {
XXH3_state_t* st(void* p) { return static_cast<XXH3_state_t*>(p); }

enum Tag : std::uint8_t { tag_str = 1, tag_int, tag_float, tag_value };
}  // namespace

Tokenizer::Tokenizer() : state_(XXH3_createState()) { XXH3_64bits_reset(st(state_)); }
Tokenizer::~Tokenizer() { XXH3_freeState(st(state_)); }

void Tokenizer::raw(const void* p, std::size_t n) { XXH3_64bits_update(st(state_), p, n); }

Tokenizer& Tokenizer::add(std::string_view s) {
  std::uint8_t tag = tag_str;
  std::uint64_t n = s.size();
  raw(&tag, 1);
  raw(&n, sizeof n);
  raw(s.data(), s.size());
  return *this;
}

Tokenizer& Tokenizer::add(std::int64_t i) {
  std::uint8_t tag = tag_int;
  raw(&tag, 1);
  raw(&i, sizeof i);
  return *this;
}

Tokenizer& Tokenizer::add(double d) {
  std::uint8_t tag = tag_float;
  raw(&tag, 1);
  raw(&d, sizeof d);
  return *this;
}

Tokenizer& Tokenizer::add(const Value& v) {
  std::uint8_t tag = tag_value;
  auto kind = static_cast<std::uint8_t>(v.kind());
  raw(&tag, 1);
  raw(&kind, 1);
  switch (v.kind()) {
    case ValueKind::none: break;
    case ValueKind::boolean: add(static_cast<std::int64_t>(v.as_bool())); break;
    case ValueKind::int64: add(v.as_int()); break;
    case ValueKind::float64: add(v.as_float()); break;
    case ValueKind::string: add(std::string_view(v.as_string())); break;
    case ValueKind::list:
      add(static_cast<std::int64_t>(v.as_list().size()));
      for (const auto& x : v.as_list()) add(x);
      break;
    case ValueKind::dict:
      add(static_cast<std::int64_t>(v.as_dict().size()));
      for (const auto& [k, x] : v.as_dict()) add(std::string_view(k)).add(x);
      break;
    case ValueKind::bytes:
      add(std::string_view(reinterpret_cast<const char*>(v.as_bytes().data()), v.as_bytes().size()));
      break;
    case ValueKind::ndarray: {
      const auto& a = v.as_ndarray();
      add(std::string_view(dtype_name(a.dtype())));
      add(static_cast<std::int64_t>(a.ndim()));
      for (auto d : a.shape()) add(d);
      if (a.buffer()) add(std::string_view(reinterpret_cast<const char*>(a.buffer()->data()), a.nbytes()));
      break;
    }
    case ValueKind::table: {
      const auto& t = v.as_table();
      add(t.index() ? std::string_view(*t.index()) : std::string_view("\x01noindex"));
      for (const auto& c : t.columns()) {
        add(std::string_view(c.name)).add(static_cast<std::int64_t>(c.type)).add(c.length);
        for (const auto* b : {&c.data, &c.offsets, &c.validity})
          add(*b ? std::string_view(reinterpret_cast<const char*>((*b)->data()), (*b)->size())
                 : std::string_view("\x01null"));
      }
      break;
    }
  }
  return *this;
}

std::string Tokenizer::hex() const {
  std::uint64_t h = XXH3_64bits_digest(st(state_));
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = digits[h & 15];
  return out;
}

std::string unique_token() {
  static const std::uint64_t seed = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
           static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }();
  static std::atomic<std::uint64_t> counter{0};
  Tokenizer t;
  t.add(static_cast<std::int64_t>(seed)).add(static_cast<std::int64_t>(counter++));
  return t.hex();
}

}  // namespace tessera
