// The REPL language without a cluster: lexer and parser (caret errors,
// incomplete input, precedence), the printer (NumPy- and JSON-like), and the
// lambda expression trees that workers evaluate (runtime/expr).
#include <gtest/gtest.h>

#include "runtime/expr/lambda_expr.hpp"
#include "runtime/registry/registry.hpp"
#include "runtime/util/error.hpp"
#include "tools/repl/parser.hpp"
#include "tools/repl/printer.hpp"
#include "tools/repl/syntax_error.hpp"

namespace tessera::repl {
namespace {

std::string error_of(const std::string& source) {
  try {
    parse_program(source);
  } catch (const SyntaxError& e) {
    return format_syntax_error(source, e) + (e.incomplete() ? " [incomplete]" : "");
  }
  return "no error";
}

TEST(ReplParser, CaretUnderTheColumn) {
  EXPECT_EQ(error_of("x = (1 +* 2)"), "  x = (1 +* 2)\n          ^\nSyntaxError: unexpected '*' (line 1, column 9)");
  EXPECT_EQ(error_of("a = 1\nb = a b"),
            "  b = a b\n        ^\nSyntaxError: expected the end of the statement, got 'b' (line 2, column 7)");
  EXPECT_EQ(error_of("f(a=1, 2)"),
            "  f(a=1, 2)\n         ^\nSyntaxError: a positional argument follows a keyword argument (line 1, column 8)");
  EXPECT_EQ(error_of("x = 1 +"), "  x = 1 +\n         ^\nSyntaxError: expected an expression, got the end of the input (line 1, column 8)");
  EXPECT_EQ(error_of("x ) 1"), "  x ) 1\n    ^\nSyntaxError: unmatched ')' (line 1, column 3)");
  EXPECT_EQ(error_of("x = $"), "  x = $\n      ^\nSyntaxError: unexpected character '$' (line 1, column 5)");
  EXPECT_EQ(error_of("1 = x"),
            "  1 = x\n    ^\nSyntaxError: cannot assign to this expression (only to names: x = ...) (line 1, column 3)");
}

TEST(ReplParser, OpenBracketsAndTripleQuotesAreIncomplete) {
  EXPECT_NE(error_of("x = [1,\n2").find("[incomplete]"), std::string::npos);
  EXPECT_NE(error_of("f(\"\"\"abc").find("[incomplete]"), std::string::npos);
  EXPECT_EQ(error_of("'abc").find("[incomplete]"), std::string::npos);
  EXPECT_EQ(error_of("x = [1,\n2]"), "no error");
}

TEST(ReplParser, StatementsAndPrecedence) {
  auto p = parse_program("import dask.array as da; from dask import delayed\na, b = 1, 2\nx += -2 ** 2\nx[0:10, ::2]");
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].kind, StatementKind::import);
  EXPECT_EQ(p[0].module, "dask.array");
  EXPECT_EQ(p[0].targets[0], "da");
  EXPECT_EQ(p[1].module, "dask.delayed");
  EXPECT_EQ(p[2].targets.size(), 2u);
  EXPECT_EQ(p[3].op, "+=");
  // -2 ** 2 is -(2 ** 2), as Python.
  EXPECT_EQ(p[3].value->kind, NodeKind::unary);
  EXPECT_EQ(p[3].value->kids[0]->text, "**");
  const auto& index = p[4].value;
  ASSERT_EQ(index->kind, NodeKind::index);
  ASSERT_EQ(index->kids[1]->kind, NodeKind::tuple);
  EXPECT_EQ(index->kids[1]->kids[0]->kind, NodeKind::slice);
  auto e = parse_expression("lambda r: r['age'] > 30 and not r['x'] or 1 if a else b");
  EXPECT_EQ(e->kind, NodeKind::lambda);
  EXPECT_EQ(e->kids[0]->kind, NodeKind::if_else);
  EXPECT_EQ(e->kids[0]->kids[0]->kind, NodeKind::or_);
}

TEST(ReplParser, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '(');
  EXPECT_NE(error_of(deep).find("SyntaxError"), std::string::npos);
  std::string minus(5000, '-');
  EXPECT_NE(error_of(minus + "1").find("nested too deeply"), std::string::npos);
  std::string nots;
  for (int i = 0; i < 3000; ++i) nots += "not ";
  EXPECT_NE(error_of(nots + "1").find("nested too deeply"), std::string::npos);
}

