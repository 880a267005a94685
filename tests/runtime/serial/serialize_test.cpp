// Round trips, byte layout, and hostile input for runtime/serial/serialize.hpp.
#include "runtime/serial/serialize.hpp"

#include <gtest/gtest.h>

#include "tests/support/error_of.hpp"

#include <chrono>
#include <cmath>
#include <cstring>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <streambuf>

#include "runtime/registry/registry.hpp"
#include "runtime/value/buffer.hpp"
#include "runtime/value/ndarray.hpp"
#include "runtime/util/error.hpp"

namespace tessera {
namespace {

std::int64_t serial_add(std::int64_t a, std::int64_t b) { return a + b; }
std::int64_t serial_neg(std::int64_t a) { return -a; }
TESSERA_FUNCTION_AS(serial_add, "test.serial.add");
TESSERA_FUNCTION_AS(serial_neg, "test.serial.neg");

/// A stream that cannot seek, as a socket or a pipe: the reader cannot know
/// how much input there is.
class NoSeekBuf final : public std::streambuf {
 public:
  explicit NoSeekBuf(const std::string& s) : s_(s) { setg(s_.data(), s_.data(), s_.data() + s_.size()); }

 private:
  std::string s_;
};

Value read_unseekable(const std::string& bytes) {
  NoSeekBuf buf(bytes);
  std::istream in(&buf);
  return read_value(in);
}

Value round_trip(const Value& v) { return deserialize_value(serialize_value(v)); }

using tessera::testing::error_of;

Table sample_table() {
  auto a = Column::from_int64("a", {1, 2, 3, 4, 5, 6, 7, 8, 9});
  auto validity = std::make_shared<Buffer>(2);
  validity->mutable_data()[0] = std::byte{0b1111'0101};  // rows 1 and 3 are null
  validity->mutable_data()[1] = std::byte{0b0000'0001};
  a.validity = validity;
  std::vector<Column> cols{
      a,
      Column::from_float64("b", {0.5, -1.25, 3, 4, 5, 6, 7, 8, 9}),
      Column::from_bool("c", {true, false, true, true, false, false, true, false, true}),
      Column::from_strings("name", {"", "alice", "bob", "", "\xc3\xa9t\xc3\xa9", "x", "yy", "zzz", "w"}),
      Column::from_timestamps("t", {0, 1, 2, 3, 4, 5, 6, 7, 1'600'000'000'000'000'000}),
  };
  return Table(std::move(cols), "a");
}

Value sample_value() {
  ValueDict inner{{"k", Value(1)}, {"list", Value(ValueList{Value(), Value(true), Value(2.5)})}};
  return Value(ValueDict{
      {"none", Value()},
      {"flag", Value(false)},
      {"int", Value(std::numeric_limits<std::int64_t>::min())},
      {"float", Value(-0.0)},
      {"string", Value(std::string("h\0llo", 5))},  // an embedded NUL survives
      {"bytes", Value::bytes(std::string_view("\x00\x01\xff", 3))},
      {"array", Value(NDArray::from_vector(std::vector<std::int64_t>{1, 2, 3}))},
      {"table", Value(sample_table())},
      {"nested", Value(ValueList{Value(inner), Value(ValueList{}), Value(ValueDict{})})},
  });
}

// ------------------------------------------------------------------ values

TEST(Serialize, ScalarsRoundTrip) {
  for (const Value& v : {Value(), Value(true), Value(false), Value(0), Value(-1), Value(42),
                         Value(std::numeric_limits<std::int64_t>::max()),
                         Value(std::numeric_limits<std::int64_t>::min()), Value(0.0), Value(-2.5),
                         Value(1e308), Value(std::numeric_limits<double>::infinity()),
                         Value(std::numeric_limits<double>::denorm_min()), Value(""), Value("abc")}) {
    Value back = round_trip(v);
    EXPECT_EQ(back.kind(), v.kind()) << v.repr();
    EXPECT_EQ(back, v) << v.repr();
  }
  EXPECT_TRUE(std::isnan(round_trip(Value(std::nan(""))).as_float()));
  EXPECT_TRUE(std::signbit(round_trip(Value(-0.0)).as_float()));
}

TEST(Serialize, ByteLayoutIsHeaderThenLittleEndian) {
  // 'T' 'S' 'V' version 1, cereal's byte-order flag (1 = little-endian), kind
  // int64 (2), then 0x0102030405060708 least significant byte first.
  std::string want("TSV\x01\x01\x02\x08\x07\x06\x05\x04\x03\x02\x01", 14);
  EXPECT_EQ(serialize_value(Value(std::int64_t{0x0102030405060708})), want);
  // A string: kind 4, 8-byte length, the bytes.
  EXPECT_EQ(serialize_value(Value("hi")), std::string("TSV\x01\x01\x04\x02\0\0\0\0\0\0\0hi", 16));
}

TEST(Serialize, StringsWithAnyBytes) {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  EXPECT_EQ(round_trip(Value(s)).as_string(), s);
}

TEST(Serialize, NestedListsAndDicts) {
  Value v = sample_value();
  Value back = round_trip(v);
  EXPECT_EQ(back, v);
  const auto& nested = back.as_dict().at("nested").as_list();
  ASSERT_EQ(nested.size(), 3u);
  EXPECT_EQ(nested[0].as_dict().at("list").as_list()[2].as_float(), 2.5);
  EXPECT_TRUE(nested[1].as_list().empty());
  EXPECT_TRUE(nested[2].as_dict().empty());
}

TEST(Serialize, Bytes) {
  EXPECT_EQ(round_trip(Value::bytes(std::string_view())).as_bytes().size(), 0u);
  std::string raw(1000, '\0');
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<char>(i * 7);
  Value back = round_trip(Value::bytes(raw));
  ASSERT_EQ(back.kind(), ValueKind::bytes);
  EXPECT_EQ(std::memcmp(back.as_bytes().data(), raw.data(), raw.size()), 0);
}

TEST(Serialize, ArraysOfEveryDtypeAndShape) {
  for (DType t : {DType::boolean, DType::uint8, DType::int32, DType::int64, DType::float32, DType::float64}) {
    for (const Shape& shape : {Shape{}, Shape{0}, Shape{5}, Shape{2, 3}, Shape{3, 0, 2}, Shape{1, 1, 1, 4}}) {
      auto n = static_cast<std::size_t>(shape_size(shape)) * dtype_size(t);
      auto buf = make_buffer(n);
      for (std::size_t i = 0; i < n; ++i) buf->mutable_data()[i] = static_cast<std::byte>(i * 13 + 1);
      NDArray a(t, shape, buf);
      NDArray b = round_trip(Value(a)).as_ndarray();
      EXPECT_EQ(b.dtype(), t);
      EXPECT_EQ(b.shape(), shape);
      EXPECT_EQ(b, a) << dtype_name(t) << " ndim " << shape.size();
    }
  }
  // A 0-d array holds exactly one element.
  auto zero_d = round_trip(Value(NDArray::zeros(DType::float64, {}))).as_ndarray();
  EXPECT_EQ(zero_d.ndim(), 0u);
  EXPECT_EQ(zero_d.size(), 1);
  EXPECT_EQ(zero_d.values<double>()[0], 0.0);
}

TEST(Serialize, DefaultNDArrayIsRefusedWithAMessage) {
  EXPECT_THROW(serialize_value(Value(NDArray())), ValueError);
}

TEST(Serialize, TablesWithNullsStringsAndIndex) {
  Table t = sample_table();
  Table back = round_trip(Value(t)).as_table();
  EXPECT_EQ(back, t);
  ASSERT_TRUE(back.index().has_value());
  EXPECT_EQ(*back.index(), "a");
  EXPECT_EQ(back.num_rows(), 9);
  const auto& a = back.column("a");
  EXPECT_TRUE(a.is_valid(0));
  EXPECT_FALSE(a.is_valid(1));
  EXPECT_FALSE(a.is_valid(3));
  EXPECT_TRUE(a.is_valid(8));
  const auto& name = back.column("name");
  EXPECT_EQ(name.string_at(0), "");
  EXPECT_EQ(name.string_at(1), "alice");
  EXPECT_EQ(name.string_at(4), "\xc3\xa9t\xc3\xa9");
  EXPECT_EQ(back.column("t").type, ColumnType::timestamp);
  EXPECT_EQ(back.column("t").data->as<std::int64_t>()[8], 1'600'000'000'000'000'000);
  // Empty tables, with and without columns.
  EXPECT_EQ(round_trip(Value(Table())).as_table(), Table());
  Table empty({Column::from_strings("s", {}), Column::from_int64("i", {})});
  EXPECT_EQ(round_trip(Value(empty)).as_table(), empty);
}

TEST(Serialize, StreamsHoldSeveralValuesBackToBack) {
  std::stringstream ss;
  write_value(ss, Value(1));
  write_value(ss, sample_value());
  write_value(ss, Value("last"));
  EXPECT_EQ(read_value(ss), Value(1));
  EXPECT_EQ(read_value(ss), sample_value());
  EXPECT_EQ(read_value(ss), Value("last"));
  EXPECT_THROW(read_value(ss), ValueError);  // nothing left

  NoSeekBuf buf(serialize_value(Value(7)) + serialize_value(Value(8)));
  std::istream in(&buf);
  EXPECT_EQ(read_value(in), Value(7));
  EXPECT_EQ(read_value(in), Value(8));
}

TEST(Serialize, LargeArrayIsOneBlock) {
  constexpr std::size_t n = (std::size_t{256} << 20) / sizeof(double);  // 256 MiB
  auto buf = make_buffer(n * sizeof(double));
  auto xs = buf->mutable_as<double>();
  for (std::size_t i = 0; i < n; ++i) xs[i] = static_cast<double>(i) * 0.5;
  Value v(NDArray(DType::float64, {static_cast<std::int64_t>(n / 1024), 1024}, buf));

  auto t0 = std::chrono::steady_clock::now();
  std::string bytes = serialize_value(v);
  auto t1 = std::chrono::steady_clock::now();
  Value back = deserialize_value(bytes);
  auto t2 = std::chrono::steady_clock::now();
  // One block: the data plus a fixed header (magic, flag, kind, dtype, ndim,
  // two extents, byte count), no per-element framing.
  EXPECT_EQ(bytes.size(), n * sizeof(double) + 4 + 1 + 1 + 1 + 8 + 2 * 8 + 8);
  EXPECT_EQ(back, v);
  EXPECT_EQ(back.as_ndarray().values<double>()[n - 1], static_cast<double>(n - 1) * 0.5);
  std::cout << "256 MiB ndarray: write "
            << std::chrono::duration<double>(t1 - t0).count() << " s, read "
            << std::chrono::duration<double>(t2 - t1).count() << " s\n";
}

TEST(Serialize, BigBlockFromAnUnseekableStreamIsReadInChunks) {
  // Larger than the 64 MiB read chunk, from a stream that cannot tell its size.
  constexpr std::size_t n = (std::size_t{80} << 20) / sizeof(std::int64_t);
  auto buf = make_buffer(n * sizeof(std::int64_t));
  auto xs = buf->mutable_as<std::int64_t>();
  for (std::size_t i = 0; i < n; ++i) xs[i] = static_cast<std::int64_t>(i * i);
  Value v(NDArray(DType::int64, {static_cast<std::int64_t>(n)}, buf));
  EXPECT_EQ(read_unseekable(serialize_value(v)), v);
}

// ------------------------------------------------------------------ hostile input

TEST(Serialize, EveryTruncationIsAValueError) {
  std::string bytes = serialize_value(sample_value());
  ASSERT_GT(bytes.size(), 100u);
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    std::string prefix = bytes.substr(0, len);
    EXPECT_THROW(deserialize_value(prefix), ValueError) << "prefix of " << len << " bytes";
    EXPECT_THROW(read_unseekable(prefix), ValueError) << "unseekable prefix of " << len << " bytes";
  }
  EXPECT_EQ(deserialize_value(bytes), sample_value());
}

TEST(Serialize, TruncationMessagesSayWhatWasMissing) {
  std::string bytes = serialize_value(Value(NDArray::from_vector(std::vector<double>(100, 1.0))));
  std::string cut = bytes.substr(0, bytes.size() - 788);  // 12 of the 800 data bytes remain
  EXPECT_EQ(error_of([&] { deserialize_value(cut); }),
            "truncated value: expected 800 bytes of ndarray data, got 12");
  EXPECT_EQ(error_of([&] { read_unseekable(cut); }),
            "truncated value: expected 800 bytes of ndarray data, got 12");
  EXPECT_EQ(error_of([] { deserialize_value("TS"); }),
            "truncated value: expected 4 bytes of header, got 2");
}

TEST(Serialize, TrailingBytesAreRejected) {
  std::string bytes = serialize_value(Value(1)) + "xy";
  EXPECT_EQ(error_of([&] { deserialize_value(bytes); }), "malformed value: 2 unexpected bytes after its end");
}

TEST(Serialize, HeaderIsChecked) {
  EXPECT_NE(error_of([] { deserialize_value("PK\x03\x04garbage"); }).find("not a serialised Tessera value"),
            std::string::npos);
  std::string task = serialize_task(TaskSpec{Key("x"), nullptr, {Arg(Value(1))}});
  EXPECT_EQ(error_of([&] { deserialize_value(task); }),
            "expected a serialised value but the input holds a task");
  std::string v2 = serialize_value(Value(1));
  v2[3] = 2;
  EXPECT_EQ(error_of([&] { deserialize_value(v2); }),
            "serialised value has format version 2; this build reads version 1");
}

TEST(Serialize, LyingLengthsFailWithoutHugeAllocations) {
  // Claim 100 GiB of bytes: seekable input is checked up front, unseekable
  // input is read in chunks until it ends.
  std::string bytes = serialize_value(Value::bytes(std::string_view("hello")));
  std::uint64_t huge = std::uint64_t{100} << 30;
  std::memcpy(bytes.data() + 6, &huge, sizeof huge);  // after header, flag and kind
  EXPECT_EQ(error_of([&] { deserialize_value(bytes); }),
            "truncated value: expected 107374182400 bytes of bytes data, got 5");
  EXPECT_EQ(error_of([&] { read_unseekable(bytes); }),
            "truncated value: expected 107374182400 bytes of bytes data, got 5");

  // A list that claims 2^62 elements.
  std::string list = serialize_value(Value(ValueList{Value(1)}));
  std::uint64_t many = std::uint64_t{1} << 62;
  std::memcpy(list.data() + 6, &many, sizeof many);
  EXPECT_THROW(deserialize_value(list), ValueError);
  EXPECT_THROW(read_unseekable(list), ValueError);

  // An ndarray whose shape overflows.
  std::string arr = serialize_value(Value(NDArray::zeros(DType::float64, {2, 2})));
  std::int64_t big = std::int64_t{1} << 62;
  std::memcpy(arr.data() + 6 + 1 + 8, &big, sizeof big);
  std::memcpy(arr.data() + 6 + 1 + 8 + 8, &big, sizeof big);
  EXPECT_THROW(deserialize_value(arr), ValueError);

  // Huge extents before a zero one: an empty array, as in NumPy, not an overflow.
  std::string empty = serialize_value(Value(NDArray::zeros(DType::float64, {2, 2, 0})));
  std::memcpy(empty.data() + 6 + 1 + 8, &big, sizeof big);
  std::memcpy(empty.data() + 6 + 1 + 8 + 8, &big, sizeof big);
  auto hollow = deserialize_value(empty).as_ndarray();
  EXPECT_EQ(hollow.size(), 0);
  EXPECT_EQ(hollow.shape(), (Shape{big, big, 0}));
}

TEST(Serialize, ShapesTooLargeToAddressAreErrors) {
  std::int64_t big = std::int64_t{1} << 40;
  EXPECT_THROW(NDArray(DType::float64, {big, big}, make_buffer(8)), ValueError);
  EXPECT_THROW(NDArray::zeros(DType::int32, {big, big}), ValueError);
}

TEST(Serialize, MalformedTablesAreRejected) {
  // String offsets pointing past the data would make string_at read out of bounds.
  Column bad{"s", ColumnType::string, 2, std::make_shared<Buffer>("abc", 3), nullptr, nullptr};
  std::vector<std::int64_t> offsets{0, 2, 100};
  bad.offsets = std::make_shared<Buffer>(offsets.data(), offsets.size() * 8);
  std::string bytes = serialize_value(Value(Table({bad})));
  EXPECT_NE(error_of([&] { deserialize_value(bytes); }).find("column 's' has string offset 100"),
            std::string::npos);
  // Too little data for the declared length.
  Column shortc{"i", ColumnType::int64, 3, std::make_shared<Buffer>(16), nullptr, nullptr};
  EXPECT_NE(error_of([&] { deserialize_value(serialize_value(Value(Table({shortc})))); })
                .find("column 'i' has 3 int64 rows but 16 bytes of data"),
            std::string::npos);
}

TEST(Serialize, RandomGarbageIsAValueError) {
  std::mt19937_64 rng(12345);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string junk(rng() % 64, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    EXPECT_THROW(deserialize_value(junk), ValueError) << "trial " << trial;
  }
}

TEST(Serialize, CorruptedBytesNeverCrash) {
  // Flip bytes of a valid serialisation (header kept): every outcome must be
  // a ValueError or some value, never a crash (run under ASan too).
  const std::string good = serialize_value(sample_value());
  std::mt19937_64 rng(777);
  int errors = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string bytes = good;
    int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips; ++f) {
      auto at = 5 + rng() % (bytes.size() - 5);
      bytes[at] = static_cast<char>(rng());
    }
    try {
      (void)deserialize_value(bytes);
    } catch (const ValueError&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, 0);
}

TEST(Serialize, NestingDepthIsLimited) {
  Value deep = Value(1);
  for (int i = 0; i < 10'000; ++i) deep = Value(ValueList{deep});
  Value back = round_trip(deep);
  const Value* p = &back;
  int depth = 0;
  while (p->kind() == ValueKind::list) {
    p = &p->as_list()[0];
    ++depth;
  }
  EXPECT_EQ(depth, 10'000);
  EXPECT_EQ(p->as_int(), 1);

  Value deeper = Value(ValueList{deep});
  EXPECT_NE(error_of([&] { serialize_value(deeper); }).find("deeper than 10000"), std::string::npos);

  // Hand-made input nested 10,001 deep (list of one element, 10,001 times).
  std::string bytes = serialize_value(Value()).substr(0, 5);
  std::string one_list("\x05\x01\0\0\0\0\0\0\0", 9);
  for (int i = 0; i < 10'001; ++i) bytes += one_list;
  bytes += '\0';
  EXPECT_EQ(error_of([&] { deserialize_value(bytes); }),
            "malformed value: lists and dicts nested deeper than 10000 levels");
}

TEST(Serialize, DuplicateDictKeysAndBadTagsAreRejected) {
  std::string d = serialize_value(Value(ValueDict{{"a", Value(1)}, {"b", Value(2)}}));
  auto pos = d.rfind('b');
  d[pos] = 'a';
  EXPECT_EQ(error_of([&] { deserialize_value(d); }), "malformed value: duplicate dict key 'a'");
  std::string tag = serialize_value(Value());
  tag[5] = 42;
  EXPECT_EQ(error_of([&] { deserialize_value(tag); }), "malformed value: unknown value kind code 42");
  std::string b = serialize_value(Value(true));
  b[6] = 2;
  EXPECT_EQ(error_of([&] { deserialize_value(b); }), "malformed value: bool byte is 2, not 0 or 1");
}

// ------------------------------------------------------------------ tasks

bool args_equal(const ArgList& a, const ArgList& b);

bool arg_equal(const Arg& a, const Arg& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Arg::Kind::literal: return a.literal() == b.literal();
    case Arg::Kind::ref: return a.ref() == b.ref();
    case Arg::Kind::list: return args_equal(a.list(), b.list());
    case Arg::Kind::call:
      return a.call().fn == b.call().fn && a.call().key == b.call().key &&
             args_equal(a.call().args, b.call().args);
  }
  return false;
}

bool args_equal(const ArgList& a, const ArgList& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!arg_equal(a[i], b[i])) return false;
  return true;
}

class MapLookup final : public ValueLookup {
 public:
  std::map<Key, Value> values;
  const Value& get(const Key& k) const override { return values.at(k); }
};

Arg call(FunctionPtr fn, ArgList args, Key key = Key()) {
  return Arg(std::shared_ptr<const Call>(
      std::make_shared<Call>(Call{std::move(fn), std::move(args), std::move(key)})));
}

TEST(SerializeTask, RoundTripWithNestedCallsAndRefs) {
  auto add = Registry::global().get("test.serial.add");
  auto neg = Registry::global().get("test.serial.neg");
  Key x("x-1"), y("y-2", {0, 3});
  // add(neg(add(x, 10)), y)  plus a list argument on a second task
  TaskSpec t{Key("sum-abc", {1}), add,
             {call(neg, {call(add, {Arg(x), Arg(Value(10))}, Key("fused-1", {0}))}), Arg(y)}};
  TaskSpec back = deserialize_task(serialize_task(t));
  EXPECT_EQ(back.key, t.key);
  EXPECT_EQ(back.key.str(), "('sum-abc', 1)");
  EXPECT_EQ(back.fn, add);  // resolved through the registry
  EXPECT_TRUE(args_equal(back.args, t.args));
  EXPECT_TRUE(back.args[0].call().key.empty());
  EXPECT_EQ(back.args[0].call().args[0].call().key.str(), "('fused-1', 0)");  // a fused task's key travels
  EXPECT_EQ(dependencies(back), (std::vector<Key>{x, y}));

  MapLookup lookup;
  lookup.values[x] = Value(5);
  lookup.values[y] = Value(100);
  EXPECT_EQ(run_task(back, lookup), Value(85));  // -(5 + 10) + 100
  EXPECT_EQ(run_task(t, lookup), Value(85));

  ValueList payload{Value("s"), Value(NDArray::from_vector(std::vector<double>{1, 2}))};
  TaskSpec listy{Key("l"), nullptr, {Arg(ArgList{Arg(x), Arg(Value(payload)), Arg(ArgList{})})}};
  TaskSpec back2 = deserialize_task(serialize_task(listy));
  EXPECT_EQ(back2.fn, nullptr);
  EXPECT_EQ(back2.function_name(), "identity");
  EXPECT_TRUE(args_equal(back2.args, listy.args));
}

TEST(SerializeTask, LocalFunctionsCannotTravel) {
  auto local = make_function("my_local_inc", [](std::int64_t v) { return v + 1; });
  TaskSpec t{Key("inc-1"), local, {Arg(Value(1))}};
  auto msg = error_of([&] { serialize_task(t); });
  EXPECT_NE(msg.find("'my_local_inc' is a local function that cannot be sent to another process"),
            std::string::npos)
      << msg;
  EXPECT_THROW(serialize_task(t), ValueError);
  // Also when hidden in a nested call.
  TaskSpec nested{Key("n-1"), Registry::global().get("test.serial.neg"), {call(local, {Arg(Value(1))})}};
  EXPECT_NE(error_of([&] { serialize_task(nested); }).find("my_local_inc"), std::string::npos);
}

TEST(SerializeTask, UnknownFunctionOnLoadIsAKeyError) {
  // Marked registered, but never added to this process's registry.
  auto ghost = make_function("test.serial.ghost", [](std::int64_t v) { return v; }, true);
  std::string bytes = serialize_task(TaskSpec{Key("g"), ghost, {Arg(Value(1))}});
  EXPECT_THROW(deserialize_task(bytes), KeyError);
  EXPECT_NE(error_of([&] { deserialize_task(bytes); }).find("'test.serial.ghost'"), std::string::npos);
}

TEST(SerializeTask, TruncatedAndCorruptTasks) {
  auto add = Registry::global().get("test.serial.add");
  TaskSpec t{Key("a"), add, {Arg(Key("b")), Arg(ArgList{Arg(Value(1)), call(add, {Arg(Value(2)), Arg(Value(3))})})}};
  std::string bytes = serialize_task(t);
  for (std::size_t len = 0; len < bytes.size(); ++len)
    EXPECT_THROW(deserialize_task(bytes.substr(0, len)), ValueError) << len;
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string b = bytes;
    b[5 + rng() % (b.size() - 5)] = static_cast<char>(rng());
    try {
      (void)deserialize_task(b);
    } catch (const ValueError&) {
    } catch (const KeyError&) {  // a function name was damaged
    }
  }
}

/// Bytes of `s` copied into a fresh buffer so that byte `at` of them lands at
/// 64-byte alignment plus `skew`; returns the buffer and the copy's view.
std::pair<std::shared_ptr<Buffer>, std::string_view> placed(const std::string& s, std::size_t at, std::size_t skew) {
  auto owner = make_buffer(s.size() + 128);
  auto base = reinterpret_cast<std::uintptr_t>(owner->data());
  std::size_t start = (64 - (base + at) % 64) % 64 + skew;
  std::memcpy(owner->mutable_data() + start, s.data(), s.size());
  return {owner, std::string_view(reinterpret_cast<const char*>(owner->data()) + start, s.size())};
}

TEST(Serialize, LargeAlignedBlocksAreUsedInPlace) {
  std::vector<double> xs(1 << 14);  // 128 KiB
  for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = 0.25 * static_cast<double>(i);
  Value v(NDArray::from_vector(xs));
  auto bytes = serialize_value(v);
  const std::size_t block_at = bytes.size() - xs.size() * sizeof(double);  // the data ends the value
  auto inside = [](const Value& got, const std::shared_ptr<Buffer>& owner) {
    const auto* p = got.as_ndarray().buffer()->data();
    return p >= owner->data() && p < owner->data() + owner->size();
  };

  auto [owner, view] = placed(bytes, block_at, 0);
  Value in_place = deserialize_value(view, owner);
  EXPECT_EQ(in_place, v);
  EXPECT_TRUE(inside(in_place, owner)) << "an aligned block should be a view of the input";
  auto use_count = owner.use_count();
  EXPECT_GE(use_count, 2) << "the value keeps its input alive";

  // Not aligned: copied (array storage stays 64-byte aligned).
  auto [owner2, view2] = placed(bytes, block_at, 8);
  Value copied = deserialize_value(view2, owner2);
  EXPECT_EQ(copied, v);
  EXPECT_FALSE(inside(copied, owner2));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(copied.as_ndarray().buffer()->data()) % 64, 0u);

  // Small blocks are always copied: a few bytes never pin a whole frame.
  auto small = serialize_value(Value(NDArray::from_vector(std::vector<double>(16, 1.0))));
  auto [owner3, view3] = placed(small, small.size() - 128, 0);
  EXPECT_FALSE(inside(deserialize_value(view3, owner3), owner3));
  // Malformed input is still caught: a truncated copy.
  auto [owner4, view4] = placed(bytes, block_at, 0);
  EXPECT_THROW(deserialize_value(view4.substr(0, view4.size() - 1), owner4), ValueError);
}

}  // namespace
}  // namespace tessera
