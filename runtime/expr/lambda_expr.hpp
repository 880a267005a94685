#pragma once
#include <string>
// Lambda expressions as data: the REPL compiles `lambda r: r["age"] > 30`
// into a small expression tree held in a Value, and registered functions
// evaluate it on any worker, so map and filter run on a remote cluster
// without C++. Every process registers these functions (register_expr_functions),
// so no worker needs the REPL linked in. Other verbs carry the tree in their
// tasks' arguments and evaluate it themselves: a bag's function spec
// {"expr": tree} (collections/bag/bag_functions.hpp: fold, reduction,
// foldby, map_partitions, starmap, keys), a dataframe's "lambda" column
// expression (collections/dataframe/lambda_apply.hpp: Series.map, apply).
//
// A node is a list whose first element names it:
//   ["arg", i]                     the i-th parameter
//   ["const", v]                   a literal
//   ["bin", op, a, b]              + - * / // % ** & | ^ == != < <= > >= in "not in" is "is not"
//   ["un", op, a]                  - + ~ not
//   ["and", a, b]  ["or", a, b]    short-circuit, Python's (return an operand)
//   ["if", cond, then, else]
//   ["item", x, k]                 x[k]: list index (negative from the end), dict key, string index
//   ["slice", x, start, stop, step]  (["const", None] for an omitted part)
//   ["list", a, ...]  ["dict", k1, v1, ...]
//   ["call", name, a, ...]         a builtin: len abs str int float bool min max sum round sorted
//                                  range list
//   ["method", name, x, a, ...]    a method of a string, list or dict: lower upper strip split
//                                  startswith endswith replace find count get keys values items
//                                  join index
//
// Semantics follow Python's for ints, floats, strings, lists and dicts
// (int / int is float, // and % floor, comparisons of lists are
// lexicographic); an integer that overflows 64 bits is an error.
// Thread-safety: evaluation is pure; call it from any thread.
#include <span>
#include <string_view>

#include "runtime/value/value.hpp"

namespace tessera::expr {

/// A float as Python's repr writes it: the shortest digits that read back,
/// fixed for exponents -4..15, else scientific (1e+16, 1.5e-07); nan, inf.
std::string float_str(double d);

/// Evaluates `tree` with the parameters `args`. Throws TypeError /
/// ValueError / KeyError with Python-like messages for bad operations and a
/// ValueError naming the node for a malformed tree.
Value evaluate(const Value& tree, std::span<const Value> args);

/// The operations the tree's nodes use, for callers that evaluate the same
/// language on plain values (the REPL): Python's semantics, as above.
Value binary_op(std::string_view op, const Value& a, const Value& b);
Value unary_op(std::string_view op, const Value& a);
Value get_item(const Value& x, const Value& key);
/// x[start:stop:step] of a list or string (none = omitted).
Value get_slice(const Value& x, const Value& start, const Value& stop, const Value& step);
Value call_builtin(std::string_view name, std::span<const Value> args);
Value call_method(std::string_view name, const Value& self, std::span<const Value> args);
/// True when `name` is a builtin / a method that the tree may call.
bool is_builtin(std::string_view name);
bool is_method(std::string_view name);

/// Python's truthiness: None, false, 0, 0.0, "" and empty lists/dicts are false.
bool truthy(const Value& v);

/// Registers, once per process (idempotent, thread-safe):
///   expr.apply(x, tree)        evaluate(tree, [x])           (bag.map)
///   expr.keep(x, tree)         [x] if truthy(...) else []    (bag.filter = map + flatten)
///   expr.keyed(x, tree)        [evaluate(tree, [x]), x]      (topk / groupby by a lambda key)
///   expr.call(tree, args...)   evaluate(tree, args)          (delayed, client.submit)
void register_expr_functions();

}  // namespace tessera::expr
