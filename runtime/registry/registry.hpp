#pragma once
// The function registry: every function a task may call on any process of a
// cluster, by stable name (Arrow's compute registry is the model). Duplicate
// names are refused; aliases are allowed; names() feeds help screens.
//
//   int64_t inc(int64_t x) { return x + 1; }
//   TESSERA_FUNCTION(inc);            // registered as "inc" at start-up
//   TESSERA_FUNCTION_AS(inc, "my.inc");
//
// Thread-safety: lookups and registrations may run concurrently.
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/registry/make_function.hpp"

namespace tessera {

class Registry {
 public:
  /// The process-wide registry.
  static Registry& global();

  /// Adds `fn` (fn->registered must be true). Throws ValueError if the name is taken.
  void add(FunctionPtr fn, const void* address = nullptr);
  /// Makes `alias` another name for `name`.
  void add_alias(const std::string& alias, const std::string& name);
  /// The function called `name`, or nullptr.
  FunctionPtr find(std::string_view name) const;
  /// The function called `name`; throws KeyError naming it and the nearest known names.
  FunctionPtr get(std::string_view name) const;
  /// The function called `name`, or a stand-in that carries the name (so the
  /// task can be forwarded by name) and throws get()'s KeyError when called.
  /// For processes that route tasks without running them (the scheduler), and
  /// for workers, where an unknown function must fail its task, not the worker.
  FunctionPtr get_or_deferred(std::string_view name) const;
  /// The function registered for a C++ function's address, or nullptr.
  FunctionPtr find_address(const void* address) const;
  /// Sorted names (aliases included).
  std::vector<std::string> names() const;
  /// Up to `n` known names closest to `name` (edit distance).
  std::vector<std::string> nearest(std::string_view name, std::size_t n = 3) const;

 private:
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, FunctionPtr> by_name_;
  std::unordered_map<const void*, FunctionPtr> by_address_;
};

/// Registers `f` under `name` in the global registry; returns true (for
/// static initialisers).
template <class F>
bool register_function(std::string name, F f, std::string doc = {}) {
  const void* address = nullptr;
  if constexpr (std::is_pointer_v<F> && std::is_function_v<std::remove_pointer_t<F>>)
    address = reinterpret_cast<const void*>(f);
  Registry::global().add(make_function(std::move(name), f, true, std::move(doc)), address);
  return true;
}

}  // namespace tessera

#define TESSERA_CONCAT_INNER(a, b) a##b
#define TESSERA_CONCAT(a, b) TESSERA_CONCAT_INNER(a, b)
/// Registers the C++ function `fn` under its own name.
#define TESSERA_FUNCTION(fn) TESSERA_FUNCTION_AS(fn, #fn)
/// Registers the C++ function `fn` under `name`.
#define TESSERA_FUNCTION_AS(fn, name)                                      \
  [[maybe_unused]] static const bool TESSERA_CONCAT(tessera_registered_, __COUNTER__) = \
      ::tessera::register_function(name, &fn)
