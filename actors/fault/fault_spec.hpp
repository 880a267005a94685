#pragma once
// FaultSpec: what the fault injector does to one process, parsed from the
// `--fault` option of `tessera scheduler` and `tessera worker`. Off unless
// given: a process without a spec has no injector at all.
//
//   tessera worker tcp://127.0.0.1:8786 --fault "seed=7; drop=0.01; delay=0.2:30ms; kill-after=40"
//   tessera scheduler --fault "seed=3; delay=0.1:20ms; duplicate=0.05"
//
// Items are `name=value`, separated by ';' (spaces around them are ignored):
//   seed=N          seeds the injector's random generator (default 1): the same
//                   seed and the same sequence of messages give the same faults
//   drop=P          drops each message to the scheduler with probability P
//                   (worker only; the scheduler detects the loss and resets the
//                   worker's link, see fault_channel.hpp)
//   duplicate=P     sends each idempotent message twice with probability P
//   delay=P:T       delays each message with probability P by a uniform random
//                   time up to T ("30ms", "1.5s"); order per destination is kept
//   kill-after=N    the worker process exits at once (_exit(86), as kill -9) when
//                   its N-th task finishes, before reporting it (worker only)
//   fail=GLOB       tasks whose key matches the glob (fnmatch: * ? [..]) err with
//                   "injected fault"; repeatable (worker only)
//   cut=T           the worker stops processing messages for T (no heartbeats:
//                   the scheduler declares it lost, then it re-registers) ...
//   cut-after=N     ... when its N-th task finishes (default 1) (worker only)
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::actors::fault {

enum class Role : std::uint8_t { scheduler, worker };

/// The exit code of a worker process killed by `kill-after`.
inline constexpr int killed_exit_code = 86;

struct FaultSpec {
  std::uint64_t seed = 1;
  double drop = 0;       // probability
  double duplicate = 0;  // probability
  double delay = 0;      // probability
  std::chrono::microseconds max_delay{0};
  std::uint64_t kill_after = 0;  // tasks; 0: never
  std::vector<std::string> fail;  // glob patterns on task keys
  std::chrono::microseconds cut{0};  // 0: never
  std::uint64_t cut_after = 1;       // tasks

  /// True when the spec injects nothing.
  bool empty() const noexcept;
  /// The canonical text ("seed=7;drop=0.01;..."); parse_fault_spec(str()) == *this.
  std::string str() const;
  friend bool operator==(const FaultSpec&, const FaultSpec&) = default;
};

/// Parses a spec for a process of `role`. Throws ValueError naming the spec,
/// the item and what is wrong with it (unknown name, bad number, probability
/// outside [0, 1], duration without a unit, an item given twice, or an item
/// that does not apply to the role).
FaultSpec parse_fault_spec(std::string_view text, Role role);

/// Parses a duration with a unit: "250us", "30ms", "1.5s". Throws ValueError.
std::chrono::microseconds parse_fault_duration(std::string_view text);

}  // namespace tessera::actors::fault
