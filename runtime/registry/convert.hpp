#pragma once
// Compile-time conversions between C++ types and Value, used by
// TESSERA_FUNCTION and delayed(): arg_cast<T>(value) and to_value(x).
// Supported: Value, bool, integers, float/double, std::string, ValueList,
// ValueDict, std::vector<T>, std::map<std::string, T>, NDArray, Table.
#include <cstdint>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "runtime/util/error.hpp"
#include "runtime/value/value.hpp"

namespace tessera {

template <class T>
struct Convert;  // specialised below; a missing one is a compile error naming T

template <>
struct Convert<Value> {
  static const Value& from(const Value& v) { return v; }
  static Value to(Value v) { return v; }
  static constexpr const char* name = "any";
};

template <>
struct Convert<bool> {
  static bool from(const Value& v) { return v.as_bool(); }
  static Value to(bool b) { return b; }
  static constexpr const char* name = "bool";
};

template <class I>
  requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
struct Convert<I> {
  static I from(const Value& v) { return static_cast<I>(v.as_int()); }
  static Value to(I i) { return Value(i); }
  static constexpr const char* name = "int64";
};

template <class F>
  requires std::is_floating_point_v<F>
struct Convert<F> {
  static F from(const Value& v) { return static_cast<F>(v.as_float()); }
  static Value to(F f) { return Value(static_cast<double>(f)); }
  static constexpr const char* name = "float64";
};

template <>
struct Convert<std::string> {
  static const std::string& from(const Value& v) { return v.as_string(); }
  static Value to(std::string s) { return Value(std::move(s)); }
  static constexpr const char* name = "string";
};

template <>
struct Convert<ValueList> {
  static const ValueList& from(const Value& v) { return v.as_list(); }
  static Value to(ValueList l) { return Value(std::move(l)); }
  static constexpr const char* name = "list";
};

template <>
struct Convert<ValueDict> {
  static const ValueDict& from(const Value& v) { return v.as_dict(); }
  static Value to(ValueDict d) { return Value(std::move(d)); }
  static constexpr const char* name = "dict";
};

template <>
struct Convert<NDArray> {
  static const NDArray& from(const Value& v) { return v.as_ndarray(); }
  static Value to(NDArray a) { return Value(std::move(a)); }
  static constexpr const char* name = "ndarray";
};

template <>
struct Convert<Table> {
  static const Table& from(const Value& v) { return v.as_table(); }
  static Value to(Table t) { return Value(std::move(t)); }
  static constexpr const char* name = "table";
};

template <class T>
struct Convert<std::vector<T>> {
  static std::vector<T> from(const Value& v) {
    const auto& l = v.as_list();
    std::vector<T> out;
    out.reserve(l.size());
    for (const auto& x : l) out.push_back(Convert<T>::from(x));
    return out;
  }
  static Value to(const std::vector<T>& xs) {
    ValueList l;
    l.reserve(xs.size());
    for (const auto& x : xs) l.push_back(Convert<T>::to(x));
    return Value(std::move(l));
  }
  static constexpr const char* name = "list";
};

template <class T>
struct Convert<std::map<std::string, T>> {
  static std::map<std::string, T> from(const Value& v) {
    std::map<std::string, T> out;
    for (const auto& [k, x] : v.as_dict()) out.emplace(k, Convert<T>::from(x));
    return out;
  }
  static Value to(const std::map<std::string, T>& xs) {
    ValueDict d;
    for (const auto& [k, x] : xs) d.emplace(k, Convert<T>::to(x));
    return Value(std::move(d));
  }
  static constexpr const char* name = "dict";
};

/// Converts a Value to a parameter of type T (by reference where the Value
/// holds the object, by value otherwise). Throws TypeError on the wrong kind.
template <class T>
decltype(auto) arg_cast(const Value& v) {
  return Convert<std::remove_cvref_t<T>>::from(v);
}

/// Converts a C++ result to a Value.
template <class T>
Value to_value(T&& x) {
  return Convert<std::remove_cvref_t<T>>::to(std::forward<T>(x));
}

namespace detail {
template <class T>
struct is_convertible_value : std::bool_constant<requires { Convert<T>::name; }> {};
template <class T>
struct is_convertible_value<std::vector<T>> : is_convertible_value<T> {};
template <class T>
struct is_convertible_value<std::map<std::string, T>> : is_convertible_value<T> {};
}  // namespace detail

/// Whether T converts to and from Value (containers: when their elements do).
template <class T>
concept Convertible = detail::is_convertible_value<std::remove_cvref_t<T>>::value;

}  // namespace tessera
