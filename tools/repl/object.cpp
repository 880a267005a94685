#include "tools/repl/object.hpp"

#include <algorithm>
#include <stdexcept>

#include "runtime/util/error.hpp"
#include "tools/repl/parser.hpp"
#include "tools/repl/printer.hpp"

namespace tessera::repl {
namespace {

Value literal(const NodePtr& n) {
  switch (n->kind) {
    case NodeKind::integer: return Value(n->int_value);
    case NodeKind::floating: return Value(n->float_value);
    case NodeKind::string: return Value(n->text);
    case NodeKind::none: return Value();
    case NodeKind::true_: return Value(true);
    case NodeKind::false_: return Value(false);
    case NodeKind::name:
      if (n->text == "no_default") return Value();
      break;
    case NodeKind::unary:
      if (n->text == "-" && n->kids[0]->kind == NodeKind::integer) return Value(-n->kids[0]->int_value);
      if (n->text == "-" && n->kids[0]->kind == NodeKind::floating) return Value(-n->kids[0]->float_value);
      break;
    case NodeKind::tuple:
    case NodeKind::list: {
      ValueList out;
      for (const auto& k : n->kids) out.push_back(literal(k));
      return Value(std::move(out));
    }
    default: break;
  }
  throw std::logic_error("signature default is not a literal (line " + std::to_string(n->line) + ", column " + std::to_string(n->column) + ")");
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string type_name(const RValue& v) {
  if (v.obj) return v.obj->type().name;
  switch (v.value.kind()) {
    case ValueKind::none: return "None";
    case ValueKind::boolean: return "bool";
    case ValueKind::int64: return "int";
    case ValueKind::float64: return "float";
    case ValueKind::string: return "str";
    case ValueKind::list: return "list";
    case ValueKind::dict: return "dict";
    case ValueKind::bytes: return "bytes";
    case ValueKind::ndarray: return "numpy.ndarray";
    case ValueKind::table: return "pandas.DataFrame";
  }
  return "?";
}

Signature Signature::parse(const std::string& text) {
  Signature s;
  s.text = text;
  std::string src = text;
  if (auto p = src.find(", **"); p != std::string::npos) {
    s.kwargs = true;
    src.erase(p, src.find(')', p) - p);
  } else if (auto q = src.find("(**"); q != std::string::npos) {
    s.kwargs = true;
    src.erase(q + 1, src.find(')', q) - q - 1);
  }
  auto arrow = src.find(" -> ");
  if (arrow != std::string::npos) src.erase(arrow);
  auto n = parse_expression(src);
  const Node* call = n.get();
  if (call->kind != NodeKind::call) {
    // A property: "shape" or "shape -> tuple".
    s.name = call->text;
    return s;
  }
  // The name: the last part of a dotted callee.
  s.name = call->kids[0]->kind == NodeKind::attribute ? call->kids[0]->text : call->kids[0]->text;
  for (std::size_t i = 1; i < call->kids.size(); ++i) {
    const auto& kw = call->names[i - 1];
    const auto& k = call->kids[i];
    if (kw == "*") {
      s.varargs = k->text;
      s.positional = s.params.size();
    } else if (kw.empty()) {
      s.params.push_back(Param{k->text, false, {}});
    } else {
      s.params.push_back(Param{kw, true, RValue(literal(k))});
    }
  }
  if (s.varargs.empty()) s.positional = s.params.size();
  return s;
}

Bound::Bound(const Signature& sig, CallArgs args) : sig_(&sig), values_(sig.params.size()), passed_(sig.params.size()) {
  std::vector<bool> set(sig.params.size(), false);
  std::size_t i = 0;
  for (auto& a : args.positional) {
    if (i < sig.positional) {
      values_[i] = std::move(a);
      set[i] = true;
      ++i;
    } else if (!sig.varargs.empty()) {
      rest_.push_back(std::move(a));
    } else {
      throw TypeError(sig.name + "() takes " + std::to_string(sig.positional) + " positional argument" +
                      (sig.positional == 1 ? "" : "s") + " but " + std::to_string(args.positional.size()) +
                      " were given; signature: " + sig.text);
    }
  }
  for (auto& [name, v] : args.keywords) {
    std::size_t k = 0;
    while (k < sig.params.size() && sig.params[k].name != name) ++k;
    if (k == sig.params.size()) {
      if (sig.kwargs) {
        extra_kw_.emplace_back(name, std::move(v));
        continue;
      }
      std::vector<std::string> names;
      for (const auto& p : sig.params) names.push_back(p.name);
      throw TypeError(sig.name + "() got an unexpected keyword argument '" + name + "'." +
                      did_you_mean(nearest_names(name, names)) + " Signature: " + sig.text);
    }
    if (set[k]) throw TypeError(sig.name + "() got multiple values for argument '" + name + "'");
    values_[k] = std::move(v);
    set[k] = true;
  }
  for (std::size_t k = 0; k < sig.params.size(); ++k) {
    if (set[k]) continue;
    if (!sig.params[k].has_default)
      throw TypeError(sig.name + "() missing required argument '" + sig.params[k].name + "'; signature: " + sig.text);
    values_[k] = sig.params[k].default_value;
  }
  passed_ = std::move(set);
}

std::size_t Bound::slot(const std::string& name) const {
  for (std::size_t k = 0; k < sig_->params.size(); ++k)
    if (sig_->params[k].name == name) return k;
  throw std::logic_error("signature " + sig_->text + " has no parameter " + name);
}

const RValue& Bound::operator[](const std::string& name) const { return values_[slot(name)]; }

bool Bound::given(const std::string& name) const { return !(*this)[name].is_none(); }

void Bound::type_error(const std::string& name, const std::string& wanted) const {
  throw TypeError(sig_->name + "(): argument '" + name + "' must be " + wanted + ", not " +
                  type_name((*this)[name]) + "; signature: " + sig_->text);
}

const Value& Bound::value(const std::string& name) const {
  const auto& v = (*this)[name];
  if (v.obj) type_error(name, "a value (number, string, list, dict)");
  return v.value;
}

std::int64_t Bound::integer(const std::string& name) const {
  const auto& v = (*this)[name];
  if (v.obj || (v.value.kind() != ValueKind::int64 && v.value.kind() != ValueKind::boolean)) type_error(name, "an int");
  return v.value.kind() == ValueKind::boolean ? v.value.as_bool() : v.value.as_int();
}

double Bound::number(const std::string& name) const {
  const auto& v = (*this)[name];
  if (v.obj || (v.value.kind() != ValueKind::int64 && v.value.kind() != ValueKind::float64)) type_error(name, "a number");
  return v.value.as_float();
}

bool Bound::boolean(const std::string& name) const {
  const auto& v = (*this)[name];
  if (v.obj || v.value.kind() != ValueKind::boolean) type_error(name, "True or False");
  return v.value.as_bool();
}

std::string Bound::string(const std::string& name) const {
  const auto& v = (*this)[name];
  if (v.obj || v.value.kind() != ValueKind::string) type_error(name, "a str");
  return v.value.as_string();
}

std::optional<std::int64_t> Bound::opt_integer(const std::string& name) const {
  if (!given(name)) return std::nullopt;
  return integer(name);
}

std::optional<std::string> Bound::opt_string(const std::string& name) const {
  if (!given(name)) return std::nullopt;
  return string(name);
}

std::vector<std::int64_t> Bound::integers(const std::string& name) const {
  const auto& v = (*this)[name];
  if (!v.obj && v.value.kind() == ValueKind::int64) return {v.value.as_int()};
  if (v.obj || v.value.kind() != ValueKind::list) type_error(name, "an int or a tuple of ints");
  std::vector<std::int64_t> out;
  for (const auto& x : v.value.as_list()) {
    if (x.kind() != ValueKind::int64) type_error(name, "an int or a tuple of ints");
    out.push_back(x.as_int());
  }
  return out;
}

std::vector<std::string> Bound::strings(const std::string& name) const {
  const auto& v = (*this)[name];
  if (!v.obj && v.value.kind() == ValueKind::string) return {v.value.as_string()};
  if (v.obj || v.value.kind() != ValueKind::list) type_error(name, "a str or a list of str");
  std::vector<std::string> out;
  for (const auto& x : v.value.as_list()) {
    if (x.kind() != ValueKind::string) type_error(name, "a str or a list of str");
    out.push_back(x.as_string());
  }
  return out;
}

Method::Method(std::string signature_text, std::string doc_text, MethodFn f, bool is_property)
    : signature(Signature::parse(signature_text)), doc(std::move(doc_text)), fn(std::move(f)), property(is_property) {}

RValue Object::call(Interpreter&, CallArgs) const {
  throw TypeError("'" + type().name + "' object is not callable");
}

const TypeInfo& FunctionObject::type() const {
  static const TypeInfo t{"function", "a function: call it with (...)", {}};
  return t;
}

std::string FunctionObject::repr() const { return "<function " + qualified_ + ": " + method_->signature.text + ">"; }

RValue FunctionObject::call(Interpreter& in, CallArgs args) const {
  Bound b(method_->signature, std::move(args));
  return method_->fn(in, self_, b);
}

const TypeInfo& Namespace::type() const {
  static const TypeInfo t{"namespace", "a namespace of functions", {}};
  return t;
}

std::optional<RValue> Namespace::attribute(const std::string& name) const {
  auto it = members_.find(name);
  if (it == members_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Namespace::attribute_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : members_) out.push_back(k);
  return out;
}

void Namespace::def(std::string signature, std::string doc, MethodFn fn) {
  auto m = std::make_shared<const Method>(std::move(signature), std::move(doc), std::move(fn));
  auto name = m->name();
  members_[name] = RValue(std::make_shared<FunctionObject>(std::move(m), RValue(), name_ + "." + name));
}

const TypeInfo& ListObject::type() const {
  static const TypeInfo list{"list", "a list", {}};
  static const TypeInfo tup{"tuple", "a tuple", {}};
  return tuple ? tup : list;
}

std::string ListObject::repr() const {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    out += render_inline(items[i]);
  }
  return out + "]";
}

std::vector<std::string> nearest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       std::size_t n) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& c : candidates) {
    auto d = edit_distance(name, c);
    // Close enough: at most a third of the longer name, or a prefix match.
    std::size_t limit = std::max<std::size_t>(1, std::max(name.size(), c.size()) / 3);
    bool prefix = name.size() >= 3 && c.rfind(name, 0) == 0;
    if (d <= limit || prefix) scored.emplace_back(prefix ? 0 : d, c);
  }
  std::stable_sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, c] : scored) {
    if (out.size() == n) break;
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
}

std::string did_you_mean(const std::vector<std::string>& names) {
  if (names.empty()) return "";
  std::string out = " Did you mean ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += i + 1 == names.size() ? " or " : ", ";
    out += "'" + names[i] + "'";
  }
  return out + "?";
}

}  // namespace tessera::repl
