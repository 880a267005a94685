// Element-wise built-ins: each runs over one partition (a list) and returns
// the new partition. Registered through bag_functions.cpp.
#include <string>

#include "collections/bag/bag_functions.hpp"
#include "collections/bag/text_split.hpp"
#include "runtime/util/error.hpp"

namespace tessera::bag {
namespace {

using Args = std::span<const Value>;

void want_args(const char* name, Args a, std::size_t lo, std::size_t hi) {
  if (a.size() < lo || a.size() > hi)
    throw TypeError(std::string(name) + ": expected " + std::to_string(lo) +
                    (hi != lo ? ".." + std::to_string(hi) : std::string()) + " arguments, got " +
                    std::to_string(a.size()));
}

Value range_partition(const FunctionResolver&, Args a) {
  want_args("bag.range_partition", a, 2, 2);
  ValueList out;
  for (std::int64_t i = a[0].as_int(); i < a[1].as_int(); ++i) out.emplace_back(i);
  return Value(std::move(out));
}

// (fn, part, extra...): [fn(x, extra...) for x in part]
Value map_partition(const FunctionResolver& r, Args a) {
  want_args("bag.map_partition", a, 2, 64);
  const Function& fn = r.get(a[0]);
  const auto& part = a[1].as_list();
  ValueList out;
  out.reserve(part.size());
  std::vector<Value> call(a.size() - 1);
  for (std::size_t j = 2; j < a.size(); ++j) call[j - 1] = a[j];
  for (const auto& x : part) {
    call[0] = x;
    out.push_back(call_user(fn, call));
  }
  return Value(std::move(out));
}

Value filter_partition(const FunctionResolver& r, Args a) {
  want_args("bag.filter_partition", a, 2, 2);
  const Function& fn = r.get(a[0]);
  ValueList out;
  for (const auto& x : a[1].as_list())
    if (truthy(call_user(fn, std::span<const Value>(&x, 1)))) out.push_back(x);
  return Value(std::move(out));
}

Value map_partitions(const FunctionResolver& r, Args a) {
  want_args("bag.map_partitions", a, 2, 2);
  const Function& fn = r.get(a[0]);
  Value out = call_user(fn, a.subspan(1, 1));
  if (out.kind() != ValueKind::list)
    throw TypeError("map_partitions: function '" + fn.name + "' must return a list, got " +
                    std::string(kind_name(out.kind())));
  return out;
}

Value starmap_partition(const FunctionResolver& r, Args a) {
  want_args("bag.starmap_partition", a, 2, 2);
  const Function& fn = r.get(a[0]);
  ValueList out;
  for (const auto& x : a[1].as_list()) {
    if (x.kind() != ValueKind::list)
      throw TypeError("starmap: each element must be a list of arguments, got " + x.repr(200));
    out.push_back(call_user(fn, x.as_list()));
  }
  return Value(std::move(out));
}

Value flatten_partition(const FunctionResolver&, Args a) {
  want_args("bag.flatten_partition", a, 1, 1);
  ValueList out;
  for (const auto& x : a[0].as_list()) {
    if (x.kind() != ValueKind::list)
      throw TypeError("flatten: each element must be a list, got " + x.repr(200));
    for (const auto& y : x.as_list()) out.push_back(y);
  }
  return Value(std::move(out));
}

// (key, part[, default]): x[key] for each record (dict key or list index).
Value pluck_partition(const FunctionResolver&, Args a) {
  want_args("bag.pluck_partition", a, 2, 3);
  const Value* default_value = a.size() == 3 ? &a[2] : nullptr;
  ValueList out;
  out.reserve(a[1].as_list().size());
  for (const auto& x : a[1].as_list()) out.push_back(pluck_one(x, a[0], default_value));
  return Value(std::move(out));
}

Value take_partition(const FunctionResolver&, Args a) {
  want_args("bag.take_partition", a, 2, 2);
  const auto& part = a[1].as_list();
  auto k = static_cast<std::size_t>(std::max<std::int64_t>(0, a[0].as_int()));
  if (part.size() <= k) return a[1];
  return Value(ValueList(part.begin(), part.begin() + static_cast<std::ptrdiff_t>(k)));
}

// Maps the ASCII letters from..from+25 to to..to+25; other bytes stay.
Value map_ascii_letters(const char* fn, Args a, char from, char to) {
  want_args(fn, a, 1, 1);
  std::string s = a[0].as_string();
  for (auto& c : s)
    if (c >= from && c <= from + 25) c = static_cast<char>(c - from + to);
  return Value(std::move(s));
}

Value str_lower(const FunctionResolver&, Args a) { return map_ascii_letters("bag.str_lower", a, 'A', 'a'); }

Value str_upper(const FunctionResolver&, Args a) { return map_ascii_letters("bag.str_upper", a, 'a', 'A'); }

// (s[, chars]): strips whitespace (as Python's, Unicode spaces too), or the characters in `chars`.
Value str_strip(const FunctionResolver&, Args a) {
  want_args("bag.str_strip", a, 1, 2);
  return Value(python_strip(a[0].as_string(), a.size() == 2 ? std::string_view(a[1].as_string()) : std::string_view()));
}

// (s[, sep[, maxsplit]]): Python's str.split; sep "" splits on runs of whitespace.
Value str_split(const FunctionResolver&, Args a) {
  want_args("bag.str_split", a, 1, 3);
  const std::string& s = a[0].as_string();
  const std::string sep = a.size() >= 2 ? a[1].as_string() : std::string();
  std::int64_t maxsplit = a.size() == 3 ? a[2].as_int() : -1;
  ValueList out;
  if (sep.empty()) {
    for_each_word(s, maxsplit, [&](std::string_view w) { out.emplace_back(w); });
  } else {
    std::size_t i = 0;
    while (true) {
      std::size_t j = s.find(sep, i);
      if (j == std::string::npos || (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit)) {
        out.emplace_back(s.substr(i));
        break;
      }
      out.emplace_back(s.substr(i, j - i));
      i = j + sep.size();
    }
  }
  return Value(std::move(out));
}

}  // namespace

Value pluck_one(const Value& x, const Value& key, const Value* default_value) {
  if (x.kind() == ValueKind::dict && key.kind() == ValueKind::string) {
    const auto& d = x.as_dict();
    auto it = d.find(key.as_string());
    if (it != d.end()) return it->second;
    if (default_value) return *default_value;
    throw KeyError("pluck: key " + key.repr() + " not found in record " + x.repr(300) +
                   " (give a default for missing keys: pluck(" + key.repr() + ", None))");
  }
  if (x.kind() == ValueKind::list && key.kind() == ValueKind::int64) {
    const auto& l = x.as_list();
    std::int64_t i = key.as_int(), n = static_cast<std::int64_t>(l.size());
    if (i < 0) i += n;
    if (i >= 0 && i < n) return l[static_cast<std::size_t>(i)];
    if (default_value) return *default_value;
    throw KeyError("pluck: index " + key.repr() + " out of range for record " + x.repr(300));
  }
  if (default_value) return *default_value;
  throw TypeError("pluck: cannot take " + key.repr() + " from record " + x.repr(300) +
                  " (a string key needs dicts, an integer index needs lists)");
}

std::vector<KernelEntry> partition_kernels() {
  return {
      {"bag.range_partition", range_partition, "(start, stop) -> [start, ..., stop - 1]"},
      {"bag.map_partition", map_partition, "(fn, part, *extra) -> [fn(x, *extra) for x in part]"},
      {"bag.filter_partition", filter_partition, "(fn, part) -> [x for x in part if fn(x)]"},
      {"bag.map_partitions", map_partitions, "(fn, part) -> fn(part), a list"},
      {"bag.starmap_partition", starmap_partition, "(fn, part) -> [fn(*x) for x in part]"},
      {"bag.flatten_partition", flatten_partition, "(part) -> [y for x in part for y in x]"},
      {"bag.pluck_partition", pluck_partition, "(key, part[, default]) -> [x[key] for x in part]"},
      {"bag.take_partition", take_partition, "(k, part) -> part[:k]"},
      {"bag.str_lower", str_lower, "(s) -> s with ASCII letters lowered"},
      {"bag.str_upper", str_upper, "(s) -> s with ASCII letters raised"},
      {"bag.str_strip", str_strip, "(s[, chars]) -> s without leading/trailing whitespace or chars"},
      {"bag.str_split", str_split, "(s[, sep[, maxsplit]]) -> list, as Python's str.split"},
  };
}

}  // namespace tessera::bag
