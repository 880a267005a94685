#pragma once
// The bag's built-in task functions, registered in the global Registry under
// stable names ("bag.map_partition", "bag.count_chunk", ...) so that remote
// workers can run them. A built-in that calls a user function receives that
// function's SPEC as an argument and resolves it when it runs:
//   - registered user functions (a name) resolve through Registry::global() (any process);
//   - an expression tree ({"expr": tree}, a REPL lambda) is evaluated by
//     runtime/expr in whatever process runs the task;
//   - local callables (lambdas) are bound into an unregistered copy of the
//     built-in (bind_functions), which runs on in-process executors only.
//
// tessera_collections is a static library, so nothing here relies on static
// initialisers: register_bag_functions() registers everything on first call
// (thread-safe, idempotent); bag_function(name) calls it. A worker process
// that runs bag graphs calls register_bag_functions() once at start-up.
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/registry/function.hpp"
#include "runtime/value/value.hpp"

namespace tessera::bag {

/// Finds the user functions named in a task's arguments: an expression
/// ({"expr": tree}), else by name among the local functions bound to the
/// task, then in the global registry. One per task run; not thread-safe.
class FunctionResolver {
 public:
  explicit FunctionResolver(std::span<const FunctionPtr> local = {}) : local_(local) {}
  /// The function `spec` names (a string, or {"expr": tree}). Throws
  /// KeyError naming an unknown name, TypeError for another spec. The
  /// reference lives as long as the resolver.
  const Function& get(const Value& spec) const;

 private:
  std::span<const FunctionPtr> local_;
  // The expressions made so far (a foldby key is resolved once per element).
  mutable std::vector<std::pair<Value, FunctionPtr>> expressions_;
};

/// True for {"expr": tree}: a function spec that is an expression tree.
bool is_expression_spec(const Value& spec);

/// A built-in's body: the resolver for user functions, then the task's arguments.
using Kernel = Value (*)(const FunctionResolver&, std::span<const Value>);

/// One built-in: its registered name, body and help text.
struct KernelEntry {
  const char* name;
  Kernel kernel;
  const char* doc;
};
// The built-ins of each file (partition_ops.cpp, reduction_ops.cpp, read_text.cpp, json.cpp).
std::vector<KernelEntry> partition_kernels();
std::vector<KernelEntry> reduction_kernels();
std::vector<KernelEntry> read_text_kernels();
std::vector<KernelEntry> json_kernels();
std::vector<KernelEntry> text_pipeline_kernels();
std::vector<KernelEntry> grouping_kernels();
std::vector<KernelEntry> text_io_kernels();
std::vector<KernelEntry> table_kernels();

/// Registers every bag built-in (and "json_loads") in the global registry,
/// once per process. Safe to call from many threads.
void register_bag_functions();

/// The registered built-in called `name` ("bag.count_chunk"); registers the
/// built-ins first if needed. Throws KeyError for an unknown name.
FunctionPtr bag_function(std::string_view name);

/// The function a task should call to run built-in `builtin` with the user
/// functions `user` (nullptr entries are ignored): `builtin` itself when all
/// of them are registered, else an unregistered copy with them bound in.
FunctionPtr bind_functions(const FunctionPtr& builtin, const std::vector<FunctionPtr>& user);

/// x[key] for one record: a dict's key or a list's index (negative from the
/// end); `default_value` (if not null) when missing, else KeyError naming
/// the key and the record.
Value pluck_one(const Value& x, const Value& key, const Value* default_value);

/// key(x) for a key spec: a function's spec (a name or {"expr": tree}), or [k] for x[k].
Value apply_key(const FunctionResolver& r, const Value& spec, const Value& x);

/// Python's truthiness: none, false, 0, 0.0, "" and empty containers are false.
bool truthy(const Value& v);

/// Calls user function `fn` on `args` (errors name the function).
inline Value call_user(const Function& fn, std::span<const Value> args) { return invoke(fn, args); }

}  // namespace tessera::bag
