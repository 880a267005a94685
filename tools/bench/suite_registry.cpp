#include "tools/bench/suite_registry.hpp"

#include <map>

#include "runtime/util/error.hpp"

namespace tessera::bench {
namespace {
std::map<std::string, SuiteFn>& suites() {
  static std::map<std::string, SuiteFn> s;
  return s;
}
}  // namespace

bool register_suite(const std::string& name, SuiteFn fn) {
  suites()[name] = fn;
  return true;
}

std::vector<std::string> suite_names() {
  std::vector<std::string> out;
  for (const auto& [name, fn] : suites()) out.push_back(name);
  return out;
}

void run_suite(const std::string& name, const BenchOptions& options) {
  auto it = suites().find(name);
  if (it == suites().end()) {
    std::string known;
    for (const auto& n : suite_names()) known += (known.empty() ? "" : ", ") + n;
    throw ValueError("unknown benchmark suite '" + name + "' (known: " + known + ")");
  }
  it->second(options);
}

}  // namespace tessera::bench
