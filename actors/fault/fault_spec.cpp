#include "actors/fault/fault_spec.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include "runtime/util/error.hpp"

namespace tessera::actors::fault {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

const char* known_items = "seed, drop, duplicate, delay, kill-after, fail, cut, cut-after";

/// Builds errors that name the whole spec and the item at fault.
struct ItemError {
  std::string_view spec, item;
  [[noreturn]] void operator()(const std::string& what) const {
    throw ValueError("fault spec \"" + std::string(spec) + "\": item \"" + std::string(item) + "\": " + what);
  }
};

std::uint64_t parse_count(std::string_view v, const ItemError& fail, const char* what) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty())
    fail(std::string(what) + " must be a whole number, not \"" + std::string(v) + "\"");
  return n;
}

double parse_probability(std::string_view v, const ItemError& fail) {
  double p = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), p);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty())
    fail("the probability must be a number, not \"" + std::string(v) + "\"");
  if (!(p >= 0 && p <= 1)) fail("the probability must be between 0 and 1");
  return p;
}

std::string format_duration(std::chrono::microseconds d) {
  auto us = d.count();
  if (us % 1'000'000 == 0) return std::to_string(us / 1'000'000) + "s";
  if (us % 1'000 == 0) return std::to_string(us / 1'000) + "ms";
  return std::to_string(us) + "us";
}

std::string format_probability(double p) {
  std::ostringstream out;
  out.precision(17);
  out << p;
  return out.str();
}

}  // namespace

std::chrono::microseconds parse_fault_duration(std::string_view text) {
  auto t = trim(text);
  double x = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
  if (ec != std::errc() || t.empty())
    throw ValueError("\"" + std::string(text) + "\" is not a duration (write e.g. 30ms, 1.5s, 250us)");
  std::string_view unit(end, static_cast<std::size_t>(t.data() + t.size() - end));
  double scale = 0;
  if (unit == "us") scale = 1;
  else if (unit == "ms") scale = 1e3;
  else if (unit == "s") scale = 1e6;
  else if (unit.empty())
    throw ValueError("the duration \"" + std::string(text) + "\" needs a unit: us, ms or s");
  else
    throw ValueError("the duration \"" + std::string(text) + "\" has an unknown unit \"" + std::string(unit) +
                     "\" (use us, ms or s)");
  if (!(x >= 0) || x * scale > 1e12)
    throw ValueError("the duration \"" + std::string(text) + "\" must be between 0 and 1,000,000 s");
  return std::chrono::microseconds(static_cast<std::int64_t>(std::llround(x * scale)));
}

bool FaultSpec::empty() const noexcept {
  return drop == 0 && duplicate == 0 && (delay == 0 || max_delay.count() == 0) && kill_after == 0 &&
         fail.empty() && cut.count() == 0;
}

std::string FaultSpec::str() const {
  std::string s = "seed=" + std::to_string(seed);
  if (drop > 0) s += ";drop=" + format_probability(drop);
  if (duplicate > 0) s += ";duplicate=" + format_probability(duplicate);
  if (delay > 0) s += ";delay=" + format_probability(delay) + ":" + format_duration(max_delay);
  if (kill_after > 0) s += ";kill-after=" + std::to_string(kill_after);
  for (const auto& f : fail) s += ";fail=" + f;
  if (cut.count() > 0) s += ";cut=" + format_duration(cut) + ";cut-after=" + std::to_string(cut_after);
  return s;
}

FaultSpec parse_fault_spec(std::string_view text, Role role) {
  FaultSpec spec;
  std::set<std::string, std::less<>> seen;
  bool cut_after_given = false;
  std::string_view rest = text;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    auto item = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    if (item.empty()) continue;
    ItemError fail{text, item};
    auto eq = item.find('=');
    if (eq == std::string_view::npos) fail("expected name=value (known names: " + std::string(known_items) + ")");
    auto name = trim(item.substr(0, eq));
    auto value = trim(item.substr(eq + 1));
    if (value.empty()) fail("no value after '='");
    if (name != "fail" && !seen.insert(std::string(name)).second)
      fail("\"" + std::string(name) + "\" is given twice");
    bool worker_only = name != "seed" && name != "delay" && name != "duplicate";
    if (name == "seed") {
      spec.seed = parse_count(value, fail, "the seed");
    } else if (name == "drop") {
      spec.drop = parse_probability(value, fail);
    } else if (name == "duplicate") {
      spec.duplicate = parse_probability(value, fail);
    } else if (name == "delay") {
      auto colon = value.find(':');
      if (colon == std::string_view::npos)
        fail("expected delay=PROBABILITY:MAX_DELAY, e.g. delay=0.1:30ms");
      spec.delay = parse_probability(trim(value.substr(0, colon)), fail);
      try {
        spec.max_delay = parse_fault_duration(value.substr(colon + 1));
      } catch (const ValueError& e) {
        fail(e.what());
      }
    } else if (name == "kill-after") {
      spec.kill_after = parse_count(value, fail, "the number of tasks");
      if (spec.kill_after == 0) fail("the number of tasks must be at least 1");
    } else if (name == "fail") {
      spec.fail.emplace_back(value);
    } else if (name == "cut") {
      try {
        spec.cut = parse_fault_duration(value);
      } catch (const ValueError& e) {
        fail(e.what());
      }
      if (spec.cut.count() == 0) fail("the cut must last longer than 0");
    } else if (name == "cut-after") {
      spec.cut_after = parse_count(value, fail, "the number of tasks");
      if (spec.cut_after == 0) fail("the number of tasks must be at least 1");
      cut_after_given = true;
    } else {
      fail("unknown fault \"" + std::string(name) + "\" (known: " + std::string(known_items) + ")");
    }
    if (worker_only && role == Role::scheduler)
      fail("\"" + std::string(name) +
           "\" applies to workers only (a scheduler's spec may hold seed, delay and duplicate)");
  }
  if (cut_after_given && spec.cut.count() == 0)
    throw ValueError("fault spec \"" + std::string(text) + "\": cut-after needs cut=DURATION");
  return spec;
}

}  // namespace tessera::actors::fault
