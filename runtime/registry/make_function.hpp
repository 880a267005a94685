#pragma once
// make_function(name, callable): wraps a C++ callable as a Function whose
// argument and result conversions are generated at compile time. A call with
// the wrong number of arguments, or an argument of the wrong kind, throws a
// TypeError naming the function and the argument.
#include <cstddef>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "runtime/registry/convert.hpp"
#include "runtime/registry/function.hpp"

namespace tessera {
namespace detail {

template <class T>
struct callable_traits : callable_traits<decltype(&T::operator())> {};
template <class R, class... A>
struct callable_traits<R (*)(A...)> {
  using result = R;
  using args = std::tuple<A...>;
};
template <class R, class... A>
struct callable_traits<R (&)(A...)> : callable_traits<R (*)(A...)> {};
template <class R, class... A>
struct callable_traits<R(A...)> : callable_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...) const> : callable_traits<R (*)(A...)> {};
template <class C, class R, class... A>
struct callable_traits<R (C::*)(A...)> : callable_traits<R (*)(A...)> {};

[[noreturn]] void throw_arity(const std::string& fn, std::size_t want, std::size_t got);
[[noreturn]] void throw_argument(const std::string& fn, std::size_t index, const char* want,
                                 const std::string& detail);

template <class Tuple, std::size_t... I>
std::string signature_of(const std::string& name, const char* result, std::index_sequence<I...>) {
  std::string s = name + "(";
  ((s += (I ? ", " : ""), s += Convert<std::remove_cvref_t<std::tuple_element_t<I, Tuple>>>::name),
   ...);
  return s + ") -> " + result;
}

template <class T>
decltype(auto) checked_arg(const std::string& fn, std::span<const Value> args, std::size_t i) {
  try {
    return arg_cast<T>(args[i]);
  } catch (const TypeError& e) {
    throw_argument(fn, i, Convert<std::remove_cvref_t<T>>::name, e.what());
  }
}

template <class F, class Tuple, std::size_t... I>
Value call_converted(const std::string& name, F& f, std::span<const Value> args,
                     std::index_sequence<I...>) {
  using R = typename callable_traits<std::decay_t<F>>::result;
  if constexpr (std::is_void_v<R>) {
    f(checked_arg<std::tuple_element_t<I, Tuple>>(name, args, I)...);
    return Value();
  } else {
    return to_value(f(checked_arg<std::tuple_element_t<I, Tuple>>(name, args, I)...));
  }
}

template <class R>
constexpr const char* result_name() {
  if constexpr (std::is_void_v<R>) return "none";
  else return Convert<std::remove_cvref_t<R>>::name;
}

}  // namespace detail

/// Wraps `f`. A callable taking exactly `std::span<const Value>` is variadic
/// and receives the arguments as they are.
template <class F>
FunctionPtr make_function(std::string name, F f, bool registered = false, std::string doc = {}) {
  auto fn = std::make_shared<Function>();
  fn->name = name;
  fn->registered = registered;
  fn->doc = std::move(doc);
  if constexpr (std::is_invocable_r_v<Value, F&, std::span<const Value>>) {
    fn->arity = -1;
    fn->signature = name + "(*args) -> any";
    fn->call = [f = std::move(f)](std::span<const Value> args) mutable { return f(args); };
  } else {
    using traits = detail::callable_traits<std::decay_t<F>>;
    using Args = typename traits::args;
    constexpr std::size_t n = std::tuple_size_v<Args>;
    fn->arity = static_cast<int>(n);
    fn->signature = detail::signature_of<Args>(name, detail::result_name<typename traits::result>(),
                                               std::make_index_sequence<n>{});
    fn->call = [f = std::move(f), name](std::span<const Value> args) mutable {
      if (args.size() != n) detail::throw_arity(name, n, args.size());
      return detail::call_converted<F, Args>(name, f, args, std::make_index_sequence<n>{});
    };
  }
  return fn;
}

}  // namespace tessera
