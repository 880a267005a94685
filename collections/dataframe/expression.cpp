#include "collections/dataframe/expression.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>

#include "collections/dataframe/column_builder.hpp"
#include "collections/dataframe/lambda_apply.hpp"
#include "collections/dataframe/text_values.hpp"
#include "runtime/util/error.hpp"

namespace tessera::dataframe::expr {
namespace {

using I64 = std::int64_t;

const ValueList& parts(const Value& e) {
  if (e.kind() != ValueKind::list || e.as_list().empty() || e.as_list()[0].kind() != ValueKind::string)
    throw TypeError("dataframe: malformed expression " + e.repr(200));
  return e.as_list();
}
const std::string& op_name(const Value& e) { return parts(e)[0].as_string(); }
const Value& arg(const Value& e, std::size_t i) {
  const auto& p = parts(e);
  if (i + 1 >= p.size()) throw TypeError("dataframe: expression '" + op_name(e) + "' is missing an operand");
  return p[i + 1];
}

bool int_like(ColumnType t) { return t == ColumnType::int64 || t == ColumnType::boolean; }
bool numeric(ColumnType t) { return int_like(t) || t == ColumnType::float64; }
std::string tname(ColumnType t) { return std::string(column_type_name(t)); }

ColumnType literal_type(const Value& v) {
  switch (v.kind()) {
    case ValueKind::int64: return ColumnType::int64;
    case ValueKind::float64:
    case ValueKind::none: return ColumnType::float64;
    case ValueKind::boolean: return ColumnType::boolean;
    case ValueKind::string: return ColumnType::string;
    default: throw TypeError("dataframe: a literal must be a number, bool, string or none, got " + v.repr(100));
  }
}

bool is_one_of(const std::string& op, std::initializer_list<const char*> names) {
  for (const char* n : names)
    if (op == n) return true;
  return false;
}

// ---- operands: a column, or a literal broadcast over the rows ----
struct Operand {
  bool scalar = false;
  Value value;
  Column column;
  ColumnType type = ColumnType::int64;
  bool valid(I64 i) const { return scalar ? !value.is_none() : column.is_valid(i); }
  bool has_nulls() const { return scalar ? value.is_none() : column.validity != nullptr; }
};

template <class F>
decltype(auto) with_double(const Operand& o, F&& f) {
  if (o.scalar) {
    double v = o.value.is_none() ? 0.0 : o.value.kind() == ValueKind::boolean ? (o.value.as_bool() ? 1.0 : 0.0)
                                                                                : o.value.as_float();
    return f([v](I64) { return v; });
  }
  if (o.column.type == ColumnType::float64) {
    const double* d = o.column.data->as<double>().data();
    return f([d](I64 i) { return d[i]; });
  }
  if (o.column.type == ColumnType::boolean) {
    const std::uint8_t* d = o.column.data->as<std::uint8_t>().data();
    return f([d](I64 i) { return static_cast<double>(d[i]); });
  }
  const I64* d = o.column.data->as<I64>().data();
  return f([d](I64 i) { return static_cast<double>(d[i]); });
}

template <class F>
decltype(auto) with_int(const Operand& o, F&& f) {
  if (o.scalar) {
    I64 v = o.value.is_none() ? 0 : o.value.kind() == ValueKind::boolean ? I64{o.value.as_bool()} : o.value.as_int();
    return f([v](I64) { return v; });
  }
  if (o.column.type == ColumnType::boolean) {
    const std::uint8_t* d = o.column.data->as<std::uint8_t>().data();
    return f([d](I64 i) { return static_cast<I64>(d[i]); });
  }
  const I64* d = o.column.data->as<I64>().data();
  return f([d](I64 i) { return d[i]; });
}

template <class F>
decltype(auto) with_string(const Operand& o, F&& f) {
  if (o.scalar) {
    std::string_view v = o.value.is_none() ? std::string_view() : std::string_view(o.value.as_string());
    return f([v](I64) { return v; });
  }
  const Column* c = &o.column;
  return f([c](I64 i) { return c->string_at(i); });
}

// The validity of a row-wise result: valid where every operand is.
BufferPtr combined_validity(const Operand& a, const Operand* b, I64 n) {
  if (!a.has_nulls() && (!b || !b->has_nulls())) return nullptr;
  auto out = make_buffer(static_cast<std::size_t>((n + 7) / 8));
  std::memset(out->mutable_data(), 0, out->size());
  auto* bits = reinterpret_cast<std::uint8_t*>(out->mutable_data());
  for (I64 i = 0; i < n; ++i)
    if (a.valid(i) && (!b || b->valid(i))) bits[i >> 3] |= static_cast<std::uint8_t>(1u << (i & 7));
  return out;
}

template <class T>
Column fixed_column(const std::string& name, ColumnType type, I64 n, BufferPtr validity,
                    const std::function<void(T*)>& fill) {
  auto data = make_buffer(static_cast<std::size_t>(n) * sizeof(T));
  fill(data->mutable_as<T>().data());
  Column c;
  c.name = name;
  c.type = type;
  c.length = n;
  c.data = std::move(data);
  c.validity = std::move(validity);
  return c;
}

double py_floordiv(double a, double b) { return std::floor(a / b); }
double py_mod(double a, double b) {
  double r = std::fmod(a, b);
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}
I64 int_floordiv(I64 a, I64 b) {
  I64 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
I64 int_mod(I64 a, I64 b) {
  I64 r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

Column arithmetic(const std::string& op, const Operand& a, const Operand& b, I64 n, const std::string& name) {
  if (!numeric(a.type) || !numeric(b.type))
    throw TypeError("dataframe: cannot apply '" + op + "' to " + tname(a.type) + " and " + tname(b.type));
  BufferPtr validity = combined_validity(a, &b, n);
  if (int_like(a.type) && int_like(b.type) && op != "div") {
    // Integer division by zero gives null (pandas would switch to float inf).
    std::vector<std::uint8_t> zero_div;
    auto col = fixed_column<I64>(name, ColumnType::int64, n, validity, [&](I64* out) {
      with_int(a, [&](auto ra) {
        with_int(b, [&](auto rb) {
          if (op == "add") for (I64 i = 0; i < n; ++i) out[i] = static_cast<I64>(static_cast<std::uint64_t>(ra(i)) + static_cast<std::uint64_t>(rb(i)));
          else if (op == "sub") for (I64 i = 0; i < n; ++i) out[i] = static_cast<I64>(static_cast<std::uint64_t>(ra(i)) - static_cast<std::uint64_t>(rb(i)));
          else if (op == "mul") for (I64 i = 0; i < n; ++i) out[i] = static_cast<I64>(static_cast<std::uint64_t>(ra(i)) * static_cast<std::uint64_t>(rb(i)));
          else {
            zero_div.assign(static_cast<std::size_t>(n), 0);
            for (I64 i = 0; i < n; ++i) {
              I64 y = rb(i);
              if (y == 0) { zero_div[static_cast<std::size_t>(i)] = 1; out[i] = 0; continue; }
              out[i] = op == "floordiv" ? int_floordiv(ra(i), y) : int_mod(ra(i), y);
            }
          }
        });
      });
    });
    if (!zero_div.empty()) {
      ColumnBuilder b2(name, ColumnType::int64);
      for (I64 i = 0; i < n; ++i) {
        if (zero_div[static_cast<std::size_t>(i)] || !col.is_valid(i)) b2.append_null();
        else b2.append_int(col.data->as<I64>()[i]);
      }
      return b2.finish();
    }
    return col;
  }
  return fixed_column<double>(name, ColumnType::float64, n, validity, [&](double* out) {
    with_double(a, [&](auto ra) {
      with_double(b, [&](auto rb) {
        if (op == "add") for (I64 i = 0; i < n; ++i) out[i] = ra(i) + rb(i);
        else if (op == "sub") for (I64 i = 0; i < n; ++i) out[i] = ra(i) - rb(i);
        else if (op == "mul") for (I64 i = 0; i < n; ++i) out[i] = ra(i) * rb(i);
        else if (op == "div") for (I64 i = 0; i < n; ++i) out[i] = ra(i) / rb(i);
        else if (op == "floordiv") for (I64 i = 0; i < n; ++i) out[i] = py_floordiv(ra(i), rb(i));
        else for (I64 i = 0; i < n; ++i) out[i] = py_mod(ra(i), rb(i));
      });
    });
  });
}

template <class RA, class RB>
void compare_loop(const std::string& op, RA ra, RB rb, I64 n, std::uint8_t* out) {
  if (op == "eq") for (I64 i = 0; i < n; ++i) out[i] = ra(i) == rb(i);
  else if (op == "ne") for (I64 i = 0; i < n; ++i) out[i] = ra(i) != rb(i);
  else if (op == "lt") for (I64 i = 0; i < n; ++i) out[i] = ra(i) < rb(i);
  else if (op == "le") for (I64 i = 0; i < n; ++i) out[i] = ra(i) <= rb(i);
  else if (op == "gt") for (I64 i = 0; i < n; ++i) out[i] = ra(i) > rb(i);
  else for (I64 i = 0; i < n; ++i) out[i] = ra(i) >= rb(i);
}

// A string literal compared with a timestamp column is read as a timestamp.
void promote_literal(Operand& lit_side, ColumnType other) {
  if (!lit_side.scalar || other != ColumnType::timestamp || lit_side.type != ColumnType::string) return;
  I64 ns;
  if (!parse_timestamp(lit_side.value.as_string(), ns))
    throw ValueError("dataframe: cannot compare a timestamp with '" + lit_side.value.as_string() + "'");
  lit_side.value = Value(ns);
  lit_side.type = ColumnType::timestamp;
}

Column comparison(const std::string& op, Operand a, Operand b, I64 n, const std::string& name) {
  promote_literal(a, b.type);
  promote_literal(b, a.type);
  auto data = make_buffer(static_cast<std::size_t>(n));
  auto* out = reinterpret_cast<std::uint8_t*>(data->mutable_data());
  if (numeric(a.type) && numeric(b.type)) {
    if (int_like(a.type) && int_like(b.type))
      with_int(a, [&](auto ra) { with_int(b, [&](auto rb) { compare_loop(op, ra, rb, n, out); }); });
    else
      with_double(a, [&](auto ra) { with_double(b, [&](auto rb) { compare_loop(op, ra, rb, n, out); }); });
  } else if (a.type == ColumnType::string && b.type == ColumnType::string) {
    with_string(a, [&](auto ra) { with_string(b, [&](auto rb) { compare_loop(op, ra, rb, n, out); }); });
  } else if (a.type == ColumnType::timestamp && b.type == ColumnType::timestamp) {
    with_int(a, [&](auto ra) { with_int(b, [&](auto rb) { compare_loop(op, ra, rb, n, out); }); });
  } else {
    throw TypeError("dataframe: cannot compare " + tname(a.type) + " with " + tname(b.type) + " ('" + op + "')");
  }
  if (a.has_nulls() || b.has_nulls()) {
    const std::uint8_t null_result = op == "ne" ? 1 : 0;
    for (I64 i = 0; i < n; ++i)
      if (!a.valid(i) || !b.valid(i)) out[i] = null_result;
  }
  Column c;
  c.name = name;
  c.type = ColumnType::boolean;
  c.length = n;
  c.data = std::move(data);
  return c;
}

Column logical(const std::string& op, const Operand& a, const Operand* b, I64 n, const std::string& name) {
  auto truth = [](const Operand& o) {
    if (o.type != ColumnType::boolean)
      throw TypeError("dataframe: logical operators need bool operands, got " + tname(o.type));
  };
  truth(a);
  if (b) truth(*b);
  auto data = make_buffer(static_cast<std::size_t>(n));
  auto* out = reinterpret_cast<std::uint8_t*>(data->mutable_data());
  with_int(a, [&](auto ra) {
    if (!b) {
      for (I64 i = 0; i < n; ++i) out[i] = !(ra(i) && a.valid(i));
      return;
    }
    with_int(*b, [&](auto rb) {
      for (I64 i = 0; i < n; ++i) {
        bool x = ra(i) && a.valid(i), y = rb(i) && b->valid(i);
        out[i] = op == "and" ? (x && y) : op == "or" ? (x || y) : (x != y);
      }
    });
  });
  Column c;
  c.name = name;
  c.type = ColumnType::boolean;
  c.length = n;
  c.data = std::move(data);
  return c;
}

std::string float_repr(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

Column astype(const Operand& a, ColumnType to, I64 n, const std::string& name) {
  ColumnBuilder b(name, to);
  b.reserve(static_cast<std::size_t>(n));
  const Column& c = a.column;
  for (I64 i = 0; i < n; ++i) {
    if (!c.is_valid(i)) { b.append_null(); continue; }
    switch (to) {
      case ColumnType::string:
        switch (c.type) {
          case ColumnType::string: b.append_string(c.string_at(i)); break;
          case ColumnType::int64: b.append_string(std::to_string(c.data->as<I64>()[i])); break;
          case ColumnType::float64: b.append_string(float_repr(c.data->as<double>()[i])); break;
          case ColumnType::boolean: b.append_string(c.data->as<std::uint8_t>()[i] ? "True" : "False"); break;
          case ColumnType::timestamp: b.append_string(format_timestamp(c.data->as<I64>()[i])); break;
        }
        break;
      case ColumnType::float64:
        if (c.type == ColumnType::string) {
          double x;
          if (!parse_float64(c.string_at(i), x))
            throw ValueError("astype: cannot convert '" + std::string(c.string_at(i)) + "' to float64");
          b.append_float(x);
        } else if (c.type == ColumnType::float64) b.append_float(c.data->as<double>()[i]);
        else if (c.type == ColumnType::boolean) b.append_float(c.data->as<std::uint8_t>()[i]);
        else b.append_float(static_cast<double>(c.data->as<I64>()[i]));
        break;
      case ColumnType::int64:
      case ColumnType::timestamp:
        if (c.type == ColumnType::string) {
          I64 x;
          bool ok = to == ColumnType::int64 ? parse_int64(c.string_at(i), x) : parse_timestamp(c.string_at(i), x);
          if (!ok)
            throw ValueError("astype: cannot convert '" + std::string(c.string_at(i)) + "' to " + tname(to));
          b.append_int(x);
        } else if (c.type == ColumnType::float64) {
          double x = c.data->as<double>()[i];
          if (!std::isfinite(x) || std::fabs(x) >= 9.2e18)
            throw ValueError("astype: cannot convert " + float_repr(x) + " to " + tname(to));
          b.append_int(static_cast<I64>(x));
        } else if (c.type == ColumnType::boolean) b.append_int(c.data->as<std::uint8_t>()[i]);
        else b.append_int(c.data->as<I64>()[i]);
        break;
      case ColumnType::boolean:
        if (c.type == ColumnType::string) b.append_bool(!c.string_at(i).empty());
        else if (c.type == ColumnType::float64) b.append_bool(c.data->as<double>()[i] != 0);
        else if (c.type == ColumnType::boolean) b.append_bool(c.data->as<std::uint8_t>()[i]);
        else b.append_bool(c.data->as<I64>()[i] != 0);
        break;
    }
  }
  return b.finish();
}

char ascii_lower(char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; }
char ascii_upper(char ch) { return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch; }

Column string_op(const std::string& op, const Operand& a, const Value* pattern, I64 n, const std::string& name) {
  if (a.type != ColumnType::string)
    throw TypeError("dataframe: ." + op.substr(0, 3) + "." + op.substr(4) + " needs a string column, got " + tname(a.type));
  const Column& c = a.column;
  if (op == "str_lower" || op == "str_upper") {
    ColumnBuilder b(name, ColumnType::string);
    std::string tmp;
    for (I64 i = 0; i < n; ++i) {
      if (!c.is_valid(i)) { b.append_null(); continue; }
      tmp.assign(c.string_at(i));
      for (auto& ch : tmp) ch = op == "str_lower" ? ascii_lower(ch) : ascii_upper(ch);
      b.append_string(tmp);
    }
    return b.finish();
  }
  if (op == "str_len") {
    ColumnBuilder b(name, ColumnType::int64);
    for (I64 i = 0; i < n; ++i) {
      if (!c.is_valid(i)) { b.append_null(); continue; }
      I64 chars = 0;  // UTF-8 code points, as Python's len
      for (unsigned char ch : c.string_at(i)) chars += (ch & 0xC0) != 0x80;
      b.append_int(chars);
    }
    return b.finish();
  }
  const std::string& p = pattern->as_string();
  ColumnBuilder b(name, ColumnType::boolean);
  for (I64 i = 0; i < n; ++i) {
    if (!c.is_valid(i)) { b.append_null(); continue; }
    std::string_view s = c.string_at(i);
    bool r = op == "str_contains"     ? s.find(p) != std::string_view::npos
             : op == "str_startswith" ? s.substr(0, p.size()) == p
                                      : s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
    b.append_bool(r);
  }
  return b.finish();
}

Column datetime_op(const std::string& op, const Operand& a, I64 n, const std::string& name) {
  if (a.type != ColumnType::timestamp)
    throw TypeError("dataframe: .dt." + op.substr(3) + " needs a datetime64[ns] column, got " + tname(a.type));
  ColumnBuilder b(name, ColumnType::int64);
  const auto* ns = a.column.data->as<I64>().data();
  for (I64 i = 0; i < n; ++i) {
    if (!a.column.is_valid(i)) { b.append_null(); continue; }
    std::string s = format_timestamp(ns[i]);  // "YYYY-MM-DD HH:MM:SS"; years 0..9999
    auto num = [&](std::size_t at, std::size_t len) { return static_cast<I64>(std::stoll(s.substr(at, len))); };
    I64 secs = ns[i] >= 0 ? ns[i] / 1000000000 : -((-ns[i] + 999999999) / 1000000000);
    I64 days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    I64 v = op == "dt_year" ? num(0, 4) : op == "dt_month" ? num(5, 2) : op == "dt_day" ? num(8, 2)
            : op == "dt_hour" ? num(11, 2) : op == "dt_minute" ? num(14, 2) : op == "dt_second" ? num(17, 2)
            : ((days % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday (Monday = 0)
    b.append_int(v);
  }
  return b.finish();
}

Operand operand(const Value& e, const Table& t);

Column eval_op(const Value& e, const Table& t, const std::string& name) {
  const std::string& op = op_name(e);
  const I64 n = t.num_rows();
  if (op == "col") return t.column(arg(e, 0).as_string());
  if (op == "lit") {
    Operand a = operand(e, t);
    ColumnBuilder b(name, a.type);
    for (I64 i = 0; i < n; ++i) {
      if (a.value.is_none()) b.append_null();
      else if (a.type == ColumnType::int64) b.append_int(a.value.as_int());
      else if (a.type == ColumnType::float64) b.append_float(a.value.as_float());
      else if (a.type == ColumnType::boolean) b.append_bool(a.value.as_bool());
      else b.append_string(a.value.as_string());
    }
    return b.finish();
  }
  if (op == "lambda") return evaluate_lambda(e, t, name);  // lambda_apply.hpp
  Operand a = operand(arg(e, 0), t);
  if (is_one_of(op, {"add", "sub", "mul", "div", "floordiv", "mod"})) return arithmetic(op, a, operand(arg(e, 1), t), n, name);
  if (is_one_of(op, {"eq", "ne", "lt", "le", "gt", "ge"})) return comparison(op, a, operand(arg(e, 1), t), n, name);
  if (is_one_of(op, {"and", "or", "xor"})) {
    Operand b = operand(arg(e, 1), t);
    return logical(op, a, &b, n, name);
  }
  if (op == "not") return logical(op, a, nullptr, n, name);
  if (op == "neg" || op == "abs") {
    Operand zero;
    zero.scalar = true;
    zero.value = a.type == ColumnType::float64 ? Value(0.0) : Value(0);
    zero.type = a.type == ColumnType::float64 ? ColumnType::float64 : ColumnType::int64;
    Column neg = arithmetic("sub", zero, a, n, name);
    if (op == "neg") return neg;
    Column pos = arithmetic("add", zero, a, n, name);
    Column gt = comparison("lt", a, zero, n, name);
    ColumnBuilder b(name, pos.type);
    for (I64 i = 0; i < n; ++i) b.append_from(gt.data->as<std::uint8_t>()[i] ? neg : pos, i);
    return b.finish();
  }
  if (op == "isna" || op == "notna") {
    ColumnBuilder b(name, ColumnType::boolean);
    for (I64 i = 0; i < n; ++i) b.append_bool(a.valid(i) == (op == "notna"));
    return b.finish();
  }
  if (op == "fillna") {
    const Value& fill = arg(e, 1);
    if (a.scalar) return eval_op(a.value.is_none() ? expr::lit(fill) : arg(e, 0), t, name);
    ColumnBuilder b(name, a.type);
    Column filler = eval_op(expr::op("astype", {expr::lit(fill), Value(static_cast<I64>(a.type))}), t, name);
    for (I64 i = 0; i < n; ++i) b.append_from(a.column.is_valid(i) ? a.column : filler, i);
    return b.finish();
  }
  if (op == "astype") {
    auto to = static_cast<ColumnType>(arg(e, 1).as_int());
    if (a.scalar) {
      Column full = eval_op(expr::lit(a.value), t, name);
      return astype(Operand{false, {}, full, full.type}, to, n, name);
    }
    return astype(a, to, n, name);
  }
  if (op.rfind("str_", 0) == 0) {
    if (a.scalar) throw TypeError("dataframe: ." + op + " needs a column");
    return string_op(op, a, op == "str_lower" || op == "str_upper" || op == "str_len" ? nullptr : &arg(e, 1), n, name);
  }
  if (op.rfind("dt_", 0) == 0) {
    if (a.scalar) throw TypeError("dataframe: ." + op + " needs a column");
    return datetime_op(op, a, n, name);
  }
  throw ValueError("dataframe: unknown expression operator '" + op + "'");
}

Operand operand(const Value& e, const Table& t) {
  Operand o;
  if (op_name(e) == "lit") {
    o.scalar = true;
    o.value = arg(e, 0);
    o.type = literal_type(o.value);
    return o;
  }
  o.column = eval_op(e, t, "");
  o.type = o.column.type;
  return o;
}

}  // namespace

Value col(const std::string& name) { return Value(ValueList{Value("col"), Value(name)}); }
Value lit(const Value& v) {
  (void)literal_type(v);
  return Value(ValueList{Value("lit"), v});
}
Value op(const std::string& name, ValueList operands) {
  operands.insert(operands.begin(), Value(name));
  return Value(std::move(operands));
}

std::string column_name(const Value& e) { return op_name(e) == "col" ? arg(e, 0).as_string() : std::string(); }

void referenced_columns(const Value& e, std::vector<std::string>& out) {
  const std::string& op = op_name(e);
  if (op == "col") {
    const auto& n = arg(e, 0).as_string();
    for (const auto& x : out)
      if (x == n) return;
    out.push_back(n);
    return;
  }
  if (op == "lit") return;
  const auto& p = parts(e);
  for (std::size_t i = 1; i < p.size(); ++i)
    if (p[i].kind() == ValueKind::list && !p[i].as_list().empty() && p[i].as_list()[0].kind() == ValueKind::string)
      referenced_columns(p[i], out);
}

ColumnType result_type(const Value& e, const Schema& schema) {
  const std::string& op = op_name(e);
  if (op == "col") return type_of(schema, arg(e, 0).as_string());
  if (op == "lit") return literal_type(arg(e, 0));
  if (op == "lambda") return lambda_result_type(e);  // lambda_apply.hpp
  ColumnType a = result_type(arg(e, 0), schema);
  if (is_one_of(op, {"add", "sub", "mul", "div", "floordiv", "mod"})) {
    ColumnType b = result_type(arg(e, 1), schema);
    if (!numeric(a) || !numeric(b)) throw TypeError("dataframe: cannot apply '" + op + "' to " + tname(a) + " and " + tname(b));
    return int_like(a) && int_like(b) && op != "div" ? ColumnType::int64 : ColumnType::float64;
  }
  if (is_one_of(op, {"eq", "ne", "lt", "le", "gt", "ge"})) {
    ColumnType b = result_type(arg(e, 1), schema);
    bool ok = (numeric(a) && numeric(b)) || a == b || (a == ColumnType::timestamp && b == ColumnType::string) ||
              (b == ColumnType::timestamp && a == ColumnType::string);
    if (!ok) throw TypeError("dataframe: cannot compare " + tname(a) + " with " + tname(b) + " ('" + op + "')");
    return ColumnType::boolean;
  }
  if (is_one_of(op, {"and", "or", "xor", "not"})) {
    if (a != ColumnType::boolean || (op != "not" && result_type(arg(e, 1), schema) != ColumnType::boolean))
      throw TypeError("dataframe: logical operators need bool operands");
    return ColumnType::boolean;
  }
  if (op == "neg" || op == "abs") {
    if (!numeric(a)) throw TypeError("dataframe: cannot apply '" + op + "' to " + tname(a));
    return a == ColumnType::float64 ? a : ColumnType::int64;
  }
  if (op == "isna" || op == "notna") return ColumnType::boolean;
  if (op == "fillna") return a;
  if (op == "astype") return static_cast<ColumnType>(arg(e, 1).as_int());
  if (op == "str_lower" || op == "str_upper" || op == "str_len" || op == "str_contains" || op == "str_startswith" ||
      op == "str_endswith") {
    if (a != ColumnType::string) throw TypeError("dataframe: the str accessor needs a string column, got " + tname(a));
    return op == "str_len" ? ColumnType::int64 : op == "str_lower" || op == "str_upper" ? ColumnType::string : ColumnType::boolean;
  }
  if (op.rfind("dt_", 0) == 0) {
    if (a != ColumnType::timestamp) throw TypeError("dataframe: the dt accessor needs a datetime64[ns] column, got " + tname(a));
    return ColumnType::int64;
  }
  throw ValueError("dataframe: unknown expression operator '" + op + "'");
}

Column evaluate(const Value& e, const Table& t, const std::string& name) {
  Column c = eval_op(e, t, name);
  c.name = name;
  return c;
}

}  // namespace tessera::dataframe::expr
