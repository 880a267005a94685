#include "tools/repl/interpreter.hpp"

#include <algorithm>
#include <iostream>

#include "runtime/expr/lambda_expr.hpp"
#include "runtime/registry/registry.hpp"
#include "runtime/util/error.hpp"
#include "tools/repl/printer.hpp"

namespace tessera::repl {
namespace {

constexpr int max_eval_depth = 400;

/// A method of a plain string, list or dict ("a,b".split(",")).
class ValueMethod final : public Object {
 public:
  ValueMethod(Value self, std::string name) : self_(std::move(self)), name_(std::move(name)) {}
  const TypeInfo& type() const override {
    static const TypeInfo t{"builtin_method", "a method of a str, list or dict", {}};
    return t;
  }
  std::string repr() const override { return "<method " + name_ + " of " + type_name(RValue(self_)) + ">"; }
  bool callable() const override { return true; }
  RValue call(Interpreter&, CallArgs args) const override {
    if (!args.keywords.empty()) throw TypeError(name_ + "() takes no keyword arguments");
    ValueList a;
    for (const auto& x : args.positional) a.push_back(plain(x, name_ + "() argument"));
    return expr::call_method(name_, self_, a);
  }

 private:
  Value self_;
  std::string name_;
};

Value list_node(std::initializer_list<Value> xs) { return Value(ValueList(xs)); }

}  // namespace

std::atomic<bool>& interrupt_requested() {
  static std::atomic<bool> flag{false};
  return flag;
}

Value plain(const RValue& v, const std::string& what) {
  if (v.obj) {
    if (auto* l = v.as<ListObject>()) {
      ValueList out;
      for (const auto& x : l->items) out.push_back(plain(x, what));
      return Value(std::move(out));
    }
    throw TypeError(what + " must be a plain value (number, str, list, dict), not " + type_name(v));
  }
  return v.value;
}

Value numpy_scalar(const Value& v) {
  if (v.kind() != ValueKind::ndarray) return v;
  const auto& a = v.as_ndarray();
  if (a.ndim() != 0 || a.size() != 1) return v;
  switch (a.dtype()) {
    case DType::int64: return Value(a.values<std::int64_t>()[0]);
    case DType::float64: return Value(a.values<double>()[0]);
    case DType::boolean: return Value(static_cast<bool>(a.values<bool>()[0]));
    default: return v;
  }
}

std::vector<const TypeInfo*>& Interpreter::types() {
  static std::vector<const TypeInfo*> all;
  return all;
}

Interpreter::Interpreter(ClusterInfo cluster) : cluster_(std::move(cluster)), output_(&std::cout) {
  expr::register_expr_functions();
  install_namespaces(*this, builtins_);
}

Interpreter::~Interpreter() = default;

Client& Interpreter::client() const {
  if (!cluster_.client) throw Error("the REPL is not connected to a cluster");
  return *cluster_.client;
}

std::vector<std::string> Interpreter::known_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : globals_) out.push_back(k);
  for (const auto& [k, v] : builtins_) out.push_back(k);
  return out;
}

RValue Interpreter::lookup(const std::string& name) const {
  if (auto it = globals_.find(name); it != globals_.end()) return it->second;
  if (auto it = builtins_.find(name); it != builtins_.end()) return it->second;
  auto& registry = Registry::global();
  if (registry.find(name)) return RValue(std::make_shared<RegisteredFunction>(name));
  auto names = registry.names();
  std::string prefix = name + ".";
  for (const auto& n : names)
    if (n.rfind(prefix, 0) == 0) return RValue(std::make_shared<RegistryPrefix>(name));
  auto candidates = known_names();
  for (const auto& n : names)
    if (n.find('.') == std::string::npos) candidates.push_back(n);
  throw KeyError("NameError: name '" + name + "' is not defined." + did_you_mean(nearest_names(name, candidates)));
}