TEST(ReplPrinter, ArraysAsNumPyPrintsThem) {
  EXPECT_EQ(format_ndarray(NDArray::from_vector(std::vector<std::int64_t>{0, 1, 2})), "array([0, 1, 2])");
  EXPECT_EQ(format_ndarray(NDArray::from_vector(std::vector<double>{0.0, 0.5, 1.0})), "array([0. , 0.5, 1. ])");
  std::vector<std::int64_t> big(2000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::int64_t>(i);
  EXPECT_EQ(format_ndarray(NDArray::from_vector(big)), "array([   0,    1,    2, ..., 1997, 1998, 1999])");
  auto m = NDArray(DType::int64, {2, 2}, NDArray::from_vector(std::vector<std::int64_t>{1, 2, 3, 40}).buffer());
  EXPECT_EQ(format_ndarray(m), "array([[ 1,  2],\n       [ 3, 40]])");
  EXPECT_EQ(format_ndarray(NDArray(DType::float64, {}, NDArray::from_vector(std::vector<double>{2.5}).buffer())), "2.5");
}

TEST(ReplPrinter, ListsAndDictsAsJson) {
  ValueDict d;
  d["a"] = Value(ValueList{Value(1), Value(2.5), Value(), Value(true), Value("x\"y")});
  EXPECT_EQ(format_json(Value(d)), "{\"a\": [1, 2.5, null, true, \"x\\\"y\"]}");
  EXPECT_EQ(format_float(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_float(3.0), "3.0");
  EXPECT_EQ(format_float(1e20), "1e+20");
}

Value tree(std::initializer_list<Value> xs) { return Value(ValueList(xs)); }

TEST(ReplLambda, ExpressionTreesFollowPython) {
  Value arg = tree({"arg", 0});
  auto eval1 = [](const Value& t, const Value& x) { return expr::evaluate(t, std::span<const Value>(&x, 1)); };
  ValueDict rec;
  rec["age"] = Value(31);
  Value gt = tree({"bin", ">", tree({"item", arg, tree({"const", "age"})}), tree({"const", 30})});
  EXPECT_EQ(eval1(gt, Value(rec)), Value(true));
  EXPECT_EQ(expr::binary_op("//", Value(-7), Value(2)), Value(-4));
  EXPECT_EQ(expr::binary_op("%", Value(-7), Value(3)), Value(2));
  EXPECT_EQ(expr::binary_op("/", Value(7), Value(2)), Value(3.5));
  EXPECT_EQ(expr::binary_op("==", Value(1), Value(1.0)), Value(true));
  EXPECT_EQ(expr::binary_op("+", Value("a"), Value("b")), Value("ab"));
  EXPECT_EQ(expr::binary_op("<", Value(ValueList{Value(1), Value(2)}), Value(ValueList{Value(1), Value(3)})), Value(true));
  EXPECT_THROW(expr::binary_op("+", Value(std::int64_t{INT64_MAX}), Value(1)), ValueError);
  EXPECT_THROW(expr::binary_op("+", Value("a"), Value(1)), TypeError);
  EXPECT_THROW(expr::binary_op("//", Value(1), Value(0)), ValueError);
  EXPECT_EQ(eval1(tree({"method", "upper", arg}), Value("ab")), Value("AB"));
  EXPECT_EQ(eval1(tree({"call", "len", arg}), Value("abc")), Value(3));
  EXPECT_EQ(eval1(tree({"slice", arg, tree({"const", Value()}), tree({"const", Value()}), tree({"const", -1})}),
                  Value("abc")),
            Value("cba"));
  EXPECT_THROW(eval1(tree({"nonsense"}), Value(1)), ValueError);
  EXPECT_THROW(eval1(Value(5), Value(1)), ValueError);
  // Registered: every process can run them by name.
  expr::register_expr_functions();
  auto keep = Registry::global().get("expr.keep");
  Value args[] = {Value(rec), gt};
  EXPECT_EQ(invoke(*keep, args), Value(ValueList{Value(rec)}));
}

}  // namespace
}  // namespace tessera::repl
