#include "tools/bench/bag_suite.hpp"

#include <absl/container/flat_hash_map.h>
#include <absl/strings/string_view.h>
#include <glob.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "actors/tessera.hpp"
#include "collections/bag/read_text.hpp"
#include "tools/bench/suite_registry.hpp"

namespace tessera::bench {
namespace {

using Pairs = std::vector<std::pair<std::string, std::int64_t>>;

struct Workload {
  std::string name;
  bool city;  // else word count
  std::size_t k;
};

std::string data_dir(const BenchOptions& o) {
  if (!o.data_dir.empty()) return o.data_dir;
  const char* env = std::getenv("TESSERA_DATA");
  return env ? env : "/tmp/tessera-data";
}

std::string pattern_of(const BenchOptions& o) {
  return data_dir(o) + (o.size == "small" ? "/records-small" : "/records") + "/rec-*.jsonl";
}

std::vector<std::string> files_of(const std::string& pattern) {
  glob_t g{};
  std::vector<std::string> out;
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  globfree(&g);
  if (out.empty()) throw ValueError("bag suite: no files match '" + pattern + "' (run gen_data.py, or pass --data)");
  return out;
}

// The digest of shared/bench: the top k as [key, count], by count desc, key asc.
nlohmann::json digest(Pairs pairs, std::size_t k) {
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  nlohmann::json top = nlohmann::json::array();
  for (std::size_t i = 0; i < std::min(k, pairs.size()); ++i) top.push_back({pairs[i].first, pairs[i].second});
  return {{"topk", top}, {"order", "count desc, key asc"}, {"match", "exact"}};
}

// ---- tessera: the dask.bag expression, as written in README's W5 ----
Pairs run_bag(const std::string& pattern, const Workload& w, const std::string& scheduler) {
  namespace db = tessera::bag;
  auto lines = db::read_text(pattern);
  db::Bag words = w.city ? lines.map("json_loads").pluck("city") : lines.str_split().flatten();
  auto top = words.frequencies().topk(static_cast<std::int64_t>(w.k), Value(1)).compute({.scheduler = scheduler});
  Pairs out;
  for (const auto& p : top) out.emplace_back(p.as_list()[0].as_string(), p.as_list()[1].as_int());
  return out;
}

// ---- cpp-loop: one thread, no framework ----
std::string read_padded(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw ValueError("bag suite: cannot open '" + path + "'");
  std::fseek(f, 0, SEEK_END);
  std::string text(static_cast<std::size_t>(std::ftell(f)), '\0');
  std::fseek(f, 0, SEEK_SET);
  std::size_t got = std::fread(text.data(), 1, text.size(), f);
  std::fclose(f);
  if (got != text.size()) throw ValueError("bag suite: short read from '" + path + "'");
  text.append(simdjson::SIMDJSON_PADDING, '\0');
  return text;
}

Pairs run_loop(const std::vector<std::string>& files, const Workload& w) {
  absl::flat_hash_map<std::string, std::int64_t> counts;
  simdjson::dom::parser parser;
  for (const auto& path : files) {
    std::string text = read_padded(path);
    const std::size_t size = text.size() - simdjson::SIMDJSON_PADDING;
    if (w.city) {
      for (std::size_t i = 0; i < size;) {
        std::size_t j = text.find('\n', i);
        if (j == std::string::npos || j > size) j = size;
        if (j > i) {
          std::string_view city = parser.parse(text.data() + i, j - i, false)["city"].get_string();
          ++counts[absl::string_view(city.data(), city.size())];
        }
        i = j + 1;
      }
    } else {
      auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
      for (std::size_t i = 0; i < size;) {
        while (i < size && space(text[i])) ++i;
        std::size_t j = i;
        while (j < size && !space(text[j])) ++j;
        if (j > i) ++counts[absl::string_view(text.data() + i, j - i)];
        i = j;
      }
    }
  }
  return Pairs(counts.begin(), counts.end());
}

void run_one(const BenchOptions& o, const Workload& w, const std::string& engine) {
  const std::string pattern = pattern_of(o);
  const auto files = files_of(pattern);
  Pairs result;
  std::function<void()> fn;
  if (engine == "cpp-loop") {
    fn = [&] { result = run_loop(files, w); };
  } else if (engine == "tessera-threads" || engine == "tessera-sync") {
    std::string scheduler = engine == "tessera-threads" ? "threads" : "sync";
    get_executor(scheduler);  // start the cluster outside the timed region
    fn = [&, scheduler] { result = run_bag(pattern, w, scheduler); };
  } else {
    throw ValueError("engine '" + engine + "' is not available for the bag suite (known: tessera-threads, "
                     "tessera-sync, cpp-loop)");
  }
  auto runs = time_runs(o.repeat, fn);
  emit({{"workload", w.name}, {"engine", engine}, {"size", o.size}, {"seconds", median(runs)}, {"runs", runs},
        {"result_digest", digest(result, w.k)}, {"files", files.size()}, {"repeat", o.repeat},
        {"peak_rss_mb", peak_rss_mb()}});
}

}  // namespace

void run_bag_suite(const BenchOptions& o) {
  std::regex only(o.only.empty() ? ".*" : o.only);
  auto engines = o.engines.empty() ? std::vector<std::string>{"tessera-threads", "cpp-loop"} : o.engines;
  const Workload workloads[] = {{"w5_bag_city_top10", true, 10}, {"w5_bag_wordcount_top20", false, 20}};
  for (const auto& w : workloads)
    if (std::regex_search(w.name, only))
      for (const auto& engine : engines) run_one(o, w, engine);
}

}  // namespace tessera::bench

TESSERA_BENCH_SUITE("bag", tessera::bench::run_bag_suite);
