#include "runtime/expr/lambda_expr.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cctype>
#include <cmath>
#include <cstring>
#include <mutex>
#include <string>

#include "runtime/registry/registry.hpp"
#include "runtime/util/error.hpp"

namespace tessera::expr {

std::string float_str(double d) {
  // Python's repr: the shortest digits that read back, in fixed notation
  // for exponents -4..15, else scientific (1e+16, 1.5e-07).
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  int p = 1;
  for (; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p - 1, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  int exp = std::atoi(std::strchr(buf, 'e') + 1);
  if (exp < -4 || exp >= 16) {
    std::string s = buf;  // d.ddde+XX: drop trailing zeros of the mantissa, keep two exponent digits
    auto e = s.find('e');
    std::string mant = s.substr(0, e), ex = s.substr(e + 1);
    if (mant.find('.') != std::string::npos) {
      while (mant.back() == '0') mant.pop_back();
      if (mant.back() == '.') mant.pop_back();
    }
    char sign = ex[0];
    std::string digits = ex.substr(1);
    while (digits.size() > 2 && digits[0] == '0') digits.erase(0, 1);
    return mant + "e" + sign + digits;
  }
  int decimals = std::max(1, p - 1 - exp);
  std::snprintf(buf, sizeof buf, "%.*f", decimals, d);
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
  return s;
}

namespace {

constexpr int max_eval_depth = 1000;

std::string type_of(const Value& v) {
  switch (v.kind()) {
    case ValueKind::none: return "None";
    case ValueKind::boolean: return "bool";
    case ValueKind::int64: return "int";
    case ValueKind::float64: return "float";
    case ValueKind::string: return "str";
    case ValueKind::list: return "list";
    case ValueKind::dict: return "dict";
    default: return std::string(kind_name(v.kind()));
  }
}

bool is_number(const Value& v) {
  return v.kind() == ValueKind::int64 || v.kind() == ValueKind::float64 || v.kind() == ValueKind::boolean;
}
bool is_intlike(const Value& v) { return v.kind() == ValueKind::int64 || v.kind() == ValueKind::boolean; }
std::int64_t to_i(const Value& v) { return v.kind() == ValueKind::boolean ? (v.as_bool() ? 1 : 0) : v.as_int(); }
double to_f(const Value& v) { return v.kind() == ValueKind::boolean ? (v.as_bool() ? 1.0 : 0.0) : v.as_float(); }

[[noreturn]] void unsupported(std::string_view op, const Value& a, const Value& b) {
  throw TypeError("unsupported operand types for " + std::string(op) + ": '" + type_of(a) + "' and '" + type_of(b) + "'");
}

/// Throws when `overflow`; callers compute first, then check (argument
/// order is unspecified, so never pass the result in the same call).
void check_overflow(bool overflow, std::string_view op) {
  if (overflow) throw ValueError("integer overflow in " + std::string(op) + " (ints are 64-bit here)");
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  if (b == 0) throw ValueError("ZeroDivisionError: integer division or modulo by zero");
  if (a == INT64_MIN && b == -1) throw ValueError("integer overflow in // (ints are 64-bit here)");
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  if (b == 0) throw ValueError("ZeroDivisionError: integer division or modulo by zero");
  if (b == -1) return 0;
  std::int64_t m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

/// -1, 0, 1; throws TypeError for values that do not order.
int compare(const Value& a, const Value& b, std::string_view op) {
  if (is_number(a) && is_number(b)) {
    if (is_intlike(a) && is_intlike(b)) {
      auto x = to_i(a), y = to_i(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    double x = to_f(a), y = to_f(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.kind() == ValueKind::string && b.kind() == ValueKind::string) {
    int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.kind() == ValueKind::list && b.kind() == ValueKind::list) {
    const auto &x = a.as_list(), &y = b.as_list();
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
      if (int c = compare(x[i], y[i], op)) return c;
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  throw TypeError("'" + std::string(op) + "' not supported between '" + type_of(a) + "' and '" + type_of(b) + "'");
}

bool equal(const Value& a, const Value& b) {
  if (is_number(a) && is_number(b)) {
    if (is_intlike(a) && is_intlike(b)) return to_i(a) == to_i(b);
    return to_f(a) == to_f(b);
  }
  if (a.kind() == ValueKind::list && b.kind() == ValueKind::list) {
    const auto &x = a.as_list(), &y = b.as_list();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!equal(x[i], y[i])) return false;
    return true;
  }
  return a == b;
}

bool contains(const Value& container, const Value& x) {
  switch (container.kind()) {
    case ValueKind::string:
      if (x.kind() != ValueKind::string)
        throw TypeError("'in <string>' requires a string on the left, not '" + type_of(x) + "'");
      return container.as_string().find(x.as_string()) != std::string::npos;
    case ValueKind::list:
      for (const auto& e : container.as_list())
        if (equal(e, x)) return true;
      return false;
    case ValueKind::dict:
      if (x.kind() != ValueKind::string) return false;
      return container.as_dict().count(x.as_string()) > 0;
    default: throw TypeError("argument of type '" + type_of(container) + "' is not a container");
  }
}

std::int64_t normalize_index(std::int64_t i, std::size_t n, const Value& x) {
  auto size = static_cast<std::int64_t>(n);
  if (i < 0) i += size;
  if (i < 0 || i >= size)
    throw ValueError("IndexError: index " + std::to_string(i < 0 ? i - size : i) + " out of range for a " +
                     type_of(x) + " of length " + std::to_string(n));
  return i;
}

Value repeat(const Value& seq, std::int64_t n) {
  if (n < 0) n = 0;
  if (seq.kind() == ValueKind::string) {
    if (seq.as_string().size() * static_cast<std::size_t>(n) > (std::size_t{1} << 30))
      throw ValueError("string repetition too large");
    std::string out;
    for (std::int64_t i = 0; i < n; ++i) out += seq.as_string();
    return Value(std::move(out));
  }
  if (seq.as_list().size() * static_cast<std::size_t>(n) > (std::size_t{1} << 26))
    throw ValueError("list repetition too large");
  ValueList out;
  for (std::int64_t i = 0; i < n; ++i) out.insert(out.end(), seq.as_list().begin(), seq.as_list().end());
  return Value(std::move(out));
}

Value power(const Value& a, const Value& b) {
  if (is_intlike(a) && is_intlike(b) && to_i(b) >= 0) {
    std::int64_t base = to_i(a), e = to_i(b), r = 1;
    while (e > 0) {
      if (e & 1) check_overflow(__builtin_mul_overflow(r, base, &r), "**");
      e >>= 1;
      if (e > 0) check_overflow(__builtin_mul_overflow(base, base, &base), "**");
    }
    return Value(r);
  }
  return Value(std::pow(to_f(a), to_f(b)));
}

std::string str_of(const Value& v);

std::string str_of(const Value& v) {
  switch (v.kind()) {
    case ValueKind::none: return "None";
    case ValueKind::boolean: return v.as_bool() ? "True" : "False";
    case ValueKind::int64: return std::to_string(v.as_int());
    case ValueKind::float64: return float_str(v.as_float());
    case ValueKind::string: return v.as_string();
    default: return v.repr();
  }
}

ValueList sorted_copy(ValueList xs) {
  std::stable_sort(xs.begin(), xs.end(), [](const Value& a, const Value& b) { return compare(a, b, "<") < 0; });
  return xs;
}

void arity(std::string_view name, std::span<const Value> args, std::size_t lo, std::size_t hi) {
  if (args.size() < lo || args.size() > hi)
    throw TypeError(std::string(name) + "() takes " +
                    (lo == hi ? std::to_string(lo) : std::to_string(lo) + " to " + std::to_string(hi)) +
                    " arguments (" + std::to_string(args.size()) + " given)");
}

const std::string& want_string(std::string_view method, const Value& v) {
  if (v.kind() != ValueKind::string)
    throw TypeError(std::string(method) + "() needs a str argument, not '" + type_of(v) + "'");
  return v.as_string();
}

ValueList split_string(const std::string& s, const Value& sep_v, std::int64_t maxsplit) {
  ValueList out;
  if (sep_v.is_none()) {
    std::size_t i = 0;
    while (i < s.size()) {
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      if (i >= s.size()) break;
      if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit) {
        std::size_t e = s.size();
        while (e > i && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
        out.emplace_back(s.substr(i, e - i));
        return out;
      }
      std::size_t j = i;
      while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
      out.emplace_back(s.substr(i, j - i));
      i = j;
    }
    return out;
  }
  const std::string& sep = want_string("split", sep_v);
  if (sep.empty()) throw ValueError("split(): empty separator");
  std::size_t i = 0;
  for (;;) {
    if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit) break;
    auto j = s.find(sep, i);
    if (j == std::string::npos) break;
    out.emplace_back(s.substr(i, j - i));
    i = j + sep.size();
  }
  out.emplace_back(s.substr(i));
  return out;
}

std::string strip(const std::string& s, const std::string& chars) {
  auto is_strip = [&](char c) {
    return chars.empty() ? std::isspace(static_cast<unsigned char>(c)) != 0 : chars.find(c) != std::string::npos;
  };
  std::size_t b = 0, e = s.size();
  while (b < e && is_strip(s[b])) ++b;
  while (e > b && is_strip(s[e - 1])) --e;
  return s.substr(b, e - b);
}

const char* builtin_names[] = {"len", "abs", "str", "int", "float", "bool", "min", "max", "sum", "round", "sorted", "range", "list"};
const char* method_names[] = {"lower", "upper", "strip", "split", "startswith", "endswith", "replace", "find",
                              "count", "get", "keys", "values", "items", "join", "index"};

class Evaluator {
 public:
  explicit Evaluator(std::span<const Value> args) : args_(args) {}

  Value eval(const Value& node) {
    if (node.kind() != ValueKind::list || node.as_list().empty() || node.as_list()[0].kind() != ValueKind::string)
      throw ValueError("expression tree: a node must be a list starting with its name, got " + node.repr(80));
    if (++depth_ > max_eval_depth) throw ValueError("expression tree: nested too deeply");
    struct Leave {
      int& d;
      ~Leave() { --d; }
    } leave{depth_};
    const auto& n = node.as_list();
    const std::string& op = n[0].as_string();
    auto need = [&](std::size_t k) {
      if (n.size() != k) throw ValueError("expression tree: '" + op + "' node needs " + std::to_string(k - 1) + " operands");
    };
    if (op == "arg") {
      need(2);
      auto i = n[1].as_int();
      if (i < 0 || static_cast<std::size_t>(i) >= args_.size())
        throw TypeError("the lambda takes more arguments than the " + std::to_string(args_.size()) + " given");
      return args_[static_cast<std::size_t>(i)];
    }
    if (op == "const") return need(2), n[1];
    if (op == "bin") return need(4), binary_op(n[1].as_string(), eval(n[2]), eval(n[3]));
    if (op == "un") return need(3), unary_op(n[1].as_string(), eval(n[2]));
    if (op == "and") {
      need(3);
      Value a = eval(n[1]);
      return truthy(a) ? eval(n[2]) : a;
    }
    if (op == "or") {
      need(3);
      Value a = eval(n[1]);
      return truthy(a) ? a : eval(n[2]);
    }
    if (op == "if") return need(4), truthy(eval(n[1])) ? eval(n[2]) : eval(n[3]);
    if (op == "item") return need(3), get_item(eval(n[1]), eval(n[2]));
    if (op == "slice") return need(5), get_slice(eval(n[1]), eval(n[2]), eval(n[3]), eval(n[4]));
    if (op == "list") {
      ValueList out;
      for (std::size_t i = 1; i < n.size(); ++i) out.push_back(eval(n[i]));
      return Value(std::move(out));
    }
    if (op == "dict") {
      ValueDict out;
      for (std::size_t i = 1; i + 1 < n.size(); i += 2) {
        Value k = eval(n[i]);
        if (k.kind() != ValueKind::string) throw TypeError("dict keys must be strings here, not '" + type_of(k) + "'");
        out[k.as_string()] = eval(n[i + 1]);
      }
      return Value(std::move(out));
    }
    if (op == "call" || op == "method") {
      if (n.size() < (op == "call" ? 2u : 3u)) throw ValueError("expression tree: '" + op + "' node is too short");
      ValueList a;
      for (std::size_t i = op == "call" ? 2 : 3; i < n.size(); ++i) a.push_back(eval(n[i]));
      if (op == "call") return call_builtin(n[1].as_string(), a);
      return call_method(n[1].as_string(), eval(n[2]), a);
    }
    throw ValueError("expression tree: unknown node '" + op + "'");
  }

 private:
  std::span<const Value> args_;
  int depth_ = 0;
};

}  // namespace

bool truthy(const Value& v) {
  switch (v.kind()) {
    case ValueKind::none: return false;
    case ValueKind::boolean: return v.as_bool();
    case ValueKind::int64: return v.as_int() != 0;
    case ValueKind::float64: return v.as_float() != 0.0;
    case ValueKind::string: return !v.as_string().empty();
    case ValueKind::list: return !v.as_list().empty();
    case ValueKind::dict: return !v.as_dict().empty();
    case ValueKind::bytes: return v.as_bytes().size() != 0;
    default: return true;
  }
}

Value binary_op(std::string_view op, const Value& a, const Value& b) {
  if (op == "==") return Value(equal(a, b));
  if (op == "!=") return Value(!equal(a, b));
  if (op == "<") return Value(compare(a, b, op) < 0);
  if (op == "<=") return Value(compare(a, b, op) <= 0);
  if (op == ">") return Value(compare(a, b, op) > 0);
  if (op == ">=") return Value(compare(a, b, op) >= 0);
  if (op == "in") return Value(contains(b, a));
  if (op == "not in") return Value(!contains(b, a));
  if (op == "is") return Value(a.is_none() || b.is_none() ? a.is_none() && b.is_none() : equal(a, b));
  if (op == "is not") return Value(!(a.is_none() || b.is_none() ? a.is_none() && b.is_none() : equal(a, b)));
  bool ints = is_intlike(a) && is_intlike(b);
  bool nums = is_number(a) && is_number(b);
  if (op == "+") {
    if (ints) {
      std::int64_t r = 0;
      check_overflow(__builtin_add_overflow(to_i(a), to_i(b), &r), op);
      return Value(r);
    }
    if (nums) return Value(to_f(a) + to_f(b));
    if (a.kind() == ValueKind::string && b.kind() == ValueKind::string) return Value(a.as_string() + b.as_string());
    if (a.kind() == ValueKind::list && b.kind() == ValueKind::list) {
      ValueList out = a.as_list();
      out.insert(out.end(), b.as_list().begin(), b.as_list().end());
      return Value(std::move(out));
    }
    unsupported(op, a, b);
  }
  if (op == "-") {
    if (ints) {
      std::int64_t r = 0;
      check_overflow(__builtin_sub_overflow(to_i(a), to_i(b), &r), op);
      return Value(r);
    }
    if (nums) return Value(to_f(a) - to_f(b));
    unsupported(op, a, b);
  }
  if (op == "*") {
    if (ints) {
      std::int64_t r = 0;
      check_overflow(__builtin_mul_overflow(to_i(a), to_i(b), &r), op);
      return Value(r);
    }
    if (nums) return Value(to_f(a) * to_f(b));
    if ((a.kind() == ValueKind::string || a.kind() == ValueKind::list) && is_intlike(b)) return repeat(a, to_i(b));
    if ((b.kind() == ValueKind::string || b.kind() == ValueKind::list) && is_intlike(a)) return repeat(b, to_i(a));
    unsupported(op, a, b);
  }
  if (op == "/") {
    if (!nums) unsupported(op, a, b);
    if (to_f(b) == 0.0) throw ValueError("ZeroDivisionError: division by zero");
    return Value(to_f(a) / to_f(b));
  }
  if (op == "//") {
    if (ints) return Value(floor_div(to_i(a), to_i(b)));
    if (!nums) unsupported(op, a, b);
    if (to_f(b) == 0.0) throw ValueError("ZeroDivisionError: float floor division by zero");
    return Value(std::floor(to_f(a) / to_f(b)));
  }
  if (op == "%") {
    if (ints) return Value(floor_mod(to_i(a), to_i(b)));
    if (!nums) unsupported(op, a, b);
    double y = to_f(b);
    if (y == 0.0) throw ValueError("ZeroDivisionError: float modulo");
    double m = std::fmod(to_f(a), y);
    if (m != 0 && ((m < 0) != (y < 0))) m += y;
    return Value(m);
  }
  if (op == "**") {
    if (!nums) unsupported(op, a, b);
    return power(a, b);
  }
  if (op == "&" || op == "|" || op == "^") {
    if (a.kind() == ValueKind::boolean && b.kind() == ValueKind::boolean) {
      bool x = a.as_bool(), y = b.as_bool();
      return Value(op == "&" ? (x && y) : op == "|" ? (x || y) : (x != y));
    }
    if (!ints) unsupported(op, a, b);
    auto x = to_i(a), y = to_i(b);
    return Value(op == "&" ? (x & y) : op == "|" ? (x | y) : (x ^ y));
  }
  throw ValueError("unknown operator '" + std::string(op) + "'");
}

Value unary_op(std::string_view op, const Value& a) {
  if (op == "not") return Value(!truthy(a));
  if (op == "-") {
    if (a.kind() == ValueKind::float64) return Value(-a.as_float());
    if (is_intlike(a)) {
      if (to_i(a) == INT64_MIN) throw ValueError("integer overflow in - (ints are 64-bit here)");
      return Value(-to_i(a));
    }
  }
  if (op == "+" && is_number(a)) return a.kind() == ValueKind::boolean ? Value(to_i(a)) : a;
  if (op == "~" && is_intlike(a)) return Value(~to_i(a));
  throw TypeError("bad operand type for unary " + std::string(op) + ": '" + type_of(a) + "'");
}

Value get_item(const Value& x, const Value& key) {
  switch (x.kind()) {
    case ValueKind::list: {
      if (!is_intlike(key)) throw TypeError("list indices must be integers, not '" + type_of(key) + "'");
      return x.as_list()[static_cast<std::size_t>(normalize_index(to_i(key), x.as_list().size(), x))];
    }
    case ValueKind::string: {
      if (!is_intlike(key)) throw TypeError("string indices must be integers, not '" + type_of(key) + "'");
      const auto& s = x.as_string();
      return Value(std::string(1, s[static_cast<std::size_t>(normalize_index(to_i(key), s.size(), x))]));
    }
    case ValueKind::dict: {
      const auto& d = x.as_dict();
      if (key.kind() != ValueKind::string) throw KeyError("KeyError: " + key.repr(80));
      auto it = d.find(key.as_string());
      if (it == d.end()) throw KeyError("KeyError: '" + key.as_string() + "' (the record has no such key)");
      return it->second;
    }
    default: throw TypeError("'" + type_of(x) + "' object is not subscriptable");
  }
}

Value get_slice(const Value& x, const Value& start_v, const Value& stop_v, const Value& step_v) {
  std::int64_t n;
  if (x.kind() == ValueKind::list) n = static_cast<std::int64_t>(x.as_list().size());
  else if (x.kind() == ValueKind::string) n = static_cast<std::int64_t>(x.as_string().size());
  else throw TypeError("'" + type_of(x) + "' object cannot be sliced");
  std::int64_t step = step_v.is_none() ? 1 : to_i(step_v);
  if (step == 0) throw ValueError("slice step cannot be zero");
  auto clamp = [&](const Value& v, std::int64_t dflt) {
    if (v.is_none()) return dflt;
    std::int64_t i = to_i(v);
    if (i < 0) i += n;
    if (step > 0) return std::clamp<std::int64_t>(i, 0, n);
    return std::clamp<std::int64_t>(i, -1, n - 1);
  };
  std::int64_t start = clamp(start_v, step > 0 ? 0 : n - 1);
  std::int64_t stop = clamp(stop_v, step > 0 ? n : -1);
  std::vector<std::int64_t> idx;
  for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) idx.push_back(i);
  if (x.kind() == ValueKind::string) {
    std::string out;
    for (auto i : idx) out += x.as_string()[static_cast<std::size_t>(i)];
    return Value(std::move(out));
  }
  ValueList out;
  for (auto i : idx) out.push_back(x.as_list()[static_cast<std::size_t>(i)]);
  return Value(std::move(out));
}

bool is_builtin(std::string_view name) {
  for (auto* b : builtin_names)
    if (name == b) return true;
  return false;
}
bool is_method(std::string_view name) {
  for (auto* m : method_names)
    if (name == m) return true;
  return false;
}

Value call_builtin(std::string_view name, std::span<const Value> a) {
  if (name == "len") {
    arity(name, a, 1, 1);
    switch (a[0].kind()) {
      case ValueKind::string: return Value(static_cast<std::int64_t>(a[0].as_string().size()));
      case ValueKind::list: return Value(static_cast<std::int64_t>(a[0].as_list().size()));
      case ValueKind::dict: return Value(static_cast<std::int64_t>(a[0].as_dict().size()));
      default: throw TypeError("object of type '" + type_of(a[0]) + "' has no len()");
    }
  }
  if (name == "abs") {
    arity(name, a, 1, 1);
    if (a[0].kind() == ValueKind::float64) return Value(std::fabs(a[0].as_float()));
    if (is_intlike(a[0])) return to_i(a[0]) < 0 ? unary_op("-", a[0]) : Value(to_i(a[0]));
    throw TypeError("bad operand type for abs(): '" + type_of(a[0]) + "'");
  }
  if (name == "str") return arity(name, a, 1, 1), Value(str_of(a[0]));
  if (name == "bool") return arity(name, a, 1, 1), Value(truthy(a[0]));
  if (name == "int") {
    arity(name, a, 1, 1);
    if (is_intlike(a[0])) return Value(to_i(a[0]));
    if (a[0].kind() == ValueKind::float64) {
      double d = a[0].as_float();
      if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) throw ValueError("cannot convert float " + float_str(d) + " to int");
      return Value(static_cast<std::int64_t>(d));
    }
    if (a[0].kind() == ValueKind::string) {
      std::string s = strip(a[0].as_string(), "");
      char* end = nullptr;
      errno = 0;
      long long v = std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0' || errno == ERANGE)
        throw ValueError("invalid literal for int(): '" + a[0].as_string() + "'");
      return Value(static_cast<std::int64_t>(v));
    }
    throw TypeError("int() argument must be a string or a number, not '" + type_of(a[0]) + "'");
  }
  if (name == "float") {
    arity(name, a, 1, 1);
    if (is_number(a[0])) return Value(to_f(a[0]));
    if (a[0].kind() == ValueKind::string) {
      std::string s = strip(a[0].as_string(), "");
      char* end = nullptr;
      double v = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0') throw ValueError("could not convert string to float: '" + a[0].as_string() + "'");
      return Value(v);
    }
    throw TypeError("float() argument must be a string or a number, not '" + type_of(a[0]) + "'");
  }
  if (name == "min" || name == "max" || name == "sum" || name == "sorted" || name == "list") {
    if (a.empty()) throw TypeError(std::string(name) + "() takes at least 1 argument");
    ValueList items;
    if (a.size() == 1) {
      if (a[0].kind() == ValueKind::list) items = a[0].as_list();
      else if (a[0].kind() == ValueKind::string)
        for (char c : a[0].as_string()) items.emplace_back(std::string(1, c));
      else if (a[0].kind() == ValueKind::dict)
        for (const auto& [k, v] : a[0].as_dict()) items.emplace_back(k);
      else throw TypeError("'" + type_of(a[0]) + "' object is not iterable");
    } else {
      if (name == "sorted" || name == "list") throw TypeError(std::string(name) + "() takes 1 argument");
      items.assign(a.begin(), a.end());
    }
    if (name == "list") return Value(std::move(items));
    if (name == "sorted") return Value(sorted_copy(std::move(items)));
    if (name == "sum") {
      Value total(std::int64_t{0});
      for (const auto& x : items) total = binary_op("+", total, x);
      return total;
    }
    if (items.empty()) throw ValueError(std::string(name) + "() arg is an empty sequence");
    Value best = items[0];
    for (std::size_t i = 1; i < items.size(); ++i) {
      int c = compare(items[i], best, name == "min" ? "<" : ">");
      if (name == "min" ? c < 0 : c > 0) best = items[i];
    }
    return best;
  }
  if (name == "round") {
    arity(name, a, 1, 2);
    if (a.size() == 1 || a[1].is_none()) {
      if (is_intlike(a[0])) return Value(to_i(a[0]));
      double d = std::nearbyint(to_f(a[0]));  // banker's rounding, as Python's
      if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) throw ValueError("cannot round " + float_str(d) + " to an int");
      return Value(static_cast<std::int64_t>(d));
    }
    // Rounds the exact binary value, as Python: round(2.675, 2) is 2.67.
    auto digits = to_i(a[1]);
    if (digits < 0 || digits > 300) {
      double scale = std::pow(10.0, static_cast<double>(digits));
      return Value(std::nearbyint(to_f(a[0]) * scale) / scale);
    }
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(digits), to_f(a[0]));
    return Value(std::strtod(buf, nullptr));
  }
  if (name == "range") {
    arity(name, a, 1, 3);
    std::int64_t start = 0, stop, step = 1;
    if (a.size() == 1) stop = to_i(a[0]);
    else start = to_i(a[0]), stop = to_i(a[1]);
    if (a.size() == 3) step = to_i(a[2]);
    if (step == 0) throw ValueError("range() arg 3 must not be zero");
    ValueList out;
    for (std::int64_t i = start; step > 0 ? i < stop : i > stop; i += step) {
      if (out.size() >= (std::size_t{1} << 24)) throw ValueError("range() too long for a list here (over 16M items)");
      out.emplace_back(i);
    }
    return Value(std::move(out));
  }
  throw KeyError("unknown function '" + std::string(name) + "' in a lambda");
}

Value call_method(std::string_view name, const Value& self, std::span<const Value> a) {
  auto fail = [&]() -> Value {
    throw TypeError("'" + type_of(self) + "' object has no method '" + std::string(name) + "'");
  };
  if (self.kind() == ValueKind::string) {
    const std::string& s = self.as_string();
    if (name == "lower" || name == "upper") {
      arity(name, a, 0, 0);
      std::string out = s;
      for (auto& c : out) c = static_cast<char>(name == "lower" ? std::tolower(static_cast<unsigned char>(c))
                                                                 : std::toupper(static_cast<unsigned char>(c)));
      return Value(std::move(out));
    }
    if (name == "strip") return arity(name, a, 0, 1), Value(strip(s, a.empty() || a[0].is_none() ? "" : want_string(name, a[0])));
    if (name == "split") {
      arity(name, a, 0, 2);
      return Value(split_string(s, a.empty() ? Value() : a[0], a.size() > 1 ? to_i(a[1]) : -1));
    }
    if (name == "startswith") return arity(name, a, 1, 1), Value(s.starts_with(want_string(name, a[0])));
    if (name == "endswith") return arity(name, a, 1, 1), Value(s.ends_with(want_string(name, a[0])));
    if (name == "find") {
      arity(name, a, 1, 1);
      auto p = s.find(want_string(name, a[0]));
      return Value(p == std::string::npos ? std::int64_t{-1} : static_cast<std::int64_t>(p));
    }
    if (name == "count") {
      arity(name, a, 1, 1);
      const auto& sub = want_string(name, a[0]);
      if (sub.empty()) return Value(static_cast<std::int64_t>(s.size() + 1));
      std::int64_t c = 0;
      for (auto p = s.find(sub); p != std::string::npos; p = s.find(sub, p + sub.size())) ++c;
      return Value(c);
    }
    if (name == "replace") {
      arity(name, a, 2, 2);
      const auto &from = want_string(name, a[0]), &to = want_string(name, a[1]);
      if (from.empty()) return self;
      std::string out;
      std::size_t i = 0;
      for (auto p = s.find(from); p != std::string::npos; p = s.find(from, i)) {
        out.append(s, i, p - i);
        out += to;
        i = p + from.size();
        if (out.size() > (std::size_t{1} << 30)) throw ValueError("replace(): result too large");
      }
      out.append(s, i);
      return Value(std::move(out));
    }
    if (name == "join") {
      arity(name, a, 1, 1);
      if (a[0].kind() != ValueKind::list) throw TypeError("join() needs a list");
      std::string out;
      bool first = true;
      for (const auto& x : a[0].as_list()) {
        if (!first) out += s;
        first = false;
        out += want_string(name, x);
      }
      return Value(std::move(out));
    }
    return fail();
  }
  if (self.kind() == ValueKind::dict) {
    const auto& d = self.as_dict();
    if (name == "get") {
      arity(name, a, 1, 2);
      if (a[0].kind() == ValueKind::string)
        if (auto it = d.find(a[0].as_string()); it != d.end()) return it->second;
      return a.size() > 1 ? a[1] : Value();
    }
    ValueList out;
    if (name == "keys") {
      for (const auto& [k, v] : d) out.emplace_back(k);
    } else if (name == "values") {
      for (const auto& [k, v] : d) out.push_back(v);
    } else if (name == "items") {
      for (const auto& [k, v] : d) out.emplace_back(ValueList{Value(k), v});
    } else {
      return fail();
    }
    arity(name, a, 0, 0);
    return Value(std::move(out));
  }
  if (self.kind() == ValueKind::list) {
    const auto& l = self.as_list();
    if (name == "count") {
      arity(name, a, 1, 1);
      return Value(static_cast<std::int64_t>(std::count_if(l.begin(), l.end(), [&](const Value& x) { return equal(x, a[0]); })));
    }
    if (name == "index") {
      arity(name, a, 1, 1);
      for (std::size_t i = 0; i < l.size(); ++i)
        if (equal(l[i], a[0])) return Value(static_cast<std::int64_t>(i));
      throw ValueError(a[0].repr(80) + " is not in list");
    }
  }
  return fail();
}

Value evaluate(const Value& tree, std::span<const Value> args) { return Evaluator(args).eval(tree); }

void register_expr_functions() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& r = Registry::global();
    auto add = [&](const char* name, const char* sig, auto f) {
      if (r.find(name)) return;
      auto fn = std::make_shared<Function>();
      fn->name = name;
      fn->signature = sig;
      fn->doc = "evaluates a REPL lambda's expression tree (runtime/expr/lambda_expr.hpp)";
      fn->registered = true;
      fn->call = f;
      r.add(std::move(fn));
    };
    add("expr.apply", "expr.apply(x, tree) -> any", [](std::span<const Value> a) -> Value {
      if (a.size() != 2) throw TypeError("expr.apply takes (x, tree)");
      return evaluate(a[1], a.subspan(0, 1));
    });
    add("expr.keep", "expr.keep(x, tree) -> list", [](std::span<const Value> a) -> Value {
      if (a.size() != 2) throw TypeError("expr.keep takes (x, tree)");
      return truthy(evaluate(a[1], a.subspan(0, 1))) ? Value(ValueList{a[0]}) : Value(ValueList{});
    });
    add("expr.keyed", "expr.keyed(x, tree) -> list", [](std::span<const Value> a) -> Value {
      if (a.size() != 2) throw TypeError("expr.keyed takes (x, tree)");
      return Value(ValueList{evaluate(a[1], a.subspan(0, 1)), a[0]});
    });
    add("expr.call", "expr.call(tree, *args) -> any", [](std::span<const Value> a) -> Value {
      if (a.empty()) throw TypeError("expr.call takes (tree, *args)");
      return evaluate(a[0], a.subspan(1));
    });
  });
}

}  // namespace tessera::expr
