#include "net/serialized_value.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "runtime/serial/serialize.hpp"
#include "runtime/value/buffer.hpp"
#include "runtime/value/ndarray.hpp"

namespace tessera::net {
namespace {

Value float_array(std::size_t n) {
  auto buf = make_buffer(n * sizeof(double));
  auto d = buf->mutable_as<double>();
  for (std::size_t i = 0; i < n; ++i) d[i] = 0.5 * static_cast<double>(i);
  return Value(NDArray(DType::float64, {static_cast<std::int64_t>(n)}, std::move(buf)));
}

TEST(SerializedValue, SameBytesAsSerializeValue) {
  std::vector<Value> values{Value(), Value(true), Value(-3), Value(2.5), Value("text"),
                            Value(ValueList{Value(1), Value("a"), Value(ValueList{})}),
                            Value(ValueDict{{"k", Value(1.5)}}), Value::bytes(std::string(100000, 'b')),
                            float_array(10), float_array(50000),
                            Value(ValueList{float_array(4096), Value::bytes("small"), float_array(3)})};
  for (const auto& v : values) {
    SerializedValue s(v);
    auto flat = s.flatten();
    EXPECT_EQ(flat, serialize_value(v)) << v.repr(80);
    EXPECT_EQ(s.size(), flat.size());
    EXPECT_EQ(s.checksum(), frame_checksum(as_bytes(flat)));
    EXPECT_EQ(deserialize_value(flat), v);
  }
}

TEST(SerializedValue, BorrowsLargeBuffersWithoutCopying) {
  auto v = float_array(1 << 16);  // 512 KiB
  SerializedValue s(v);
  const auto* data = v.as_ndarray().buffer()->data();
  bool borrowed = false;
  for (auto span : s.spans()) borrowed = borrowed || (span.data() == data && span.size() == (std::size_t{1} << 19));
  EXPECT_TRUE(borrowed) << "the array's buffer should be one span, pointing at the buffer itself";
  EXPECT_LE(s.spans().size(), 2u);
}

TEST(SerializedValue, SpansStayValidWhenMoved) {
  std::vector<SerializedValue> all;
  for (int i = 0; i < 20; ++i) all.emplace_back(Value(i));  // small: all owned bytes, vector reallocates
  for (int i = 0; i < 20; ++i) EXPECT_EQ(deserialize_value(all[i].flatten()), Value(i));
}

TEST(SerializedValue, UnserializableValueThrows) {
  EXPECT_THROW(SerializedValue{Value(NDArray())}, ValueError);
}

}  // namespace
}  // namespace tessera::net
