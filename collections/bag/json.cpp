#include "collections/bag/json.hpp"

#include <nlohmann/json.hpp>

#include "collections/bag/bag_functions.hpp"
#include "collections/bag/json_simd.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

Value to_value(const nlohmann::json& j) {
  using t = nlohmann::json::value_t;
  switch (j.type()) {
    case t::null: return Value();
    case t::boolean: return Value(j.get<bool>());
    case t::number_integer: return Value(j.get<std::int64_t>());
    case t::number_unsigned: {
      auto u = j.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) return Value(static_cast<std::int64_t>(u));
      return Value(static_cast<double>(u));
    }
    case t::number_float: return Value(j.get<double>());
    case t::string: return Value(j.get_ref<const std::string&>());
    case t::array: {
      ValueList l;
      l.reserve(j.size());
      for (const auto& x : j) l.push_back(to_value(x));
      return Value(std::move(l));
    }
    case t::object: {
      ValueDict d;
      for (const auto& [k, v] : j.items()) d.emplace(k, to_value(v));
      return Value(std::move(d));
    }
    default: throw ValueError("json_loads: unsupported JSON value (binary or discarded)");
  }
}

Value json_loads_kernel(const FunctionResolver&, std::span<const Value> a) {
  if (a.size() != 1) throw TypeError("json_loads: expected 1 argument, got " + std::to_string(a.size()));
  return json_loads(a[0].as_string());
}

}  // namespace

Value json_loads(std::string_view text) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse a padded copy.
  thread_local std::string padded;
  padded.assign(text);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
  return json_simd::parse(json_simd::thread_parser(), padded.data(), text.size(), padded.size());
}

Value json_loads_reference(std::string_view text) {
  try {
    return to_value(nlohmann::json::parse(text));
  } catch (const nlohmann::json::parse_error& e) {
    std::string shown(text.substr(0, 200));
    throw ValueError("json_loads: invalid JSON at byte " + std::to_string(e.byte) + " of '" + shown +
                     (text.size() > 200 ? "...'" : "'") + ": " + e.what());
  }
}

std::vector<KernelEntry> json_kernels() {
  return {{"json_loads", json_loads_kernel, "(text) -> the JSON value as a Value"}};
}

}  // namespace tessera::bag
