#include "collections/dataframe/fuse_csv.hpp"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <atomic>

#include "collections/dataframe/csv_aggregate.hpp"
#include "collections/dataframe/kernels.hpp"
#include "runtime/graph/optimize.hpp"
#include "runtime/graph/tokenize.hpp"

namespace tessera::dataframe {
namespace {

std::atomic<bool> g_fusion{true};

bool all_literal(const ArgList& args, std::size_t from) {
  for (std::size_t i = from; i < args.size(); ++i)
    if (args[i].kind() != Arg::Kind::literal) return false;
  return true;
}

// A read task's source: [path, start, end] for a block, [path] for a gzip file.
bool read_source(const TaskSpec& t, Value& source, Value& spec) {
  const auto& a = t.args;
  if (t.function_name() == "dataframe.read_csv_block" && a.size() == 4 && all_literal(a, 0)) {
    source = Value(ValueList{a[0].literal(), a[1].literal(), a[2].literal()});
    spec = a[3].literal();
    return true;
  }
  if (t.function_name() == "dataframe.read_csv_gzip" && a.size() == 2 && all_literal(a, 0)) {
    source = Value(ValueList{a[0].literal()});
    spec = a[1].literal();
    return true;
  }
  return false;
}

struct Fusion {
  Key fused;
  Value source, spec;
  ValueList queries;  // [mask, keys, aggs] per consumer
};

}  // namespace

void set_csv_fusion(bool on) { g_fusion.store(on); }
bool csv_fusion() { return g_fusion.load(); }

HighLevelGraph fuse_csv_aggregations(const HighLevelGraph& graph, std::span<const Key> outputs) {
  if (!csv_fusion() || !config::optimize_options().fuse) return graph;
  bool any_read = false;
  for (const auto* l : graph.layers())
    for (const auto& t : l->tasks)
      if (t.function_name() == "dataframe.read_csv_block" || t.function_name() == "dataframe.read_csv_gzip") any_read = true;
  if (!any_read) return graph;

  TaskGraph tg = graph.materialize();
  absl::flat_hash_set<std::string> wanted;
  for (const auto& k : outputs) wanted.insert(k.str());
  absl::flat_hash_map<std::int32_t, Fusion> fused;             // read task -> its fusion
  absl::flat_hash_map<std::int32_t, std::pair<std::int32_t, std::int64_t>> picks;  // chunk -> (read, position)
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(tg.size()); ++i) {
    const TaskSpec& read = tg.task(i);
    Fusion f;
    if (wanted.contains(read.key.str()) || !read_source(read, f.source, f.spec)) continue;
    auto consumers = tg.dependents(i);
    if (consumers.empty()) continue;
    bool ok = true;
    try {
      CsvSpec spec = CsvSpec::from_value(f.spec);
      for (auto c : consumers) {
        const TaskSpec& chunk = tg.task(c);
        const auto& a = chunk.args;
        if (chunk.function_name() != "dataframe.agg_chunk" || a.size() != 4 || a[0].kind() != Arg::Kind::ref ||
            a[0].ref() != read.key || !all_literal(a, 1)) {
          ok = false;
          break;
        }
        AggQuery q{a[1].literal(), {}, aggs_from_value(a[3].literal())};
        for (const auto& k : a[2].literal().as_list()) q.keys.push_back(k.as_string());
        if (!csv_aggregate_supports(spec, q)) {
          ok = false;
          break;
        }
        f.queries.push_back(Value(ValueList{a[1].literal(), a[2].literal(), a[3].literal()}));
      }
    } catch (const std::exception&) {
      ok = false;  // a malformed task: left to fail as it would unfused
    }
    if (!ok) continue;
    Tokenizer t;
    t.add("read_csv_agg").add(read.key.str());
    for (auto c : consumers) t.add(tg.task(c).key.str());
    f.fused = Key("read_csv_agg-" + t.hex(), read.key.index());
    for (std::size_t j = 0; j < consumers.size(); ++j) picks[consumers[j]] = {i, static_cast<std::int64_t>(j)};
    fused.emplace(i, std::move(f));
  }
  if (fused.empty()) return graph;

  auto agg = df_function("dataframe.read_csv_agg");
  auto pick = df_function("dataframe.pick");
  std::vector<TaskSpec> tasks;
  tasks.reserve(tg.size());
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(tg.size()); ++i) {
    if (auto it = fused.find(i); it != fused.end()) {
      const Fusion& f = it->second;
      tasks.push_back(TaskSpec{f.fused, agg, {Arg(f.source), Arg(f.spec), Arg(Value(f.queries))}});
    } else if (auto p = picks.find(i); p != picks.end()) {
      tasks.push_back(TaskSpec{tg.task(i).key, pick, {Arg(fused.at(p->second.first).fused), Arg(Value(p->second.second))}});
    } else {
      tasks.push_back(tg.task(i));
    }
  }
  auto layer = std::make_shared<Layer>("read_csv_agg", std::move(tasks), std::vector<LayerPtr>{});
  for (const auto* l : graph.layers()) {
    layer->external.insert(layer->external.end(), l->external.begin(), l->external.end());
    layer->keep_alive.insert(layer->keep_alive.end(), l->keep_alive.begin(), l->keep_alive.end());
  }
  return HighLevelGraph({std::move(layer)});
}

}  // namespace tessera::dataframe
