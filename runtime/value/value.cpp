#include "runtime/value/value.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>

#include "runtime/util/error.hpp"

namespace tessera {

std::string_view kind_name(ValueKind k) noexcept {
  switch (k) {
    case ValueKind::none: return "none";
    case ValueKind::boolean: return "bool";
    case ValueKind::int64: return "int64";
    case ValueKind::float64: return "float64";
    case ValueKind::string: return "string";
    case ValueKind::list: return "list";
    case ValueKind::dict: return "dict";
    case ValueKind::bytes: return "bytes";
    case ValueKind::ndarray: return "ndarray";
    case ValueKind::table: return "table";
  }
  return "?";
}

Value::Value(std::string s) : v_(std::make_shared<const std::string>(std::move(s))) {}
Value::Value(ValueList l) : v_(std::make_shared<const ValueList>(std::move(l))) {}
Value::Value(ValueDict d) : v_(std::make_shared<const ValueDict>(std::move(d))) {}
Value::Value(NDArray a) : v_(std::make_shared<const NDArray>(std::move(a))) {}
Value::Value(Table t) : v_(std::make_shared<const Table>(std::move(t))) {}

Value::~Value() {
  // Only lists and dicts nest. While an outer ~Value drains, nested ones
  // hand their payload to it instead of recursing; only a sole owner drains.
  bool nested = false;
  if (auto* l = std::get_if<std::shared_ptr<const ValueList>>(&v_)) nested = l->use_count() == 1 && !(*l)->empty();
  else if (auto* d = std::get_if<std::shared_ptr<const ValueDict>>(&v_)) nested = d->use_count() == 1 && !(*d)->empty();
  if (!nested) return;
  thread_local std::vector<Storage>* draining = nullptr;
  if (draining != nullptr) {
    draining->push_back(std::move(v_));
    return;
  }
  std::vector<Storage> stack;
  stack.push_back(std::move(v_));
  draining = &stack;
  while (!stack.empty()) {
    Storage s = std::move(stack.back());
    stack.pop_back();
  }  // `s` dies here; its elements' destructors push onto `stack`
  draining = nullptr;
}

Value Value::bytes(BufferPtr b) {
  Value v;
  v.v_ = b ? std::move(b) : std::make_shared<const Buffer>(0);
  return v;
}

Value Value::bytes(std::string_view raw) {
  return bytes(std::make_shared<const Buffer>(raw.data(), raw.size()));
}

void Value::wrong_kind(ValueKind wanted) const {
  throw TypeError("expected " + std::string(kind_name(wanted)) + ", got " +
                  std::string(kind_name(kind())) + " " + repr(80));
}

bool Value::as_bool() const {
  if (auto* p = std::get_if<bool>(&v_)) return *p;
  wrong_kind(ValueKind::boolean);
}

std::int64_t Value::as_int() const {
  if (auto* p = std::get_if<std::int64_t>(&v_)) return *p;
  wrong_kind(ValueKind::int64);
}

double Value::as_float() const {
  if (auto* p = std::get_if<double>(&v_)) return *p;
  if (auto* p = std::get_if<std::int64_t>(&v_)) return static_cast<double>(*p);
  wrong_kind(ValueKind::float64);
}

const std::string& Value::as_string() const {
  if (auto* p = std::get_if<std::shared_ptr<const std::string>>(&v_)) return **p;
  wrong_kind(ValueKind::string);
}

const ValueList& Value::as_list() const {
  if (auto* p = std::get_if<std::shared_ptr<const ValueList>>(&v_)) return **p;
  wrong_kind(ValueKind::list);
}

const ValueDict& Value::as_dict() const {
  if (auto* p = std::get_if<std::shared_ptr<const ValueDict>>(&v_)) return **p;
  wrong_kind(ValueKind::dict);
}

const BufferPtr& Value::bytes_ptr() const {
  if (auto* p = std::get_if<BufferPtr>(&v_)) return *p;
  wrong_kind(ValueKind::bytes);
}

const Buffer& Value::as_bytes() const { return *bytes_ptr(); }

const NDArray& Value::as_ndarray() const {
  if (auto* p = std::get_if<std::shared_ptr<const NDArray>>(&v_)) return **p;
  wrong_kind(ValueKind::ndarray);
}

const Table& Value::as_table() const {
  if (auto* p = std::get_if<std::shared_ptr<const Table>>(&v_)) return **p;
  wrong_kind(ValueKind::table);
}

std::size_t Value::nbytes() const noexcept {
  constexpr std::size_t base = sizeof(Value);
  switch (kind()) {
    case ValueKind::string: return base + as_string().size();
    case ValueKind::list: {
      std::size_t n = base;
      for (const auto& x : as_list()) n += x.nbytes();
      return n;
    }
    case ValueKind::dict: {
      std::size_t n = base;
      for (const auto& [k, x] : as_dict()) n += k.size() + x.nbytes();
      return n;
    }
    case ValueKind::bytes: return base + as_bytes().size();
    case ValueKind::ndarray: return base + as_ndarray().nbytes();
    case ValueKind::table: return base + as_table().nbytes();
    default: return base;
  }
}

namespace {

void quote(std::ostringstream& os, const std::string& s) {
  os << '\'';
  for (char c : s) {
    if (c == '\'' || c == '\\') os << '\\';
    os << c;
  }
  os << '\'';
}

// Nesting deeper than this renders as "..." (keeps repr bounded and shallow).
constexpr int max_render_depth = 64;

void render(std::ostringstream& os, const Value& v, int depth = 0) {
  if (depth > max_render_depth) {
    os << "...";
    return;
  }
  switch (v.kind()) {
    case ValueKind::none: os << "None"; break;
    case ValueKind::boolean: os << (v.as_bool() ? "True" : "False"); break;
    case ValueKind::int64: os << v.as_int(); break;
    case ValueKind::float64: {
      double d = v.as_float();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e16) {
        os << static_cast<long long>(d) << ".0";
      } else {
        // Shortest text that reads back as the same double, as Python's repr.
        char text[32];
        auto end = std::to_chars(text, text + sizeof text, d).ptr;
        os.write(text, end - text);
      }
      break;
    }
    case ValueKind::string: quote(os, v.as_string()); break;
    case ValueKind::list: {
      os << '[';
      bool first = true;
      for (const auto& x : v.as_list()) {
        if (!first) os << ", ";
        first = false;
        render(os, x, depth + 1);
      }
      os << ']';
      break;
    }
    case ValueKind::dict: {
      os << '{';
      bool first = true;
      for (const auto& [k, x] : v.as_dict()) {
        if (!first) os << ", ";
        first = false;
        quote(os, k);
        os << ": ";
        render(os, x, depth + 1);
      }
      os << '}';
      break;
    }
    case ValueKind::bytes: os << "bytes[" << v.as_bytes().size() << "]"; break;
    case ValueKind::ndarray: {
      const auto& a = v.as_ndarray();
      os << "ndarray<" << dtype_name(a.dtype()) << ">(";
      for (std::size_t i = 0; i < a.shape().size(); ++i) os << (i ? ", " : "") << a.shape()[i];
      if (a.shape().size() == 1) os << ',';
      os << ')';
      break;
    }
    case ValueKind::table: {
      const auto& t = v.as_table();
      os << "table[" << t.num_rows() << " rows x " << t.num_columns() << " columns]";
      break;
    }
  }
}

}  // namespace

std::string Value::repr(std::size_t max_chars) const {
  std::ostringstream os;
  render(os, *this);
  auto s = os.str();
  if (s.size() > max_chars) {
    s.resize(max_chars);
    s += "...";
  }
  return s;
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::none: return true;
    case ValueKind::boolean: return a.as_bool() == b.as_bool();
    case ValueKind::int64: return a.as_int() == b.as_int();
    case ValueKind::float64: return a.as_float() == b.as_float();
    case ValueKind::string: return a.as_string() == b.as_string();
    case ValueKind::list: return a.as_list() == b.as_list();
    case ValueKind::dict: return a.as_dict() == b.as_dict();
    case ValueKind::bytes: {
      const auto& x = a.as_bytes();
      const auto& y = b.as_bytes();
      return x.size() == y.size() && (x.size() == 0 || std::memcmp(x.data(), y.data(), x.size()) == 0);
    }
    case ValueKind::ndarray: return a.as_ndarray() == b.as_ndarray();
    case ValueKind::table: return a.as_table() == b.as_table();
  }
  return false;
}

}  // namespace tessera