std::optional<RValue> Interpreter::execute(const Statement& s) {
  depth_ = 0;
  switch (s.kind) {
    case StatementKind::import: {
      static const std::map<std::string, std::string> modules = {
          {"dask", "dask"},           {"dask.array", "array"},     {"dask.bag", "bag"},
          {"dask.dataframe", "dataframe"}, {"dask.delayed", "delayed"}, {"dask.compute", "compute"},
          {"dask.distributed", "distributed"}, {"dask.distributed.Client", "Client"},
          {"dask.distributed.LocalCluster", "LocalCluster"},
          {"json", "json"},           {"tessera", "dask"},         {"tessera.array", "array"},
          {"tessera.bag", "bag"},     {"tessera.dataframe", "dataframe"}, {"tessera.delayed", "delayed"}};
      // `import dask.array` binds `dask`; `import dask.array as da` binds da.
      bool aliased = s.targets[0] != s.module.substr(0, s.module.find('.'));
      std::string module = aliased ? s.module : s.module.substr(0, s.module.find('.'));
      auto it = modules.find(module);
      if (it == modules.end()) {
        std::vector<std::string> known;
        for (const auto& [k, v] : modules) known.push_back(k);
        throw KeyError("ModuleNotFoundError: no module named '" + s.module + "' here." +
                       did_you_mean(nearest_names(s.module, known)) + " (the REPL knows dask, dask.array, dask.bag, "
                       "dask.dataframe, dask.delayed, dask.distributed, json)");
      }
      if (!aliased && modules.find(s.module) == modules.end())
        throw KeyError("ModuleNotFoundError: no module named '" + s.module + "' here");
      globals_[s.targets[0]] = builtins_.at(it->second);
      return std::nullopt;
    }
    case StatementKind::assign: {
      RValue v = eval(*s.value);
      if (s.targets.size() == 1) {
        if (s.op != "=") v = binary(s.op.substr(0, s.op.size() - 1), lookup(s.targets[0]), v);
        globals_[s.targets[0]] = std::move(v);
        return std::nullopt;
      }
      auto items = iterate(v);
      if (items.size() != s.targets.size())
        throw ValueError("cannot unpack " + std::to_string(items.size()) + " values into " +
                         std::to_string(s.targets.size()) + " names");
      for (std::size_t i = 0; i < items.size(); ++i) globals_[s.targets[i]] = items[i];
      return std::nullopt;
    }
    case StatementKind::expression: return eval(*s.value);
  }
  return std::nullopt;
}

std::vector<RValue> Interpreter::iterate(const RValue& v) const {
  std::vector<RValue> out;
  if (auto* l = v.as<ListObject>()) return l->items;
  if (v.obj) throw TypeError("'" + type_name(v) + "' object is not iterable here (compute it first)");
  switch (v.value.kind()) {
    case ValueKind::list:
      for (const auto& x : v.value.as_list()) out.emplace_back(x);
      return out;
    case ValueKind::string:
      for (char c : v.value.as_string()) out.emplace_back(Value(std::string(1, c)));
      return out;
    case ValueKind::dict:
      for (const auto& [k, x] : v.value.as_dict()) out.emplace_back(Value(k));
      return out;
    default: throw TypeError("'" + type_name(v) + "' object is not iterable");
  }
}

bool Interpreter::truthy(const RValue& v) {
  if (auto* l = v.as<ListObject>()) return !l->items.empty();
  if (dynamic_cast<OperandObject*>(v.obj.get()))
    throw TypeError("the truth value of a " + type_name(v) +
                    " is ambiguous (it is lazy): use & | ~ for element-wise logic, or compute it first");
  if (v.obj) return true;
  return expr::truthy(v.value);
}

