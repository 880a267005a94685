#pragma once
// A total order on Values, for min/max, topk, distinct and frequencies.
// Kinds are ordered none < bool < number < string < bytes < list < dict;
// int64 and float64 compare as numbers (1 == 1.0), NaN after every number;
// lists and dicts compare lexicographically. Arrays and tables are not
// ordered (TypeError).
#include "runtime/value/value.hpp"

namespace tessera::bag {

/// <0, 0 or >0 as a is before, equal to, or after b.
int compare_values(const Value& a, const Value& b);

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const { return compare_values(a, b) < 0; }
};

}  // namespace tessera::bag
