#include "actors/fault/fault_injector.hpp"

#include <fnmatch.h>

#include <cmath>

namespace tessera::actors::fault {
namespace {

/// splitmix64: small, fast, and the same sequence on every platform.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

std::string_view message_kind_name(MessageKind kind) noexcept {
  switch (kind) {
    case MessageKind::heartbeat: return "heartbeat";
    case MessageKind::done: return "done";
    case MessageKind::fetched: return "fetched";
    case MessageKind::steal_reply: return "steal reply";
    case MessageKind::compute: return "compute";
    case MessageKind::free: return "free";
    case MessageKind::store: return "store";
    case MessageKind::refresh: return "refresh";
    case MessageKind::steal_request: return "steal request";
    case MessageKind::acquire: return "acquire";
    case MessageKind::clear: return "clear";
    case MessageKind::close: return "close";
    case MessageKind::other: return "other";
  }
  return "?";
}

FaultInjector::FaultInjector(FaultSpec spec, Role role) : spec_(std::move(spec)), role_(role), rng_(spec_.seed) {}

double FaultInjector::uniform() {
  return static_cast<double>(splitmix64(rng_) >> 11) * 0x1.0p-53;
}

FaultInjector::Fate FaultInjector::decide(MessageKind kind) {
  Fate fate;
  std::lock_guard lock(mutex_);
  if (spec_.drop > 0 && may_drop(kind) && uniform() < spec_.drop) {
    fate.drop = true;
    ++counts_.dropped;
    return fate;
  }
  if (spec_.duplicate > 0 && may_duplicate(kind) && uniform() < spec_.duplicate) {
    fate.duplicate = true;
    ++counts_.duplicated;
  }
  if (delays_messages() && uniform() < spec_.delay) {
    auto max = static_cast<double>(spec_.max_delay.count());
    fate.delay = std::chrono::microseconds(static_cast<std::int64_t>(std::floor(uniform() * (max + 1))));
    ++counts_.delayed;
  }
  return fate;
}

const std::string* FaultInjector::failing_pattern(std::string_view key) const {
  if (spec_.fail.empty()) return nullptr;
  std::string k(key);
  for (const auto& p : spec_.fail)
    if (::fnmatch(p.c_str(), k.c_str(), 0) == 0) return &p;
  return nullptr;
}

FaultInjector::TaskEvent FaultInjector::tasks_finished(std::size_t n) {
  std::lock_guard lock(mutex_);
  TaskEvent e;
  tasks_ += n;
  e.tasks = tasks_;
  if (spec_.kill_after > 0 && !killed_ && tasks_ >= spec_.kill_after) {
    killed_ = true;
    e.kill = true;
  }
  if (spec_.cut.count() > 0 && !cut_ && tasks_ >= spec_.cut_after) {
    cut_ = true;
    e.cut = spec_.cut;
  }
  return e;
}

FaultInjector::Counts FaultInjector::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::shared_ptr<FaultInjector> make_fault_injector(std::string_view spec, Role role) {
  auto parsed = parse_fault_spec(spec, role);
  if (parsed.empty()) return nullptr;
  return std::make_shared<FaultInjector>(std::move(parsed), role);
}

}  // namespace tessera::actors::fault