RValue Interpreter::binary(const std::string& op, const RValue& a, const RValue& b) {
  if (auto* x = dynamic_cast<OperandObject*>(a.obj.get()))
    if (auto r = x->binary(*this, op, b, false)) return *r;
  if (auto* y = dynamic_cast<OperandObject*>(b.obj.get()))
    if (auto r = y->binary(*this, op, a, true)) return *r;
  if (!a.obj && !b.obj) return expr::binary_op(op, numpy_scalar(a.value), numpy_scalar(b.value));
  if (op == "is" || op == "is not") {
    bool same = a.obj == b.obj && a.is_none() == b.is_none();
    return Value(op == "is" ? same : !same);
  }
  if ((op == "==" || op == "!=") && (!dynamic_cast<OperandObject*>(a.obj.get())))
    return Value((a.obj == b.obj) == (op == "=="));
  if (op == "+" && (a.as<ListObject>() || b.as<ListObject>() || a.value.kind() == ValueKind::list ||
                    b.value.kind() == ValueKind::list)) {
    auto items = iterate(a);
    auto more = iterate(b);
    items.insert(items.end(), more.begin(), more.end());
    return RValue(std::make_shared<ListObject>(std::move(items), false));
  }
  if ((op == "in" || op == "not in") && b.as<ListObject>()) {
    bool found = false;
    for (const auto& x : b.as<ListObject>()->items) found = found || (x.obj ? x.obj == a.obj : (!a.obj && expr::binary_op("==", x.value, a.value).as_bool()));
    return Value(op == "in" ? found : !found);
  }
  throw TypeError("unsupported operand types for " + op + ": '" + type_name(a) + "' and '" + type_name(b) + "'");
}

RValue Interpreter::attribute(const RValue& obj, const std::string& name) {
  if (!obj.obj) {
    if (expr::is_method(name) && (obj.value.kind() == ValueKind::string || obj.value.kind() == ValueKind::list ||
                                  obj.value.kind() == ValueKind::dict))
      return RValue(std::make_shared<ValueMethod>(obj.value, name));
    if (obj.value.kind() == ValueKind::ndarray) {
      const auto& a = obj.value.as_ndarray();
      if (name == "shape") {
        ValueList s;
        for (auto e : a.shape()) s.emplace_back(e);
        return Value(std::move(s));
      }
      if (name == "dtype") return Value(std::string(dtype_name(a.dtype())));
      if (name == "ndim") return Value(static_cast<std::int64_t>(a.ndim()));
      if (name == "size") return Value(a.size());
    }
    throw KeyError("AttributeError: '" + type_name(obj) + "' object has no attribute '" + name + "'");
  }
  const TypeInfo& t = obj.obj->type();
  if (auto it = t.methods.find(name); it != t.methods.end()) {
    const Method& m = it->second;
    if (m.property) {
      Bound b(m.signature, {});
      return m.fn(*this, obj, b);
    }
    return RValue(std::make_shared<FunctionObject>(std::shared_ptr<const Method>(std::shared_ptr<const Method>(), &m), obj,
                                                   t.name + "." + name));
  }
  if (auto v = obj.obj->attribute(name)) return *v;
  std::vector<std::string> names = obj.obj->attribute_names();
  for (const auto& [k, m] : t.methods) names.push_back(k);
  throw KeyError("AttributeError: '" + t.name + "' object has no attribute '" + name + "'." +
                 did_you_mean(nearest_names(name, names)));
}

RValue Interpreter::call(const RValue& callee, CallArgs args) {
  if (callee.obj && callee.obj->callable()) return callee.obj->call(*this, std::move(args));
  throw TypeError("'" + type_name(callee) + "' object is not callable");
}

