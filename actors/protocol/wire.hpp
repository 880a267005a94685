#pragma once
// How the protocol's messages cross a process boundary: CAF 0.17 `inspect`
// overloads for every message type of messages.hpp. Values and task specs
// travel as the bytes of Tessera's one serialisation (runtime/serial, cereal
// layout, buffers in one block); everything else field by field.
//
// Nothing here may throw into CAF: a message that fails to encode or decode
// is reported as a caf::error (CAF drops it) with one log line naming it.
// Inside one process none of this runs: CAF passes messages by reference.
#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "actors/protocol/messages.hpp"

namespace tessera::actors::wire {

/// Never throws: a value that cannot be encoded becomes an error string value.
std::string encode_value(const Value& v);
caf::error decode_value(std::string_view bytes, Value& out);
/// A task whose function cannot travel (a local lambda) is encoded as a task
/// that fails on the worker with that explanation: never an exception here.
std::string encode_task(const TaskSpec& spec);
/// Functions unknown in this process become stand-ins (they fail when run).
caf::error decode_task(std::string_view bytes, std::shared_ptr<const TaskSpec>& out);

/// A graph submission as it crosses the wire: tasks as bytes (the client may
/// have encoded them already, to report unsendable functions at submit time).
struct SubmissionWire {
  std::vector<std::string> tasks;
  std::vector<std::int32_t> priority;
  std::vector<Key> external;
  std::vector<Key> wanted;
};
SubmissionWire to_wire(const GraphSubmission& s);
caf::error from_wire(SubmissionWire&& w, GraphSubmissionPtr& out);
caf::error decode_key(std::string&& repr, Key& out);

/// A double as its IEEE-754 bits. CAF 0.17 packs doubles with pack754, which
/// never returns for an infinity or a NaN (found by fuzz.wire_message): a NaN
/// metric would hang the sender. Every double of the protocol goes this way.
struct F64 {
  double& x;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, F64& v) {
  if constexpr (std::is_void_v<typename Inspector::result_type>) {
    f(v.x);
  } else if constexpr (Inspector::reads_state) {
    auto bits = std::bit_cast<std::uint64_t>(v.x);
    return f(bits);
  } else {
    std::uint64_t bits = 0;
    if (auto err = f(bits)) return err;
    v.x = std::bit_cast<double>(bits);
    return caf::none;
  }
}

/// Flags (one byte each) as a string. CAF 0.17 sizes a byte vector from the
/// length the input claims before reading it: 4 bytes of input could make a
/// node allocate 4 GiB (found by fuzz.wire_message). A string is checked
/// against the bytes actually there.
struct ByteFlags {
  std::vector<char>& v;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ByteFlags& b) {
  if constexpr (std::is_void_v<typename Inspector::result_type>) {
    f(b.v);
  } else if constexpr (Inspector::reads_state) {
    std::string s(b.v.begin(), b.v.end());
    return f(s);
  } else {
    std::string s;
    if (auto err = f(s)) return err;
    b.v.assign(s.begin(), s.end());
    return caf::none;
  }
}

/// Inspects `x` as an opaque byte string made by `encode`/`decode`; a
/// printing inspector (CAF's to_string) gets `describe(x)` instead.
template <class Inspector, class T, class Encode, class Decode, class Describe>
typename Inspector::result_type inspect_as_bytes(Inspector& f, T& x, Encode encode, Decode decode,
                                                 Describe describe) {
  if constexpr (std::is_void_v<typename Inspector::result_type>) {
    std::string text = describe(x);
    f(text);
  } else if constexpr (Inspector::reads_state) {
    std::string bytes = encode(x);
    return f(bytes);
  } else {
    std::string bytes;
    if (auto err = f(bytes)) return err;
    return decode(std::string_view(bytes), x);
  }
}

}  // namespace tessera::actors::wire

namespace tessera {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Key& x) {
  if constexpr (std::is_void_v<typename Inspector::result_type>) {
    std::string text = x.str();
    f(text);
  } else if constexpr (Inspector::reads_state) {
    std::string repr = x.str();
    return f(repr);
  } else {
    std::string repr;
    if (auto err = f(repr)) return err;
    return actors::wire::decode_key(std::move(repr), x);
  }
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Value& x) {
  return actors::wire::inspect_as_bytes(
      f, x, [](const Value& v) { return actors::wire::encode_value(v); },
      [](std::string_view b, Value& v) { return actors::wire::decode_value(b, v); },
      [](const Value& v) { return v.repr(200); });
}

}  // namespace tessera

