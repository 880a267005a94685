#pragma once
// The REPL's evaluator: runs parsed statements against a table of names
// (globals, then builtins and namespaces, then registered functions).
// Names that are not found suggest the nearest known ones; every error is an
// exception (tessera::Error or SyntaxError) that the session prints, so
// nothing a user types ends the REPL.
//
// Collections are wrapped as Objects whose methods bind to the C++ API
// (bindings_*.cpp); operators and indexing dispatch to Object's hooks.
// Thread-safety: one thread.
#include <atomic>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tools/repl/ast.hpp"
#include "tools/repl/object.hpp"

namespace tessera {
class Client;
}

namespace tessera::repl {

/// What the REPL is connected to.
struct ClusterInfo {
  Client* client = nullptr;          // never null while a session runs
  std::string scheduler_address;     // "tcp://..." or "in-process"
  std::string dashboard;             // "" when none
};

/// One entry of a subscript x[a, b:c, ...]: a value, a slice, `...` or None (a new axis).
struct IndexItem {
  enum class Kind { value, slice, ellipsis, newaxis } kind = Kind::value;
  RValue value;
  std::optional<std::int64_t> start, stop, step;
};
struct Subscript {
  std::vector<IndexItem> items;
  bool tuple = false;  // x[a, b] rather than x[a]
};

/// Hooks for objects with operators and subscripts.
class OperandObject : public Object {
 public:
  /// `self op other` (reflected: `other op self`); nullopt when unsupported.
  virtual std::optional<RValue> binary(Interpreter&, const std::string&, const RValue&, bool) const {
    return std::nullopt;
  }
  virtual std::optional<RValue> unary(Interpreter&, const std::string&) const { return std::nullopt; }
  virtual std::optional<RValue> getitem(Interpreter&, const Subscript&) const { return std::nullopt; }
};

class Interpreter {
 public:
  explicit Interpreter(ClusterInfo cluster);
  ~Interpreter();
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  /// Runs one statement; an expression statement returns its value.
  std::optional<RValue> execute(const Statement& s);
  RValue eval(const Node& n);
  RValue call(const RValue& callee, CallArgs args);
  RValue attribute(const RValue& obj, const std::string& name);
  RValue binary(const std::string& op, const RValue& a, const RValue& b);
  bool truthy(const RValue& v);

  /// The user's names (assigned or imported).
  const std::map<std::string, RValue>& globals() const noexcept { return globals_; }
  void set_global(const std::string& name, RValue v) { globals_[name] = std::move(v); }
  /// A name: a global, a builtin/namespace, or a registered function; throws
  /// NameError-like KeyError with suggestions.
  RValue lookup(const std::string& name) const;
  /// Every name a user can type at the top level (for suggestions and %help).
  std::vector<std::string> known_names() const;
  /// The namespaces and builtins (array, da, bag, ..., len, range, ...).
  const std::map<std::string, RValue>& builtins() const noexcept { return builtins_; }
  /// Every Object type with methods (for %help).
  static std::vector<const TypeInfo*>& types();

  const ClusterInfo& cluster() const noexcept { return cluster_; }
  /// Where print() writes (the session's output; std::cout by default).
  std::ostream& output() const noexcept { return *output_; }
  void set_output(std::ostream* out) noexcept { output_ = out; }
  Client& client() const;

  /// Compiles a lambda (or a registered function's name) into the value
  /// that the expr.* functions run; see runtime/expr/lambda_expr.hpp.
  Value compile_lambda(const class LambdaObject& f) const;

 private:
  Subscript eval_subscript(const Node& n);
  RValue getitem(const RValue& x, const Subscript& s);
  RValue eval_list(const Node& n, bool tuple);
  RValue list_comprehension(const Node& n);
  std::vector<RValue> iterate(const RValue& v) const;

  ClusterInfo cluster_;
  std::ostream* output_;
  std::map<std::string, RValue> globals_;
  std::map<std::string, RValue> builtins_;
  int depth_ = 0;
};

/// `lambda params: body`, kept as syntax with the interpreter that made it.
class LambdaObject final : public Object {
 public:
  LambdaObject(std::vector<std::string> params, NodePtr body) : params_(std::move(params)), body_(std::move(body)) {}
  const TypeInfo& type() const override;
  std::string repr() const override;
  bool callable() const override { return true; }
  RValue call(Interpreter& in, CallArgs args) const override;
  const std::vector<std::string>& params() const noexcept { return params_; }
  const NodePtr& body() const noexcept { return body_; }

 private:
  std::vector<std::string> params_;
  NodePtr body_;
};

/// A function of the registry (runs on any worker).
class RegisteredFunction final : public Object {
 public:
  explicit RegisteredFunction(std::string name) : name_(std::move(name)) {}
  const TypeInfo& type() const override;
  std::string repr() const override;
  bool callable() const override { return true; }
  RValue call(Interpreter& in, CallArgs args) const override;
  const std::string& name() const noexcept { return name_; }

 private:
  std::string name_;
};

/// Registered names under a dotted prefix: `demo` gives demo.square, demo.total.
class RegistryPrefix final : public Object {
 public:
  explicit RegistryPrefix(std::string prefix) : prefix_(std::move(prefix)) {}
  const TypeInfo& type() const override;
  std::string repr() const override { return "<registered functions " + prefix_ + ".*>"; }
  std::optional<RValue> attribute(const std::string& name) const override;
  std::vector<std::string> attribute_names() const override;

 private:
  std::string prefix_;
};

/// Set by SIGINT (Ctrl-C); long waits poll it, cancel their work and throw Interrupted.
std::atomic<bool>& interrupt_requested();
/// Thrown when Ctrl-C stops a computation: the prompt prints "KeyboardInterrupt".
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A plain Value from an RValue; TypeError naming `what` for an object.
Value plain(const RValue& v, const std::string& what);
/// The scalar of a 0-d int64, float64 or bool array (what numpy calls a
/// numpy scalar: x.sum().compute()), so that builtins and operators take it;
/// any other value as it is.
Value numpy_scalar(const Value& v);

/// Adds every namespace (array, bag, dataframe, delayed, client, builtins) to `out`.
void install_namespaces(Interpreter& in, std::map<std::string, RValue>& out);

}  // namespace tessera::repl
