#include "tools/repl/printer.hpp"

#include <cmath>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "collections/dataframe/table_printer.hpp"
#include "runtime/expr/lambda_expr.hpp"
#include "runtime/util/json_string.hpp"

namespace tessera::repl {
namespace {

constexpr std::int64_t threshold = 1000;  // numpy's print threshold
constexpr std::int64_t edgeitems = 3;
constexpr std::size_t linewidth = 75;


// Element i of `a` (row-major) as a double / as text.
double element_f(const NDArray& a, std::int64_t i) {
  auto k = static_cast<std::size_t>(i);
  switch (a.dtype()) {
    case DType::boolean: return a.values<bool>()[k];
    case DType::uint8: return a.values<std::uint8_t>()[k];
    case DType::int32: return a.values<std::int32_t>()[k];
    case DType::int64: return static_cast<double>(a.values<std::int64_t>()[k]);
    case DType::float32: return a.values<float>()[k];
    case DType::float64: return a.values<double>()[k];
  }
  return 0;
}
std::string element_int(const NDArray& a, std::int64_t i) {
  auto k = static_cast<std::size_t>(i);
  switch (a.dtype()) {
    case DType::uint8: return std::to_string(a.values<std::uint8_t>()[k]);
    case DType::int32: return std::to_string(a.values<std::int32_t>()[k]);
    case DType::int64: return std::to_string(a.values<std::int64_t>()[k]);
    default: return "";
  }
}

bool is_float(DType t) { return t == DType::float32 || t == DType::float64; }

/// The indices along an axis of extent n that are shown (-1 marks "...").
std::vector<std::int64_t> shown(std::int64_t n, bool elide) {
  std::vector<std::int64_t> out;
  if (elide && n > 2 * edgeitems) {
    for (std::int64_t i = 0; i < edgeitems; ++i) out.push_back(i);
    out.push_back(-1);
    for (std::int64_t i = n - edgeitems; i < n; ++i) out.push_back(i);
  } else {
    for (std::int64_t i = 0; i < n; ++i) out.push_back(i);
  }
  return out;
}

std::string trim_float(const char* text) {
  std::string s = text;
  auto e = s.find('e');
  std::string mant = e == std::string::npos ? s : s.substr(0, e);
  std::string exp = e == std::string::npos ? "" : s.substr(e);
  if (mant.find('.') != std::string::npos) {
    while (!mant.empty() && mant.back() == '0') mant.pop_back();
  }
  return mant + exp;
}

/// Formats the floats of an array as numpy does: a common notation, and
/// parts aligned on the decimal point.
struct FloatFormat {
  bool scientific = false;
  std::size_t int_width = 0, frac_width = 0;
  void fit(const std::vector<double>& xs) {
    double max_abs = 0, min_abs = INFINITY;
    for (double x : xs) {
      if (!std::isfinite(x)) continue;
      max_abs = std::max(max_abs, std::fabs(x));
      if (x != 0) min_abs = std::min(min_abs, std::fabs(x));
    }
    scientific = max_abs >= 1e16 || (min_abs < 1e-4 && min_abs > 0) || (min_abs > 0 && max_abs / min_abs > 1e3 && max_abs >= 1e8);
    for (double x : xs) {
      auto [i, f] = split(raw(x));
      int_width = std::max(int_width, i.size());
      frac_width = std::max(frac_width, f.size());
    }
  }
  std::string raw(double x) const {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buf[64];
    if (scientific) {
      std::snprintf(buf, sizeof buf, "%.8e", x);
    } else {
      std::snprintf(buf, sizeof buf, "%.8f", x);
    }
    return trim_float(buf);
  }
  static std::pair<std::string, std::string> split(const std::string& s) {
    auto p = s.find('.');
    if (p == std::string::npos) return {s, ""};
    return {s.substr(0, p), s.substr(p)};
  }
  std::string format(double x) const {
    auto [i, f] = split(raw(x));
    if (f.empty() && (std::isnan(x) || std::isinf(x))) {
      std::string s = i;
      return std::string(int_width + frac_width > s.size() ? int_width + frac_width - s.size() : 0, ' ') + s;
    }
    return std::string(int_width > i.size() ? int_width - i.size() : 0, ' ') + i + f +
           std::string(frac_width > f.size() ? frac_width - f.size() : 0, ' ');
  }
};

std::string scalar_text(const NDArray& a, std::int64_t i, const FloatFormat* ff) {
  if (a.dtype() == DType::boolean) return a.values<bool>()[static_cast<std::size_t>(i)] ? "True" : "False";
  if (is_float(a.dtype())) return ff ? ff->format(element_f(a, i)) : format_float(element_f(a, i));
  return element_int(a, i);
}

}  // namespace

std::string format_float(double d) { return expr::float_str(d); }

std::string format_ndarray(const NDArray& a) {
  const auto& shape = a.shape();
  std::string suffix;
  if (a.dtype() != DType::int64 && a.dtype() != DType::float64 && a.dtype() != DType::boolean)
    suffix = ", dtype=" + std::string(dtype_name(a.dtype()));
  if (shape.empty()) return a.size() == 1 ? scalar_text(a, 0, nullptr) : "array([])";
  if (a.size() == 0) {
    std::string s = "array([]";
    if (shape.size() > 1) {
      s += ", shape=(";
      for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
      s += ")";
    }
    return s + ", dtype=" + std::string(dtype_name(a.dtype())) + ")";
  }
  bool elide = a.size() > threshold;
  std::size_t nd = shape.size();
  std::vector<std::int64_t> strides(nd, 1);
  for (std::size_t k = nd - 1; k-- > 0;) strides[k] = strides[k + 1] * shape[k + 1];
  // Every shown element, for the common width.
  std::vector<std::int64_t> flat;
  std::function<void(std::size_t, std::int64_t)> collect = [&](std::size_t axis, std::int64_t base) {
    for (auto i : shown(shape[axis], elide)) {
      if (i < 0) continue;
      if (axis + 1 == nd) flat.push_back(base + i);
      else collect(axis + 1, base + i * strides[axis]);
    }
  };
  collect(0, 0);
  FloatFormat ff;
  if (is_float(a.dtype())) {
    std::vector<double> xs;
    for (auto i : flat) xs.push_back(element_f(a, i));
    ff.fit(xs);
  }
  std::size_t width = 0;
  for (auto i : flat) width = std::max(width, scalar_text(a, i, &ff).size());
  auto cell = [&](std::int64_t i) {
    std::string s = scalar_text(a, i, &ff);
    return std::string(width - s.size(), ' ') + s;
  };
  const std::string prefix = "array(";
  std::function<std::string(std::size_t, std::int64_t, std::size_t)> block = [&](std::size_t axis, std::int64_t base,
                                                                                 std::size_t indent) -> std::string {
    std::string out = "[";
    auto idx = shown(shape[axis], elide);
    if (axis + 1 == nd) {
      std::size_t col = indent + 1;
      for (std::size_t k = 0; k < idx.size(); ++k) {
        std::string item = idx[k] < 0 ? "..." : cell(base + idx[k]);
        std::string sep = k + 1 < idx.size() ? "," : "";
        if (k > 0) {
          if (col + 1 + item.size() + sep.size() + (k + 1 == idx.size() ? nd + 1 : 0) > linewidth) {
            out += "\n" + std::string(indent + 1, ' ');
            col = indent + 1;
          } else {
            out += " ";
            ++col;
          }
        }
        out += item + sep;
        col += item.size() + sep.size();
      }
      return out + "]";
    }
    for (std::size_t k = 0; k < idx.size(); ++k) {
      if (k > 0) out += "," + std::string(nd - axis - 1, '\n') + std::string(indent + 1, ' ');
      out += idx[k] < 0 ? "..." : block(axis + 1, base + idx[k] * strides[axis], indent + 1);
    }
    return out + "]";
  };
  return prefix + block(0, 0, prefix.size()) + suffix + ")";
}

std::string format_json(const Value& v) {
  switch (v.kind()) {
    case ValueKind::none: return "null";
    case ValueKind::boolean: return v.as_bool() ? "true" : "false";
    case ValueKind::int64: return std::to_string(v.as_int());
    case ValueKind::float64: {
      double d = v.as_float();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return format_float(d);
    }
    case ValueKind::string: return json_string(v.as_string());
    case ValueKind::list: {
      std::string out = "[";
      bool first = true;
      for (const auto& x : v.as_list()) {
        if (!first) out += ", ";
        first = false;
        out += format_json(x);
      }
      return out + "]";
    }
    case ValueKind::dict: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, x] : v.as_dict()) {
        if (!first) out += ", ";
        first = false;
        out += json_string(k) + ": " + format_json(x);
      }
      return out + "}";
    }
    case ValueKind::bytes: return "b<" + std::to_string(v.as_bytes().size()) + " bytes>";
    case ValueKind::ndarray: {
      const auto& a = v.as_ndarray();
      if (a.ndim() == 0 && a.size() == 1) {
        // A 0-d result inside a list: its scalar, as JSON.
        switch (a.dtype()) {
          case DType::boolean: return a.values<bool>()[0] ? "true" : "false";
          case DType::float32:
          case DType::float64: return format_json(Value(element_f(a, 0)));
          default: return element_int(a, 0);
        }
      }
      std::string s = format_ndarray(a);
      for (auto& c : s)
        if (c == '\n') c = ' ';
      return s;
    }
    case ValueKind::table: return v.repr();
  }
  return v.repr();
}

std::string render(const RValue& v) {
  if (v.obj) return v.obj->repr();
  const Value& x = v.value;
  if (x.kind() == ValueKind::list) {
    // A tuple of tables (df.a.head(), df.b.head()): each printed in full.
    bool tables = false;
    for (const auto& e : x.as_list()) tables = tables || e.kind() == ValueKind::table;
    if (tables) {
      std::string out;
      for (const auto& e : x.as_list()) out += (out.empty() ? "" : "\n") + render(RValue(e));
      return out;
    }
  }
  switch (x.kind()) {
    case ValueKind::none: return "";
    case ValueKind::ndarray: return format_ndarray(x.as_ndarray());
    case ValueKind::table: return to_string(x.as_table());
    default: return format_json(x);
  }
}

std::string render_inline(const RValue& v) {
  if (v.obj) return v.obj->repr();
  return format_json(v.value);
}

}  // namespace tessera::repl
