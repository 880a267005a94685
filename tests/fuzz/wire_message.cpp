// libFuzzer target: decoding of every control-plane message, as a worker,
// scheduler or client receives it from CAF's middleman (actors/protocol/wire.hpp
// inspected by caf::binary_deserializer). The first byte picks the type; the
// rest are its bytes. Whatever the input, decoding must end in a value or a
// caf::error: never a crash, a sanitizer report or an exception escaping into
// CAF. A value that decodes must encode again, and that encoding must decode.
//
// With TESSERA_FUZZ_WRITE_SEEDS=DIR the target writes one well-formed input
// per type to DIR and exits (the committed corpus: tests/fuzz/corpus/wire_message).
#include <caf/all.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "actors/protocol/message_types.hpp"
#include "actors/protocol/messages.hpp"
#include "runtime/registry/registry.hpp"
#include "runtime/value/ndarray.hpp"

using namespace tessera;
using namespace tessera::actors;

namespace {

std::int64_t fuzz_inc(std::int64_t x) { return x + 1; }
TESSERA_FUNCTION_AS(fuzz_inc, "fuzz.inc");

/// One system for the whole run, never destroyed (CAF's shutdown at exit
/// would race the fuzzer's own).
caf::actor_system& system_for_fuzzing() {
  static caf::actor_system* sys = [] {
    auto* cfg = new caf::actor_system_config;
    add_message_types(*cfg);
    cfg->set("logger.console", caf::atom("none"));
    cfg->set("logger.verbosity", caf::atom("quiet"));
    cfg->set("scheduler.max-threads", 1);
    return new caf::actor_system(*cfg);
  }();
  return *sys;
}

/// Decodes a T from `bytes`; if it decodes, the round trip must hold.
template <class T>
void decode(caf::actor_system& sys, const std::vector<char>& bytes) {
  T x{};
  caf::binary_deserializer source{sys, bytes};
  if (source(x)) return;  // malformed: an error is the right answer
  // A received caf::message is delivered, never encoded again (a node routes
  // its bytes as they came). Its elements may be CAF's own types, and CAF
  // 0.17 encodes an infinite float or double in an endless loop
  // (caf::detail::pack754): the round trip is checked for our types only.
  if constexpr (std::is_same_v<T, caf::message>) return;
  std::vector<char> again;
  caf::binary_serializer sink{sys, again};
  if (sink(x)) std::abort();  // what decoded must encode
  T y{};
  caf::binary_deserializer back{sys, again};
  if (back(y)) std::abort();  // and decode again
}

using Decoder = void (*)(caf::actor_system&, const std::vector<char>&);

const std::vector<Decoder>& decoders() {
  static const std::vector<Decoder> all{
      decode<caf::message>,  // the middleman's view: type names, then each element
      decode<ComputeBatch>,   decode<OutcomeBatch>,  decode<KeyReportBatch>, decode<GraphSubmissionPtr>,
      decode<ScatterBatch>,   decode<StoreItems>,    decode<SchedulerInfo>,  decode<DataReply>,
      decode<WorkerMetrics>,  decode<std::vector<TaskId>>, decode<Key>,      decode<Value>,
      decode<std::vector<DepLocation>>, decode<ScatterPlacement>,
  };
  return all;
}

// ---- seeds

template <class T>
std::vector<char> encode(caf::actor_system& sys, const T& x) {
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  if (sink(const_cast<T&>(x))) std::abort();
  return buf;
}

void write_seed(const std::filesystem::path& dir, const std::string& name, std::uint8_t type,
                const std::vector<char>& bytes) {
  std::ofstream out(dir / name, std::ios::binary);
  out.put(static_cast<char>(type));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void write_seeds(const std::filesystem::path& dir) {
  auto& sys = system_for_fuzzing();
  std::filesystem::create_directories(dir);
  auto spec = std::make_shared<TaskSpec>();
  spec->key = Key("inc-1f2e", {0});
  spec->fn = Registry::global().get("fuzz.inc");
  spec->args.emplace_back(Value(std::int64_t{41}));
  spec->args.emplace_back(Key("x-9a"));
  ComputeTask ct;
  ct.id = 7;
  ct.spec = spec;
  ct.priority = 3;
  ct.deps.push_back(DepLocation{5, Key("x-9a"), {}});
  TaskOutcome ok;
  ok.id = 7;
  ok.nbytes = 8;
  TaskOutcome failed;
  failed.id = 8;
  failed.ok = false;
  failed.error_message = "boom";
  failed.missing_data = true;
  KeyReport report;
  report.key = Key("inc-1f2e", {0});
  report.status = KeyReport::Status::error;
  report.error_message = "ValueError: boom";
  auto submission = std::make_shared<GraphSubmission>();
  Value array(NDArray::from_vector(std::vector<double>{1.5, 2.5, 3.5}));
  DataReply reply;
  reply.values = {array, Value()};
  reply.found = {1, 1};
  reply.on_data_plane = {0, 1};
  reply.data_address = "tcp://127.0.0.1:4000";
  SchedulerInfo info;
  info.workers.push_back(WorkerInfo{});
  info.workers.back().name = "w0";
  info.workers.back().keys = {"inc-1f2e"};
  WorkerMetrics metrics;
  metrics.cpu = 50;
  metrics.memory_rss = 1 << 20;

  write_seed(dir, "message_compute", 0, encode(sys, caf::make_message(compute_atom_v, ComputeBatch{ct})));
  write_seed(dir, "message_done", 0, encode(sys, caf::make_message(done_atom_v, WorkerId{1}, OutcomeBatch{ok, failed})));
  write_seed(dir, "message_heartbeat", 0, encode(sys, caf::make_message(heartbeat_atom_v, WorkerId{0}, metrics)));
  write_seed(dir, "compute_batch", 1, encode(sys, ComputeBatch{ct}));
  write_seed(dir, "outcome_batch", 2, encode(sys, OutcomeBatch{ok, failed}));
  write_seed(dir, "key_reports", 3, encode(sys, KeyReportBatch{report}));
  write_seed(dir, "submission", 4, encode(sys, GraphSubmissionPtr(submission)));
  write_seed(dir, "scatter", 5, encode(sys, ScatterBatch{{Key("s-1"), array}}));
  write_seed(dir, "store", 6, encode(sys, StoreItems{{3, Value("text")}}));
  write_seed(dir, "scheduler_info", 7, encode(sys, info));
  write_seed(dir, "data_reply", 8, encode(sys, reply));
  write_seed(dir, "metrics", 9, encode(sys, metrics));
  write_seed(dir, "task_ids", 10, encode(sys, std::vector<TaskId>{1, 2, 3}));
  write_seed(dir, "key", 11, encode(sys, Key("x", {1, 2})));
  write_seed(dir, "value", 12, encode(sys, Value(ValueList{Value(1), Value("a"), array})));
  write_seed(dir, "dep_locations", 13, encode(sys, std::vector<DepLocation>{{5, Key("x-9a"), {}}}));
  write_seed(dir, "scatter_placement", 14, encode(sys, ScatterPlacement{{Key("s-2"), 1 << 20, {}}}));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("TESSERA_FUZZ_WRITE_SEEDS")) {
    write_seeds(dir);
    std::exit(0);
  }
  system_for_fuzzing();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto& all = decoders();
  std::vector<char> bytes(reinterpret_cast<const char*>(data) + 1, reinterpret_cast<const char*>(data) + size);
  all[data[0] % all.size()](system_for_fuzzing(), bytes);
  return 0;
}
