#pragma once
// TaskSpec: one task of a graph, {key, function, args}. Each argument is a
// literal Value, a reference to another task's key, a list of arguments, or a
// nested call (how fusion inlines a producer into its consumer, as Dask's
// nested task tuples). A task with no function evaluates to its one argument
// (a literal, an alias of another key, or a list of keys).
#include <memory>
#include <variant>
#include <vector>

#include "runtime/graph/key.hpp"
#include "runtime/registry/function.hpp"
#include "runtime/value/value.hpp"

namespace tessera {

class Arg;
using ArgList = std::vector<Arg>;

/// A nested call inside a task's arguments. `key` is the key of the task
/// it was fused from (empty for a call written by hand): a failure inside it
/// is reported under that key.
struct Call {
  FunctionPtr fn;
  ArgList args;
  Key key;
};

class Arg {
 public:
  enum class Kind : std::uint8_t { literal, ref, list, call };

  Arg() = default;
  Arg(Value v) : v_(std::move(v)) {}
  Arg(Key k) : v_(std::move(k)) {}
  Arg(ArgList l) : v_(std::move(l)) {}
  Arg(std::shared_ptr<const Call> c) : v_(std::move(c)) {}

  Kind kind() const noexcept { return static_cast<Kind>(v_.index()); }
  const Value& literal() const { return std::get<Value>(v_); }
  const Key& ref() const { return std::get<Key>(v_); }
  const ArgList& list() const { return std::get<ArgList>(v_); }
  const Call& call() const { return *std::get<std::shared_ptr<const Call>>(v_); }

 private:
  std::variant<Value, Key, ArgList, std::shared_ptr<const Call>> v_;
};

struct TaskSpec {
  Key key;
  FunctionPtr fn;  // nullptr: the task's value is args[0]
  ArgList args;

  /// "inc", or "identity" for a function-less task.
  const std::string& function_name() const;
};

/// Calls `f(const Key&)` for every key referenced anywhere in `args`.
template <class F>
void for_each_ref(const ArgList& args, F&& f) {
  for (const auto& a : args) {
    switch (a.kind()) {
      case Arg::Kind::literal: break;
      case Arg::Kind::ref: f(a.ref()); break;
      case Arg::Kind::list: for_each_ref(a.list(), f); break;
      case Arg::Kind::call: for_each_ref(a.call().args, f); break;
    }
  }
}

/// Appends every key referenced anywhere in `args` (nested lists and calls
/// included) to `out`, in order of appearance, duplicates kept.
void collect_refs(const ArgList& args, std::vector<Key>& out);

/// The distinct keys a task depends on, in order of first appearance.
std::vector<Key> dependencies(const TaskSpec& task);

/// Resolves a key to its computed value. Must outlive the evaluation.
class ValueLookup {
 public:
  virtual ~ValueLookup() = default;
  virtual const Value& get(const Key& key) const = 0;
};

/// Evaluates one argument: literals as they are, refs through `lookup`,
/// lists element-wise, nested calls by invoking their function.
Value evaluate(const Arg& arg, const ValueLookup& lookup);

/// Runs a task: evaluates its arguments and calls its function. Failures
/// surface as FunctionFailure naming the function that threw.
Value run_task(const TaskSpec& task, const ValueLookup& lookup);

}  // namespace tessera