Subscript Interpreter::eval_subscript(const Node& n) {
  Subscript s;
  auto one = [&](const Node& k) {
    IndexItem item;
    if (k.kind == NodeKind::slice) {
      item.kind = IndexItem::Kind::slice;
      auto bound = [&](const NodePtr& p, const char* what) -> std::optional<std::int64_t> {
        if (!p) return std::nullopt;
        RValue v = eval(*p);
        if (v.is_none()) return std::nullopt;
        if (v.obj || v.value.kind() != ValueKind::int64)
          throw TypeError(std::string("slice ") + what + " must be an int or None, not " + type_name(v));
        return v.value.as_int();
      };
      item.start = bound(k.kids[0], "start");
      item.stop = bound(k.kids[1], "stop");
      item.step = bound(k.kids[2], "step");
      if (item.step && *item.step == 0) throw ValueError("slice step cannot be zero");
    } else if (k.kind == NodeKind::ellipsis) {
      item.kind = IndexItem::Kind::ellipsis;
    } else if (k.kind == NodeKind::none) {
      item.kind = IndexItem::Kind::newaxis;
    } else {
      item.value = eval(k);
    }
    s.items.push_back(std::move(item));
  };
  if (n.kind == NodeKind::tuple) {
    s.tuple = true;
    for (const auto& k : n.kids) one(*k);
  } else {
    one(n);
  }
  return s;
}

RValue Interpreter::getitem(const RValue& x, const Subscript& s) {
  if (auto* o = dynamic_cast<OperandObject*>(x.obj.get()))
    if (auto r = o->getitem(*this, s)) return *r;
  if (auto* l = x.as<ListObject>()) {
    if (s.tuple || s.items[0].kind != IndexItem::Kind::value || s.items[0].value.obj ||
        s.items[0].value.value.kind() != ValueKind::int64)
      throw TypeError("list indices must be integers");
    auto i = s.items[0].value.value.as_int();
    auto n = static_cast<std::int64_t>(l->items.size());
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw ValueError("IndexError: list index out of range");
    return l->items[static_cast<std::size_t>(i)];
  }
  if (x.obj) throw TypeError("'" + type_name(x) + "' object is not subscriptable");
  if (s.tuple) throw TypeError("'" + type_name(x) + "' indices must be one integer, key or slice, not a tuple");
  const auto& item = s.items[0];
  auto opt = [](const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(); };
  switch (item.kind) {
    case IndexItem::Kind::slice: return expr::get_slice(x.value, opt(item.start), opt(item.stop), opt(item.step));
    case IndexItem::Kind::value: return expr::get_item(x.value, plain(item.value, "an index"));
    default: throw TypeError("'" + type_name(x) + "' does not take ... or None as an index");
  }
}

RValue Interpreter::eval_list(const Node& n, bool tuple) {
  std::vector<RValue> items;
  bool objects = false;
  for (const auto& k : n.kids) {
    items.push_back(eval(*k));
    objects = objects || (items.back().obj && !items.back().as<ListObject>());
    if (auto* l = items.back().as<ListObject>(); l && !l->items.empty()) objects = true;
  }
  if (objects) return RValue(std::make_shared<ListObject>(std::move(items), tuple));
  ValueList out;
  for (auto& i : items) out.push_back(plain(i, "a list element"));
  return Value(std::move(out));
}

RValue Interpreter::list_comprehension(const Node& n) {
  auto items = iterate(eval(*n.kids[1]));
  const std::string& var = n.text;
  auto saved = globals_.find(var);
  std::optional<RValue> previous;
  if (saved != globals_.end()) previous = saved->second;
  std::vector<RValue> out;
  bool objects = false;
  try {
    for (auto& item : items) {
      globals_[var] = item;
      if (n.kids.size() > 2 && !truthy(eval(*n.kids[2]))) continue;
      out.push_back(eval(*n.kids[0]));
      objects = objects || out.back().obj;
      if (interrupt_requested().load()) throw Interrupted("KeyboardInterrupt");
    }
  } catch (...) {
    if (previous) globals_[var] = *previous;
    else globals_.erase(var);
    throw;
  }
  if (previous) globals_[var] = *previous;
  else globals_.erase(var);
  if (objects) return RValue(std::make_shared<ListObject>(std::move(out), false));
  ValueList values;
  for (auto& v : out) values.push_back(v.value);
  return Value(std::move(values));
}