namespace tessera::actors {

// shared_ptr<const TaskSpec> and GraphSubmissionPtr are found by ADL through
// their pointee's namespace (tessera / tessera::actors).
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, std::shared_ptr<const GraphSubmission>& x) {
  if constexpr (std::is_void_v<typename Inspector::result_type>) {
    std::string text = "GraphSubmission(" + std::to_string(x ? x->graph.graph.size() : 0) + " tasks)";
    f(text);
  } else if constexpr (Inspector::reads_state) {
    auto w = x ? wire::to_wire(*x) : wire::SubmissionWire{};
    return f(caf::meta::type_name("GraphSubmission"), w.tasks, w.priority, w.external, w.wanted);
  } else {
    wire::SubmissionWire w;
    if (auto err = f(caf::meta::type_name("GraphSubmission"), w.tasks, w.priority, w.external, w.wanted))
      return err;
    return wire::from_wire(std::move(w), x);
  }
}

struct SpecField {
  std::shared_ptr<const TaskSpec>& spec;
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, SpecField& x) {
  return wire::inspect_as_bytes(
      f, x.spec, [](const std::shared_ptr<const TaskSpec>& s) { return s ? wire::encode_task(*s) : std::string(); },
      [](std::string_view b, std::shared_ptr<const TaskSpec>& s) { return wire::decode_task(b, s); },
      [](const std::shared_ptr<const TaskSpec>& s) { return s ? s->key.str() : std::string("null"); });
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, DepLocation& x) {
  return f(caf::meta::type_name("DepLocation"), x.id, x.key, x.holders);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, PlacedValue& x) {
  return f(caf::meta::type_name("PlacedValue"), x.key, x.nbytes, x.holders);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ComputeTask& x) {
  SpecField spec{x.spec};
  return f(caf::meta::type_name("ComputeTask"), x.id, spec, x.priority, x.deps);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, TaskOutcome& x) {
  // x.value stays in the worker (task actor → worker only): never on the wire.
  return f(caf::meta::type_name("TaskOutcome"), x.id, x.ok, x.nbytes, x.error_key,
           x.error_function, x.error_message, wire::F64{x.start}, wire::F64{x.stop}, x.missing_data, x.missing_dep,
           x.missing_from);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, KeyReport& x) {
  return f(caf::meta::type_name("KeyReport"), x.key, x.status, x.id, x.holders, x.nbytes, x.error_key,
           x.error_function, x.error_message, x.error_type);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ScatterItem& x) {
  return f(caf::meta::type_name("ScatterItem"), x.key, x.value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WorkerActivity& x) {
  return f(caf::meta::type_name("WorkerActivity"), x.kind, wire::F64{x.start}, wire::F64{x.stop}, x.bytes, x.count,
           x.key);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WorkerMetrics& x) {
  return f(caf::meta::type_name("WorkerMetrics"), wire::F64{x.cpu}, x.memory_rss, x.memory_limit, x.executing,
           x.ready, x.in_flight, x.bytes_in_memory, x.bytes_spilled, x.spilled_total, x.unspilled_total,
           wire::F64{x.spill_seconds}, wire::F64{x.unspill_seconds}, x.paused, wire::F64{x.time}, x.sent,
           x.activity);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, WorkerInfo& x) {
  return f(caf::meta::type_name("WorkerInfo"), x.id, x.name, x.nthreads, x.processing, x.keys_in_memory,
           x.bytes_in_memory, x.keys, x.metrics, wire::F64{x.last_seen}, wire::F64{x.occupancy}, x.retiring);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, SchedulerInfo& x) {
  return f(caf::meta::type_name("SchedulerInfo"), x.workers, x.tasks_total, x.tasks_waiting, x.tasks_queued,
           x.tasks_processing, x.tasks_memory, x.tasks_erred, x.tasks_released, x.clients);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, DataReply& x) {
  return f(caf::meta::type_name("DataReply"), x.values, wire::ByteFlags{x.found}, wire::ByteFlags{x.on_data_plane},
           x.data_address);
}

}  // namespace tessera::actors
