#pragma once
// How the prompt shows values: NDArrays as NumPy does (aligned, long ones
// elided with ..., wrapped at 75 columns), tables as pandas does (aligned,
// head and tail rows), lists and dicts (and scalars) as JSON, objects by
// their repr.
#include <string>

#include "runtime/value/value.hpp"
#include "tools/repl/object.hpp"

namespace tessera::repl {

/// The value as an expression statement prints it (no trailing newline;
/// empty for None).
std::string render(const RValue& v);
/// The value inside a list or dict: one line.
std::string render_inline(const RValue& v);

/// NumPy's repr: array([0, 1, 2, ..., 997, 998, 999]); a 0-d array prints its scalar.
std::string format_ndarray(const NDArray& a);
/// JSON (NaN and Infinity as JavaScript writes them; arrays and tables inline).
std::string format_json(const Value& v);
/// A float as Python's repr writes it (the shortest text that reads back).
std::string format_float(double d);

}  // namespace tessera::repl
