#pragma once
// The REPL's values: a plain tessera::Value (numbers, strings, lists,
// dicts, arrays, tables) or an Object (a collection, a future, a function,
// a namespace, a lambda). Every Object type has a TypeInfo: its methods by
// name, each with a Python-like signature that binds the call's arguments
// and that %help prints.
//
//   Method{"sum", "sum(axis=None, keepdims=False, split_every=8)", "...",
//          [](Interpreter& in, const RValue& self, Bound& a) { ... a.opt_int("axis") ... }}
//
// Thread-safety: used by the REPL's one thread only.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/value/value.hpp"

namespace tessera::repl {

class Object;
class Interpreter;
using ObjPtr = std::shared_ptr<Object>;

/// A REPL value: an Object when `obj` is set, else `value`.
struct RValue {
  Value value;
  ObjPtr obj;
  RValue() = default;
  RValue(Value v) : value(std::move(v)) {}  // NOLINT: implicit, values are the common case
  RValue(ObjPtr o) : obj(std::move(o)) {}   // NOLINT
  template <class T>
    requires std::is_base_of_v<Object, T>
  RValue(std::shared_ptr<T> o) : obj(std::move(o)) {}  // NOLINT
  bool is_object() const noexcept { return obj != nullptr; }
  bool is_none() const noexcept { return !obj && value.is_none(); }
  template <class T>
  T* as() const noexcept {
    return dynamic_cast<T*>(obj.get());
  }
};

/// Python's name of the value's type ("int", "str", "dask.array", ...).
std::string type_name(const RValue& v);

struct CallArgs {
  std::vector<RValue> positional;
  std::vector<std::pair<std::string, RValue>> keywords;
};

/// One parameter of a signature.
struct Param {
  std::string name;
  bool has_default = false;
  RValue default_value;
};

/// A parsed signature: "name(a, b=2, *args, **kwargs)".
struct Signature {
  std::string text;
  std::string name;
  std::vector<Param> params;
  std::string varargs;  // "" when none
  /// Parameters that positional arguments fill: those before *varargs
  /// (the ones after it are keyword-only, as Python's).
  std::size_t positional = 0;
  bool kwargs = false;
  /// Parses `text` (defaults are literals: numbers, strings, None, True,
  /// False, tuples and lists of them; or no_default, Dask's marker of an
  /// optional argument that has no value: it reads as None, and
  /// Bound::passed tells whether one was given). Throws std::logic_error on a bad one.
  static Signature parse(const std::string& text);
};

/// The arguments of one call bound to a signature's parameters.
class Bound {
 public:
  Bound(const Signature& sig, CallArgs args);

  /// The argument (or default) of parameter `name` (logic_error if the signature has none such).
  const RValue& operator[](const std::string& name) const;
  /// Given and not None.
  bool given(const std::string& name) const;
  /// Given by the caller, even as None (for `default=no_default` parameters,
  /// as Dask's pluck(key, default=no_default)).
  bool passed(const std::string& name) const { return passed_[slot(name)]; }
  /// Conversions that throw TypeError naming the function and the parameter.
  const Value& value(const std::string& name) const;
  std::int64_t integer(const std::string& name) const;
  double number(const std::string& name) const;
  bool boolean(const std::string& name) const;
  std::string string(const std::string& name) const;
  std::optional<std::int64_t> opt_integer(const std::string& name) const;
  std::optional<std::string> opt_string(const std::string& name) const;
  /// A list of integers: an int gives a list of one.
  std::vector<std::int64_t> integers(const std::string& name) const;
  std::vector<std::string> strings(const std::string& name) const;
  /// The *args and **kwargs beyond the named parameters.
  const std::vector<RValue>& rest() const noexcept { return rest_; }
  const std::vector<std::pair<std::string, RValue>>& extra_keywords() const noexcept { return extra_kw_; }
  const std::string& function() const noexcept { return sig_->name; }
  [[noreturn]] void type_error(const std::string& name, const std::string& wanted) const;