RValue Interpreter::eval(const Node& n) {
  if (++depth_ > max_eval_depth) {
    depth_ = 0;
    throw ValueError("RecursionError: expression nested too deeply");
  }
  struct Leave {
    int& d;
    ~Leave() {
      if (d > 0) --d;
    }
  } leave{depth_};
  switch (n.kind) {
    case NodeKind::integer: return Value(n.int_value);
    case NodeKind::floating: return Value(n.float_value);
    case NodeKind::string: return Value(n.text);
    case NodeKind::none: return Value();
    case NodeKind::true_: return Value(true);
    case NodeKind::false_: return Value(false);
    case NodeKind::name: return lookup(n.text);
    case NodeKind::list: return eval_list(n, false);
    case NodeKind::tuple: return eval_list(n, true);
    case NodeKind::dict: {
      ValueDict d;
      for (std::size_t i = 0; i + 1 < n.kids.size(); i += 2) {
        RValue k = eval(*n.kids[i]);
        if (k.obj || k.value.kind() != ValueKind::string)
          throw TypeError("dict keys must be strings here (they print as JSON), not " + type_name(k));
        d[k.value.as_string()] = plain(eval(*n.kids[i + 1]), "a dict value");
      }
      return Value(std::move(d));
    }
    case NodeKind::attribute: return attribute(eval(*n.kids[0]), n.text);
    case NodeKind::index: return getitem(eval(*n.kids[0]), eval_subscript(*n.kids[1]));
    case NodeKind::slice: throw TypeError("a slice (a:b) is only allowed inside [...]");
    case NodeKind::ellipsis: throw TypeError("... is only allowed inside [...]");
    case NodeKind::call: {
      RValue callee = eval(*n.kids[0]);
      CallArgs args;
      for (std::size_t i = 1; i < n.kids.size(); ++i) {
        const auto& kw = n.names[i - 1];
        RValue v = eval(*n.kids[i]);
        if (kw.empty()) {
          args.positional.push_back(std::move(v));
        } else if (kw == "*") {
          for (auto& x : iterate(v)) args.positional.push_back(std::move(x));
        } else {
          args.keywords.emplace_back(kw, std::move(v));
        }
      }
      return call(callee, std::move(args));
    }
    case NodeKind::unary: {
      RValue a = eval(*n.kids[0]);
      if (n.text == "not") return Value(!truthy(a));
      if (auto* o = dynamic_cast<OperandObject*>(a.obj.get()))
        if (auto r = o->unary(*this, n.text)) return *r;
      if (a.obj) throw TypeError("bad operand type for unary " + n.text + ": '" + type_name(a) + "'");
      return expr::unary_op(n.text, a.value);
    }
    case NodeKind::binary: {
      RValue a = eval(*n.kids[0]);
      RValue b = eval(*n.kids[1]);
      return binary(n.text, a, b);
    }
    case NodeKind::compare: {
      RValue left = eval(*n.kids[0]);
      RValue result;
      for (std::size_t i = 0; i < n.names.size(); ++i) {
        RValue right = eval(*n.kids[i + 1]);
        RValue r = binary(n.names[i], left, right);
        if (n.names.size() == 1) return r;
        if (!truthy(r)) return Value(false);
        left = std::move(right);
        result = r;
      }
      return Value(true);
    }
    case NodeKind::and_: {
      RValue a = eval(*n.kids[0]);
      return truthy(a) ? eval(*n.kids[1]) : a;
    }
    case NodeKind::or_: {
      RValue a = eval(*n.kids[0]);
      return truthy(a) ? a : eval(*n.kids[1]);
    }
    case NodeKind::if_else: return truthy(eval(*n.kids[1])) ? eval(*n.kids[0]) : eval(*n.kids[2]);
    case NodeKind::lambda: return RValue(std::make_shared<LambdaObject>(n.names, n.kids[0]));
    case NodeKind::list_comp: return list_comprehension(n);
  }
  throw ValueError("unknown syntax node");
}

