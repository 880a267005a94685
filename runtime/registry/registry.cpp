#include "runtime/registry/registry.hpp"

#include <mutex>

#include <algorithm>

#include "runtime/util/error.hpp"

namespace tessera {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1])});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

Registry& Registry::global() {
  static Registry r;
  return r;
}

void Registry::add(FunctionPtr fn, const void* address) {
  std::unique_lock lock(mutex_);
  if (!fn->registered)
    throw ValueError("function '" + fn->name + "' is local and cannot be registered");
  if (!by_name_.emplace(fn->name, fn).second)
    throw ValueError("a function named '" + fn->name + "' is registered already");
  if (address != nullptr) by_address_.emplace(address, fn);
}

void Registry::add_alias(const std::string& alias, const std::string& name) {
  auto fn = get(name);
  std::unique_lock lock(mutex_);
  if (!by_name_.emplace(alias, fn).second)
    throw ValueError("a function named '" + alias + "' is registered already");
}

FunctionPtr Registry::find(std::string_view name) const {
  std::shared_lock lock(mutex_);
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : it->second;
}

FunctionPtr Registry::get_or_deferred(std::string_view name) const {
  if (auto fn = find(name)) return fn;
  // One stand-in per unknown name, kept for the life of the process.
  static std::mutex mutex;
  static std::unordered_map<std::string, FunctionPtr> deferred;
  std::lock_guard lock(mutex);
  auto& slot = deferred[std::string(name)];
  if (!slot) {
    auto fn = std::make_shared<Function>();
    fn->name = std::string(name);
    fn->registered = true;  // sendable by name
    fn->signature = fn->name + "(...)";
    fn->call = [this, n = fn->name](std::span<const Value>) -> Value {
      if (auto real = find(n)) throw ValueError("function '" + n + "' was registered after its task arrived");
      get(n);  // throws the KeyError naming the nearest known names
      return Value();
    };
    slot = std::move(fn);
  }
  return slot;
}

FunctionPtr Registry::get(std::string_view name) const {
  if (auto fn = find(name)) return fn;
  std::string msg = "no function named '" + std::string(name) + "' is registered";
  auto near = nearest(name);
  if (!near.empty()) {
    msg += " (did you mean ";
    for (std::size_t i = 0; i < near.size(); ++i) msg += (i ? ", '" : "'") + near[i] + "'";
    msg += "?)";
  }
  msg += "; register it with TESSERA_FUNCTION in every process of the cluster";
  throw KeyError(msg);
}

FunctionPtr Registry::find_address(const void* address) const {
  std::shared_lock lock(mutex_);
  auto it = by_address_.find(address);
  return it == by_address_.end() ? nullptr : it->second;
}

std::vector<std::string> Registry::names() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  out.reserve(by_name_.size());
  for (const auto& [n, fn] : by_name_) out.push_back(n);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Registry::nearest(std::string_view name, std::size_t n) const {
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (auto& known : names()) {
    auto d = edit_distance(name, known);
    if (d <= std::max<std::size_t>(2, name.size() / 3)) scored.emplace_back(d, std::move(known));
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < n; ++i) out.push_back(scored[i].second);
  return out;
}

}  // namespace tessera