 private:
  std::size_t slot(const std::string& name) const;
  const Signature* sig_;
  std::vector<RValue> values_;
  std::vector<bool> passed_;
  std::vector<RValue> rest_;
  std::vector<std::pair<std::string, RValue>> extra_kw_;
};

using MethodFn = std::function<RValue(Interpreter&, const RValue& self, Bound& args)>;

/// A method of a type, or a function of a namespace (self is none).
struct Method {
  Method(std::string signature_text, std::string doc, MethodFn fn, bool property = false);
  Signature signature;
  std::string doc;
  MethodFn fn;
  /// Read as an attribute (x.shape), not called.
  bool property = false;
  const std::string& name() const noexcept { return signature.name; }
};

struct TypeInfo {
  std::string name;  // as %help and errors show it: "dask.array.Array"
  std::string doc;
  std::map<std::string, Method> methods;
  void add(Method m) {
    auto name = m.name();
    methods.emplace(std::move(name), std::move(m));
  }
};

class Object {
 public:
  virtual ~Object() = default;
  virtual const TypeInfo& type() const = 0;
  /// How the prompt shows the object.
  virtual std::string repr() const = 0;
  /// Attributes beyond the type's methods (a dataframe's columns, a
  /// namespace's members); nullopt when there is none called `name`.
  virtual std::optional<RValue> attribute(const std::string&) const { return std::nullopt; }
  /// Names for "did you mean" and %who.
  virtual std::vector<std::string> attribute_names() const { return {}; }
  virtual bool callable() const { return false; }
  virtual RValue call(Interpreter& in, CallArgs args) const;
};

/// A function: a namespace's verb, a builtin, or a method bound to its object.
class FunctionObject final : public Object {
 public:
  /// `method` may be a non-owning pointer (aliasing an empty shared_ptr) for
  /// the methods of static TypeInfos.
  FunctionObject(std::shared_ptr<const Method> method, RValue self, std::string qualified)
      : method_(std::move(method)), self_(std::move(self)), qualified_(std::move(qualified)) {}
  const TypeInfo& type() const override;
  std::string repr() const override;
  bool callable() const override { return true; }
  RValue call(Interpreter& in, CallArgs args) const override;
  const Method& method() const noexcept { return *method_; }
  const std::string& qualified() const noexcept { return qualified_; }
  const RValue& self() const noexcept { return self_; }

 private:
  std::shared_ptr<const Method> method_;
  RValue self_;
  std::string qualified_;
};

/// A namespace (array, bag, dataframe, delayed, client, ...): members by name.
class Namespace final : public Object {
 public:
  Namespace(std::string name, std::string doc) : name_(std::move(name)), doc_(std::move(doc)) {}
  const TypeInfo& type() const override;
  std::string repr() const override { return "<namespace " + name_ + ">"; }
  std::optional<RValue> attribute(const std::string& name) const override;
  std::vector<std::string> attribute_names() const override;
  /// Adds a function.
  void def(std::string signature, std::string doc, MethodFn fn);
  void set(const std::string& name, RValue v) { members_[name] = std::move(v); }
  const std::string& name() const noexcept { return name_; }
  const std::string& doc() const noexcept { return doc_; }
  const std::map<std::string, RValue>& members() const noexcept { return members_; }

 private:
  std::string name_, doc_;
  std::map<std::string, RValue> members_;

};

/// A list or tuple holding objects (a list of plain values stays a Value).
class ListObject final : public Object {
 public:
  ListObject(std::vector<RValue> items, bool tuple) : items(std::move(items)), tuple(tuple) {}
  const TypeInfo& type() const override;
  std::string repr() const override;
  std::vector<RValue> items;
  bool tuple;
};

/// Up to `n` of `candidates` nearest to `name` by edit distance (close ones only).
std::vector<std::string> nearest_names(const std::string& name, const std::vector<std::string>& candidates,
                                       std::size_t n = 3);
/// " Did you mean 'a' or 'b'?" (empty when there are none).
std::string did_you_mean(const std::vector<std::string>& names);

}  // namespace tessera::repl