// ---- lambdas ----

namespace {

struct LambdaCompiler {
  const Interpreter& in;
  const LambdaObject& f;

  [[noreturn]] void fail(const Node& n, const std::string& what) const {
    throw TypeError("lambda (line " + std::to_string(n.line) + ", column " + std::to_string(n.column) + "): " + what);
  }

  int param(const std::string& name) const {
    for (std::size_t i = 0; i < f.params().size(); ++i)
      if (f.params()[i] == name) return static_cast<int>(i);
    return -1;
  }

  Value compile(const Node& n) const {
    switch (n.kind) {
      case NodeKind::integer: return list_node({"const", Value(n.int_value)});
      case NodeKind::floating: return list_node({"const", Value(n.float_value)});
      case NodeKind::string: return list_node({"const", Value(n.text)});
      case NodeKind::none: return list_node({"const", Value()});
      case NodeKind::true_: return list_node({"const", Value(true)});
      case NodeKind::false_: return list_node({"const", Value(false)});
      case NodeKind::name: {
        if (int i = param(n.text); i >= 0) return list_node({"arg", Value(i)});
        RValue v = in.lookup(n.text);
        if (v.obj && !v.as<ListObject>())
          fail(n, "'" + n.text + "' is a " + type_name(v) +
                      "; a lambda may use its parameters, plain values (numbers, strings, lists, dicts) and "
                      "builtins, which travel to the workers");
        return list_node({"const", plain(v, n.text)});
      }
      case NodeKind::list:
      case NodeKind::tuple: {
        ValueList out{Value("list")};
        for (const auto& k : n.kids) out.push_back(compile(*k));
        return Value(std::move(out));
      }
      case NodeKind::dict: {
        ValueList out{Value("dict")};
        for (const auto& k : n.kids) out.push_back(compile(*k));
        return Value(std::move(out));
      }
      case NodeKind::attribute: return list_node({"item", compile(*n.kids[0]), list_node({"const", Value(n.text)})});
      case NodeKind::index: {
        const Node& sub = *n.kids[1];
        if (sub.kind == NodeKind::slice) {
          auto part = [&](const NodePtr& p) { return p ? compile(*p) : list_node({"const", Value()}); };
          return list_node({"slice", compile(*n.kids[0]), part(sub.kids[0]), part(sub.kids[1]), part(sub.kids[2])});
        }
        if (sub.kind == NodeKind::tuple) fail(sub, "x[a, b] is not supported in a lambda");
        return list_node({"item", compile(*n.kids[0]), compile(sub)});
      }
      case NodeKind::call: {
        const Node& callee = *n.kids[0];
        for (const auto& kw : n.names)
          if (!kw.empty()) fail(n, "keyword and * arguments are not supported in a lambda");
        ValueList out;
        if (callee.kind == NodeKind::name && param(callee.text) < 0 && expr::is_builtin(callee.text) &&
            !in.globals().count(callee.text)) {
          out = {Value("call"), Value(callee.text)};
        } else if (callee.kind == NodeKind::attribute && expr::is_method(callee.text)) {
          out = {Value("method"), Value(callee.text), compile(*callee.kids[0])};
        } else {
          fail(callee, "a lambda may call builtins (len, str, int, float, bool, abs, min, max, sum, round, sorted, "
                       "range, list) and methods of strings, lists and dicts (lower, upper, strip, split, "
                       "startswith, endswith, replace, find, count, get, keys, values, items, join, index)");
        }
        for (std::size_t i = 1; i < n.kids.size(); ++i) out.push_back(compile(*n.kids[i]));
        return Value(std::move(out));
      }
      case NodeKind::unary: return list_node({"un", Value(n.text), compile(*n.kids[0])});
      case NodeKind::binary: return list_node({"bin", Value(n.text), compile(*n.kids[0]), compile(*n.kids[1])});
      case NodeKind::compare: {
        Value out;
        for (std::size_t i = 0; i < n.names.size(); ++i) {
          Value c = list_node({"bin", Value(n.names[i]), compile(*n.kids[i]), compile(*n.kids[i + 1])});
          out = i == 0 ? c : list_node({"and", out, c});
        }
        return out;
      }
      case NodeKind::and_: return list_node({"and", compile(*n.kids[0]), compile(*n.kids[1])});
      case NodeKind::or_: return list_node({"or", compile(*n.kids[0]), compile(*n.kids[1])});
      case NodeKind::if_else:
        return list_node({"if", compile(*n.kids[1]), compile(*n.kids[0]), compile(*n.kids[2])});
      case NodeKind::lambda: fail(n, "a lambda inside a lambda is not supported");
      case NodeKind::list_comp: fail(n, "a list comprehension inside a lambda is not supported");
      case NodeKind::slice:
      case NodeKind::ellipsis: fail(n, "a slice is only allowed inside [...]");
    }
    fail(n, "unsupported syntax");
  }
};

}  // namespace

