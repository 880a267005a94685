// Value, NDArray and Table (runtime/value/*.hpp).
#include "runtime/value/value.hpp"

#include <gtest/gtest.h>

#include "tests/support/error_of.hpp"

#include <cmath>
#include <limits>

#include "runtime/util/error.hpp"

namespace tessera {
namespace {

using tessera::testing::error_of;

TEST(Value, KindsAndAccessors) {
  EXPECT_EQ(Value().kind(), ValueKind::none);
  EXPECT_TRUE(Value(nullptr).is_none());
  EXPECT_EQ(Value(true).kind(), ValueKind::boolean);
  EXPECT_TRUE(Value(true).as_bool());
  EXPECT_EQ(Value(7).kind(), ValueKind::int64);
  EXPECT_EQ(Value(std::uint8_t{200}).as_int(), 200);
  EXPECT_EQ(Value(-3L).as_int(), -3);
  EXPECT_EQ(Value(2.5).kind(), ValueKind::float64);
  EXPECT_EQ(Value(2.5f).as_float(), 2.5);
  EXPECT_EQ(Value(4).as_float(), 4.0);  // int widens to float
  EXPECT_EQ(Value("abc").kind(), ValueKind::string);
  EXPECT_EQ(Value(std::string_view("xy")).as_string(), "xy");
  EXPECT_EQ(Value(ValueList{Value(1), Value("a")}).as_list().size(), 2u);
  EXPECT_EQ(Value(ValueDict{{"k", Value(1)}}).as_dict().at("k").as_int(), 1);
  Value b = Value::bytes(std::string_view("\x01\x02\x03", 3));
  EXPECT_EQ(b.kind(), ValueKind::bytes);
  EXPECT_EQ(b.as_bytes().size(), 3u);
  EXPECT_EQ(static_cast<int>(b.as_bytes().data()[2]), 3);
  EXPECT_EQ(Value::bytes(BufferPtr()).as_bytes().size(), 0u);  // null buffer = empty bytes
  EXPECT_EQ(Value(NDArray::zeros(DType::int32, {2, 2})).as_ndarray().size(), 4);
  EXPECT_EQ(Value(Table({Column::from_int64("a", {1, 2})})).as_table().num_rows(), 2);
}

TEST(Value, KindNames) {
  EXPECT_EQ(kind_name(ValueKind::none), "none");
  EXPECT_EQ(kind_name(ValueKind::boolean), "bool");
  EXPECT_EQ(kind_name(ValueKind::int64), "int64");
  EXPECT_EQ(kind_name(ValueKind::float64), "float64");
  EXPECT_EQ(kind_name(ValueKind::string), "string");
  EXPECT_EQ(kind_name(ValueKind::list), "list");
  EXPECT_EQ(kind_name(ValueKind::dict), "dict");
  EXPECT_EQ(kind_name(ValueKind::bytes), "bytes");
  EXPECT_EQ(kind_name(ValueKind::ndarray), "ndarray");
  EXPECT_EQ(kind_name(ValueKind::table), "table");
}

TEST(Value, WrongKindIsATypeErrorNamingBothKinds) {
  EXPECT_THROW(Value(3).as_string(), TypeError);
  EXPECT_EQ(error_of([] { Value(3).as_string(); }), "expected string, got int64 3");
  EXPECT_EQ(error_of([] { Value("x").as_int(); }), "expected int64, got string 'x'");
  EXPECT_EQ(error_of([] { Value().as_bool(); }), "expected bool, got none None");
  EXPECT_EQ(error_of([] { Value(true).as_float(); }), "expected float64, got bool True");
  EXPECT_EQ(error_of([] { Value(1.5).as_list(); }), "expected list, got float64 1.5");
  EXPECT_THROW(Value(1).as_dict(), TypeError);
  EXPECT_THROW(Value(1).as_bytes(), TypeError);
  EXPECT_THROW(Value(1).as_ndarray(), TypeError);
  EXPECT_THROW(Value(1).as_table(), TypeError);
  EXPECT_THROW(Value(2.0).as_int(), TypeError);  // no silent narrowing
}

TEST(Value, Nbytes) {
  const std::size_t base = sizeof(Value);
  EXPECT_EQ(Value().nbytes(), base);
  EXPECT_EQ(Value(1).nbytes(), base);
  EXPECT_EQ(Value("abcd").nbytes(), base + 4);
  EXPECT_EQ(Value::bytes(std::string_view("12345")).nbytes(), base + 5);
  EXPECT_EQ(Value(NDArray::zeros(DType::float64, {10})).nbytes(), base + 80);
  EXPECT_EQ(Value(NDArray::zeros(DType::int32, {3, 5})).nbytes(), base + 60);
  EXPECT_EQ(Value(ValueList{Value(1), Value("ab")}).nbytes(), base + base + (base + 2));
  EXPECT_EQ(Value(ValueDict{{"key", Value("v")}}).nbytes(), base + 3 + base + 1);
  // Table: 3 int64 (24) + strings: 6 bytes of data and 4 offsets (32).
  Table t({Column::from_int64("a", {1, 2, 3}), Column::from_strings("s", {"ab", "cd", "ef"})});
  EXPECT_EQ(t.nbytes(), 24u + 6 + 32);
  EXPECT_EQ(Value(t).nbytes(), base + 62);
}

TEST(Value, Repr) {
  EXPECT_EQ(Value().repr(), "None");
  EXPECT_EQ(Value(true).repr(), "True");
  EXPECT_EQ(Value(false).repr(), "False");
  EXPECT_EQ(Value(3).repr(), "3");
  EXPECT_EQ(Value(-12).repr(), "-12");
  EXPECT_EQ(Value(2.5).repr(), "2.5");
  EXPECT_EQ(Value(1.0).repr(), "1.0");
  EXPECT_EQ(Value(-3.0).repr(), "-3.0");
  EXPECT_EQ(Value(0.1).repr(), "0.1");  // shortest round trip, as Python
  EXPECT_EQ(Value(1e20).repr(), "1e+20");
  EXPECT_EQ(Value(std::numeric_limits<double>::infinity()).repr(), "inf");
  EXPECT_EQ(Value("a").repr(), "'a'");
  EXPECT_EQ(Value("it's").repr(), "'it\\'s'");
  EXPECT_EQ(Value(ValueList{Value(1), Value(2)}).repr(), "[1, 2]");
  EXPECT_EQ(Value(ValueList{}).repr(), "[]");
  EXPECT_EQ(Value(ValueDict{{"k", Value(1)}, {"j", Value(ValueList{Value()})}}).repr(),
            "{'j': [None], 'k': 1}");
  EXPECT_EQ(Value::bytes(std::string_view("abc")).repr(), "bytes[3]");
  EXPECT_EQ(Value(NDArray::zeros(DType::float64, {4, 4})).repr(), "ndarray<float64>(4, 4)");
  EXPECT_EQ(Value(NDArray::zeros(DType::int64, {4})).repr(), "ndarray<int64>(4,)");
  EXPECT_EQ(Value(NDArray::zeros(DType::uint8, {})).repr(), "ndarray<uint8>()");
  Table t({Column::from_int64("a", {1, 2, 3}), Column::from_float64("b", {1, 2, 3})});
  EXPECT_EQ(Value(t).repr(), "table[3 rows x 2 columns]");
}

TEST(Value, Equality) {
  EXPECT_EQ(Value(), Value());
  EXPECT_EQ(Value(1), Value(1));
  EXPECT_NE(Value(1), Value(2));
  EXPECT_NE(Value(1), Value(true));  // kinds differ
  EXPECT_NE(Value(1), Value("1"));
  EXPECT_EQ(Value("a"), Value(std::string("a")));
  EXPECT_EQ(Value(ValueList{Value(1), Value("x")}), Value(ValueList{Value(1), Value("x")}));
  EXPECT_NE(Value(ValueList{Value(1)}), Value(ValueList{Value(1), Value(1)}));
  EXPECT_EQ(Value(ValueDict{{"a", Value(1)}}), Value(ValueDict{{"a", Value(1)}}));
  EXPECT_NE(Value(ValueDict{{"a", Value(1)}}), Value(ValueDict{{"b", Value(1)}}));
  EXPECT_EQ(Value::bytes(std::string_view("ab")), Value::bytes(std::string_view("ab")));
  EXPECT_NE(Value::bytes(std::string_view("ab")), Value::bytes(std::string_view("ac")));
  EXPECT_EQ(Value(NDArray::from_vector(std::vector<double>{1, 2})),
            Value(NDArray::from_vector(std::vector<double>{1, 2})));
  EXPECT_NE(Value(NDArray::from_vector(std::vector<double>{1, 2})),
            Value(NDArray::from_vector(std::vector<double>{1, 3})));
  // Same bytes, different dtype or shape: not equal.
  EXPECT_NE(Value(NDArray::zeros(DType::int64, {2})), Value(NDArray::zeros(DType::float64, {2})));
  EXPECT_NE(Value(NDArray::zeros(DType::int64, {2, 1})), Value(NDArray::zeros(DType::int64, {1, 2})));
  Value t1(Table({Column::from_strings("s", {"a", "b"})}));
  Value t2(Table({Column::from_strings("s", {"a", "b"})}));
  Value t3(Table({Column::from_strings("s", {"a", "c"})}));
  EXPECT_EQ(t1, t2);
  EXPECT_NE(t1, t3);
}

TEST(Value, CopiesShareThePayload) {
  Value a(NDArray::zeros(DType::float64, {1000}));
  Value b = a;
  EXPECT_EQ(a.as_ndarray().buffer(), b.as_ndarray().buffer());
  Value s("long string payload");
  Value s2 = s;
  EXPECT_EQ(&s.as_string(), &s2.as_string());
}

TEST(Value, DeeplyNestedValuesAreDroppedWithoutRecursion) {
  Value v(1);
  for (int i = 0; i < 100'000; ++i)
    v = (i % 2) ? Value(ValueDict{{"k", v}}) : Value(ValueList{v, Value("x")});
  Value shared = v.as_dict().at("k");  // a sub-value still referenced elsewhere survives
  v = Value();
  EXPECT_EQ(shared.as_list().size(), 2u);
  shared = Value();
  SUCCEED();
}

TEST(NDArray, ShapeAndBuffer) {
  auto a = NDArray::from_vector(std::vector<double>{1, 2, 3});
  EXPECT_EQ(a.dtype(), DType::float64);
  EXPECT_EQ(a.shape(), (Shape{3}));
  EXPECT_EQ(a.ndim(), 1u);
  EXPECT_EQ(a.size(), 3);
  EXPECT_EQ(a.nbytes(), 24u);
  EXPECT_EQ(a.values<double>()[2], 3.0);
  auto b = NDArray::from_vector(std::vector<std::int64_t>{4, 5});
  EXPECT_EQ(b.dtype(), DType::int64);
  EXPECT_EQ(b.values<std::int64_t>()[1], 5);
  auto z = NDArray::zeros(DType::int32, {2, 3});
  EXPECT_EQ(z.nbytes(), 24u);
  for (auto x : z.values<std::int32_t>()) EXPECT_EQ(x, 0);
  EXPECT_EQ(shape_size({}), 1);
  EXPECT_EQ(shape_size({2, 0, 5}), 0);
  EXPECT_EQ(shape_size({2, 3, 4}), 24);
  EXPECT_EQ(NDArray::zeros(DType::float32, {}).size(), 1);
  EXPECT_EQ(NDArray::zeros(DType::float32, {}).nbytes(), 4u);
  EXPECT_EQ(NDArray::zeros(DType::float64, {0, 7}).nbytes(), 0u);
}

TEST(NDArray, BufferSizeMustMatchTheShape) {
  EXPECT_EQ(error_of([] { NDArray(DType::float64, {2, 2}, make_buffer(24)); }),
            "NDArray: shape needs 32 bytes of float64 but the buffer holds 24");
  EXPECT_THROW(NDArray(DType::int32, {3}, nullptr), ValueError);
  EXPECT_EQ(error_of([] { NDArray(DType::uint8, {-1}, make_buffer(0)); }),
            "NDArray: negative extent -1 in shape");
  EXPECT_NO_THROW(NDArray(DType::int32, {3}, make_buffer(12)));
}

TEST(DType, NamesAndSizes) {
  EXPECT_EQ(dtype_size(DType::boolean), 1u);
  EXPECT_EQ(dtype_size(DType::uint8), 1u);
  EXPECT_EQ(dtype_size(DType::int32), 4u);
  EXPECT_EQ(dtype_size(DType::float32), 4u);
  EXPECT_EQ(dtype_size(DType::int64), 8u);
  EXPECT_EQ(dtype_size(DType::float64), 8u);
  for (auto t : {DType::boolean, DType::uint8, DType::int32, DType::int64, DType::float32, DType::float64})
    EXPECT_EQ(parse_dtype(dtype_name(t)), t);
  EXPECT_EQ(error_of([] { parse_dtype("complex128"); }),
            "unknown dtype 'complex128' (expected bool, uint8, int32, int64, float32 or float64)");
  EXPECT_EQ(column_type_name(ColumnType::string), "object");
  EXPECT_EQ(column_type_name(ColumnType::timestamp), "datetime64[ns]");
}

TEST(Table, ColumnsAndAccess) {
  Table t({Column::from_int64("a", {1, 2, 3}), Column::from_bool("b", {true, false, true}),
           Column::from_strings("s", {"x", "", "zz"})},
          "a");
  EXPECT_EQ(t.num_rows(), 3);
  EXPECT_EQ(t.num_columns(), 3u);
  EXPECT_EQ(*t.index(), "a");
  EXPECT_EQ(t.column("a").data->as<std::int64_t>()[2], 3);
  EXPECT_EQ(t.column("b").data->as<std::uint8_t>()[1], 0);
  EXPECT_EQ(t.column("s").string_at(0), "x");
  EXPECT_EQ(t.column("s").string_at(1), "");
  EXPECT_EQ(t.column("s").string_at(2), "zz");
  EXPECT_TRUE(t.column("s").is_valid(1));  // no bitmap: all valid
  EXPECT_EQ(Table().num_rows(), 0);
}

TEST(Table, ConstructionErrors) {
  EXPECT_EQ(error_of([] { Table({Column::from_int64("a", {1, 2}), Column::from_float64("b", {1})}); }),
            "Table: column 'b' has 1 rows, column 'a' has 2");
  EXPECT_THROW(Table({Column::from_int64("a", {1}), Column::from_float64("b", {})}), ValueError);
  EXPECT_EQ(error_of([] { Table({Column::from_int64("a", {1}), Column::from_int64("a", {2})}); }),
            "Table: duplicate column name 'a'");
  Table t({Column::from_int64("a", {1}), Column::from_int64("b", {2})});
  EXPECT_THROW(t.column("z"), KeyError);
  EXPECT_EQ(error_of([&] { t.column("z"); }), "no column 'z' (columns: a, b)");
  EXPECT_THROW(Table({Column::from_int64("a", {1})}, "nope"), KeyError);
}

TEST(Table, Equality) {
  auto make = [](double x) {
    return Table({Column::from_int64("a", {1, 2}), Column::from_float64("b", {0.5, x})});
  };
  EXPECT_EQ(make(1), make(1));
  EXPECT_FALSE(make(1) == make(2));
  Table with_index({Column::from_int64("a", {1, 2})}, "a");
  Table without({Column::from_int64("a", {1, 2})});
  EXPECT_FALSE(with_index == without);
}

}  // namespace
}  // namespace tessera
