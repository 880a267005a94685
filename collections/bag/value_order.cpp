#include "collections/bag/value_order.hpp"

#include <cmath>
#include <cstring>

#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

int rank(ValueKind k) {
  switch (k) {
    case ValueKind::none: return 0;
    case ValueKind::boolean: return 1;
    case ValueKind::int64:
    case ValueKind::float64: return 2;
    case ValueKind::string: return 3;
    case ValueKind::bytes: return 4;
    case ValueKind::list: return 5;
    case ValueKind::dict: return 6;
    default: break;
  }
  throw TypeError("cannot order values of kind " + std::string(kind_name(k)));
}

template <class T>
int cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int compare_numbers(const Value& a, const Value& b) {
  if (a.kind() == ValueKind::int64 && b.kind() == ValueKind::int64) return cmp(a.as_int(), b.as_int());
  double x = a.as_float(), y = b.as_float();
  bool nx = std::isnan(x), ny = std::isnan(y);
  if (nx || ny) return cmp(static_cast<int>(nx), static_cast<int>(ny));
  return cmp(x, y);
}

}  // namespace

int compare_values(const Value& a, const Value& b) {
  int ra = rank(a.kind()), rb = rank(b.kind());
  if (ra != rb) return cmp(ra, rb);
  switch (a.kind()) {
    case ValueKind::none: return 0;
    case ValueKind::boolean: return cmp(a.as_bool(), b.as_bool());
    case ValueKind::int64:
    case ValueKind::float64: return compare_numbers(a, b);
    case ValueKind::string: return a.as_string().compare(b.as_string()) < 0 ? -1 : (a.as_string() == b.as_string() ? 0 : 1);
    case ValueKind::bytes: {
      const auto &x = a.as_bytes(), &y = b.as_bytes();
      std::size_t n = std::min(x.size(), y.size());
      int c = n ? std::memcmp(x.data(), y.data(), n) : 0;
      return c != 0 ? (c < 0 ? -1 : 1) : cmp(x.size(), y.size());
    }
    case ValueKind::list: {
      const auto &x = a.as_list(), &y = b.as_list();
      for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
        if (int c = compare_values(x[i], y[i])) return c;
      return cmp(x.size(), y.size());
    }
    case ValueKind::dict: {
      const auto &x = a.as_dict(), &y = b.as_dict();
      auto i = x.begin();
      auto j = y.begin();
      for (; i != x.end() && j != y.end(); ++i, ++j) {
        if (int c = i->first.compare(j->first)) return c < 0 ? -1 : 1;
        if (int c = compare_values(i->second, j->second)) return c;
      }
      return cmp(x.size(), y.size());
    }
    default: break;
  }
  return 0;
}

}  // namespace tessera::bag