Value Interpreter::compile_lambda(const LambdaObject& f) const { return LambdaCompiler{*this, f}.compile(*f.body()); }

const TypeInfo& LambdaObject::type() const {
  static const TypeInfo t{"lambda", "an expression tree that workers evaluate (runtime/expr)", {}};
  return t;
}

std::string LambdaObject::repr() const {
  std::string p;
  for (std::size_t i = 0; i < params_.size(); ++i) p += (i ? ", " : "") + params_[i];
  return "<lambda " + p + ">";
}

RValue LambdaObject::call(Interpreter& in, CallArgs args) const {
  if (!args.keywords.empty()) throw TypeError("a lambda takes no keyword arguments");
  if (args.positional.size() != params_.size())
    throw TypeError("the lambda takes " + std::to_string(params_.size()) + " argument(s), " +
                    std::to_string(args.positional.size()) + " given");
  ValueList a;
  for (const auto& x : args.positional) a.push_back(plain(x, "a lambda's argument"));
  return expr::evaluate(in.compile_lambda(*this), a);
}

const TypeInfo& RegisteredFunction::type() const {
  static const TypeInfo t{"registered_function", "a function of the registry: runs on any worker", {}};
  return t;
}

std::string RegisteredFunction::repr() const {
  auto fn = Registry::global().find(name_);
  return "<registered function " + (fn && !fn->signature.empty() ? fn->signature : name_) + ">";
}

RValue RegisteredFunction::call(Interpreter&, CallArgs args) const {
  if (!args.keywords.empty()) throw TypeError(name_ + "() takes no keyword arguments (registered functions are positional)");
  ValueList a;
  for (const auto& x : args.positional) a.push_back(plain(x, name_ + "() argument"));
  auto fn = Registry::global().get(name_);
  return invoke(*fn, a);
}

const TypeInfo& RegistryPrefix::type() const {
  static const TypeInfo t{"registered_functions", "registered functions under a dotted prefix", {}};
  return t;
}

std::optional<RValue> RegistryPrefix::attribute(const std::string& name) const {
  std::string full = prefix_ + "." + name;
  auto& r = Registry::global();
  if (r.find(full)) return RValue(std::make_shared<RegisteredFunction>(full));
  for (const auto& n : r.names())
    if (n.rfind(full + ".", 0) == 0) return RValue(std::make_shared<RegistryPrefix>(full));
  return std::nullopt;
}

std::vector<std::string> RegistryPrefix::attribute_names() const {
  std::vector<std::string> out;
  std::string p = prefix_ + ".";
  for (const auto& n : Registry::global().names())
    if (n.rfind(p, 0) == 0) out.push_back(n.substr(p.size(), n.find('.', p.size()) - p.size()));
  return out;
}

}  // namespace tessera::repl
