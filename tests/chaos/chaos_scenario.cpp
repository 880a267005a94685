#include "tests/chaos/chaos_scenario.hpp"

#include <gtest/gtest.h>

#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "actors/fault/fault_spec.hpp"
#include "actors/tessera.hpp"
#include "runtime/exec/sync_executor.hpp"
#include "tests/plugins/dist_functions.hpp"
#include "tests/support/nothing_left.hpp"
#include "tests/support/process_cluster.hpp"

namespace tessera::chaos {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace dist = tessera::testing;

constexpr int n_workers = 3;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string pick_duration_ms(std::mt19937_64& rng, int lo, int hi) {
  return std::to_string(lo + static_cast<int>(rng() % static_cast<std::uint64_t>(hi - lo + 1))) + "ms";
}

double pick(std::mt19937_64& rng, double lo, double hi) {
  return lo + (hi - lo) * std::uniform_real_distribution<double>(0, 1)(rng);
}

std::string probability(double p) {
  std::ostringstream out;
  out.precision(3);
  out << p;
  return out.str();
}

/// For each output, the keys of the tasks it depends on (itself included)
/// that match a fail pattern: a non-empty set means the output must err.
std::vector<std::set<std::string>> expected_failures(const HighLevelGraph& graph, const std::vector<Key>& keys,
                                                     const std::vector<std::string>& patterns) {
  std::vector<std::set<std::string>> out(keys.size());
  if (patterns.empty()) return out;
  auto opt = optimize(graph, keys, OptimizeOptions{.cull = true, .fuse = false});
  const auto& g = opt.graph;
  std::vector<std::set<std::string>> failing(g.size());
  std::vector<char> done(g.size(), 0);
  // Iterative post-order over dependencies.
  for (std::int32_t start = 0; start < static_cast<std::int32_t>(g.size()); ++start) {
    std::vector<std::pair<std::int32_t, bool>> stack{{start, false}};
    while (!stack.empty()) {
      auto [i, expanded] = stack.back();
      stack.pop_back();
      auto& di = done[static_cast<std::size_t>(i)];
      if (di) continue;
      if (!expanded) {
        stack.push_back({i, true});
        for (auto d : g.dependencies(i))
          if (!done[static_cast<std::size_t>(d)]) stack.push_back({d, false});
        continue;
      }
      auto& f = failing[static_cast<std::size_t>(i)];
      const auto& key = g.task(i).key.str();
      for (const auto& p : patterns)
        if (::fnmatch(p.c_str(), key.c_str(), 0) == 0) f.insert(key);
      for (auto d : g.dependencies(i)) {
        const auto& fd = failing[static_cast<std::size_t>(d)];
        f.insert(fd.begin(), fd.end());
      }
      di = 1;
    }
  }
  for (std::size_t k = 0; k < keys.size(); ++k) out[k] = failing[static_cast<std::size_t>(g.find(keys[k]))];
  return out;
}

/// Waits until the processes' log holds `what` (true) or `timeout` passes.
bool wait_for_log(testing::ProcessCluster& cluster, const std::string& what, std::chrono::seconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (count(cluster.log(), what) == 0) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

/// Waits until the scheduler lists `n` workers (whatever their names).
void wait_for_workers(Client& client, std::size_t n, std::chrono::seconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (client.scheduler_info().workers.size() < n) {
    ASSERT_LT(Clock::now(), deadline) << "expected " << n << " workers";
    std::this_thread::sleep_for(20ms);
  }
}

std::string cluster_state(Client& client) {
  try {
    auto info = client.scheduler_info();
    std::ostringstream s;
    s << "scheduler: " << info.tasks_total << " tasks (" << info.tasks_waiting << " waiting, " << info.tasks_queued
      << " queued, " << info.tasks_processing << " processing, " << info.tasks_memory << " in memory, "
      << info.tasks_erred << " erred, " << info.tasks_released << " released); workers:";
    for (const auto& w : info.workers)
      s << " " << w.name << " (processing " << w.processing << ", keys " << w.keys_in_memory << ")";
    return s.str();
  } catch (const std::exception& e) {
    return std::string("scheduler_info failed: ") + e.what();
  }
}

/// Restarts worker processes that the injector killed (exit code 86), as a
/// nanny would; any other exit is a failure. A replacement fails the same
/// keys as the others (the scenario's fail patterns) but is not killed again.
struct Nanny {
  Nanny(testing::ProcessCluster& c, const std::vector<std::string>& fail_patterns) : cluster(c) {
    for (const auto& p : fail_patterns) replacement_fault += (replacement_fault.empty() ? "" : ";") + ("fail=" + p);
  }
  testing::ProcessCluster& cluster;
  std::string replacement_fault;
  std::set<std::size_t> ended;
  int kills = 0;

  void check() {
    for (std::size_t i = 0; i < cluster.num_workers(); ++i) {
      if (ended.contains(i) || cluster.worker(i).running()) continue;
      ended.insert(i);
      auto code = cluster.worker(i).wait_for(0ms).value_or(-1);
      if (code == actors::fault::killed_exit_code) {
        ++kills;
        if (replacement_fault.empty()) cluster.add_worker();
        else cluster.add_worker({"--fault", replacement_fault});
      } else {
        ADD_FAILURE() << "worker process " << i << " ended unexpectedly with exit code " << code;
      }
    }
  }
};

}  // namespace

std::string kind_name(Kind kind) {
  switch (kind) {
    case Kind::kill: return "kill";
    case Kind::fail: return "fail";
    case Kind::delay: return "delay";
    case Kind::drop: return "drop";
    case Kind::cut: return "cut";
    case Kind::combined: return "combined";
  }
  return "?";
}

ChaosGraph random_graph(std::uint64_t seed) {
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ull + 17);
  auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto ms = [&] { return static_cast<std::int64_t>(20 + below(51)); };
  ChaosGraph g;
  std::vector<std::vector<Delayed<std::int64_t>>> layers(1);
  std::size_t roots = 6 + below(7);
  for (std::size_t i = 0; i < roots; ++i)
    layers[0].push_back(delayed(dist::dist_slow_inc)(static_cast<std::int64_t>(seed * 1000 + i), ms()));
  std::size_t depth = 3 + below(3);
  for (std::size_t k = 1; k < depth; ++k) {
    const auto& prev = layers[k - 1];
    auto any = [&]() -> const Delayed<std::int64_t>& {
      auto& layer = layers[below(4) == 0 ? below(k) : k - 1];  // mostly the previous layer
      return layer[below(layer.size())];
    };
    std::vector<Delayed<std::int64_t>> layer;
    std::size_t width = 3 + below(7);
    for (std::size_t i = 0; i < width; ++i) {
      auto r = below(10);
      if (r < 4) {
        layer.push_back(delayed(dist::dist_slow_inc)(prev[below(prev.size())], ms()));
      } else if (r < 8) {
        layer.push_back(delayed(dist::dist_add)(prev[below(prev.size())], any()));
      } else {
        std::vector<Delayed<std::int64_t>> parts;
        for (std::size_t n = 3 + below(3); n > 0; --n) parts.push_back(any());
        layer.push_back(delayed(dist::dist_sum)(parts));
      }
    }
    layers.push_back(std::move(layer));
  }
  std::set<std::string> seen;
  for (std::size_t k = 0; k < layers.size(); ++k)
    for (const auto& d : layers[k]) {
      if (!seen.insert(d.key().str()).second) continue;  // the same call twice is one task
      ++g.tasks;
      if (k + 1 == layers.size() || below(5) == 0) g.outputs.push_back(d);
    }
  return g;
}

std::string Scenario::describe() const {
  std::ostringstream s;
  s << kind_name(kind) << " scenario, seed " << seed << " (TESSERA_CHAOS_SEED=" << seed
    << "): scheduler --worker-timeout " << worker_timeout;
  if (!scheduler_fault.empty()) s << " --fault \"" << scheduler_fault << "\"";
  for (std::size_t i = 0; i < worker_faults.size(); ++i)
    if (!worker_faults[i].empty()) s << "; worker w" << i << " --fault \"" << worker_faults[i] << "\"";
  return s.str();
}

Scenario make_scenario(Kind kind, std::uint64_t seed) {
  std::mt19937_64 rng(seed * 1000003ull + static_cast<std::uint64_t>(kind) * 7919ull);
  Scenario s;
  s.kind = kind;
  s.seed = seed;
  s.worker_faults.assign(n_workers, "");
  auto worker_seed = [&](int i) { return "seed=" + std::to_string(seed * 10 + static_cast<std::uint64_t>(i)); };
  auto add = [&](int i, const std::string& item) {
    auto& f = s.worker_faults[static_cast<std::size_t>(i)];
    f += (f.empty() ? worker_seed(i) : std::string()) + ";" + item;
  };
  auto kill = [&](int i, int lo, int hi) { add(i, "kill-after=" + std::to_string(lo + rng() % (hi - lo + 1))); };
  auto delays = [&] {
    auto spec = "delay=" + probability(pick(rng, 0.1, 0.5)) + ":" + pick_duration_ms(rng, 5, 40) +
                ";duplicate=" + probability(pick(rng, 0.05, 0.3));
    s.scheduler_fault = "seed=" + std::to_string(seed) + ";" + spec;
    for (int i = 0; i < n_workers; ++i) add(i, spec);
  };
  auto drop = [&](int i) { add(i, "drop=" + probability(pick(rng, 0.03, 0.12))); };
  auto cut = [&](int i) {
    add(i, "cut=3s;cut-after=" + std::to_string(1 + rng() % 2));
    s.worker_timeout = 1.5;
    s.has_cut = true;
  };
  auto fail = [&] {
    // Exact keys of one or two tasks, or every task of one function.
    auto graph = random_graph(seed);
    std::vector<std::string> keys;
    for (const auto& d : graph.outputs) keys.push_back(d.key().str());
    auto r = rng() % 4;
    if (r == 0) {  // every task of one function
      auto key = keys[rng() % keys.size()];
      s.fail_patterns.push_back(key.substr(0, key.find('-')) + "-*");
    } else {
      s.fail_patterns.push_back(keys[rng() % keys.size()]);
      if (r == 1) s.fail_patterns.push_back("*" + keys[rng() % keys.size()].substr(5));  // a glob too
    }
    for (int i = 0; i < n_workers; ++i)
      for (const auto& p : s.fail_patterns) add(i, "fail=" + p);
  };
  switch (kind) {
    case Kind::kill:
      // Every worker dies after 1 to 4 tasks (a replacement does not): a
      // graph has at least 12 tasks, so one of the three surely runs 4.
      for (int i = 0; i < n_workers; ++i) kill(i, 1, 4);
      break;
    case Kind::fail: fail(); break;
    case Kind::delay: delays(); break;
    case Kind::drop:
      for (int i = 0; i < n_workers; ++i) drop(i);
      if (rng() % 2) add(0, "delay=0.2:10ms");
      break;
    case Kind::cut: cut(static_cast<int>(rng() % n_workers)); break;
    case Kind::combined: {
      // Two to four of: kill w0, delays everywhere, drops on w1, a failing key, cut w2.
      std::vector<int> parts{0, 1, 2, 3, 4};
      std::shuffle(parts.begin(), parts.end(), rng);
      parts.resize(2 + rng() % 3);
      for (int p : parts) {
        if (p == 0) kill(0, 2, 5);
        if (p == 1) delays();
        if (p == 2) drop(1);
        if (p == 3) fail();
        if (p == 4) cut(2);
      }
      break;
    }
  }
  // Parse every spec here: a typo fails the test, not a process.
  if (!s.scheduler_fault.empty()) actors::fault::parse_fault_spec(s.scheduler_fault, actors::fault::Role::scheduler);
  for (const auto& f : s.worker_faults)
    if (!f.empty()) actors::fault::parse_fault_spec(f, actors::fault::Role::worker);
  return s;
}

void run_scenario(const Scenario& s) {
  SCOPED_TRACE(s.describe());
  auto start = Clock::now();
  // Unfused graphs: each task keeps its key, so fail patterns name tasks
  // exactly as the expectations below see them.
  config::ScopedOptimize no_fusion(OptimizeOptions{.cull = true, .fuse = false});
  auto graph = random_graph(s.seed);
  std::vector<Key> keys;
  std::vector<LayerPtr> layers;
  for (const auto& d : graph.outputs) {
    keys.push_back(d.key());
    layers.push_back(d.layer());
  }
  HighLevelGraph whole(layers);
  // The reference, computed meanwhile in this process.
  auto reference = std::async(std::launch::async, [&] { return SyncExecutor().compute(whole, keys); });
  auto failures = expected_failures(whole, keys, s.fail_patterns);

  std::vector<std::string> scheduler_args{"--worker-timeout", probability(s.worker_timeout)};
  if (!s.scheduler_fault.empty()) scheduler_args.insert(scheduler_args.end(), {"--fault", s.scheduler_fault});
  testing::ProcessCluster cluster(testing::ProcessCluster::Options{0, 1, scheduler_args, {}});
  for (const auto& f : s.worker_faults)
    cluster.add_worker(f.empty() ? std::vector<std::string>{} : std::vector<std::string>{"--fault", f});
  Nanny nanny(cluster, s.fail_patterns);
  double compute_seconds = 0, gather_seconds = 0;
  {
    Client client{cluster.address()};
    wait_for_workers(client, n_workers, 60s);
    std::vector<Future<std::int64_t>> futures;
    auto submitted = Clock::now();
    for (const auto& d : graph.outputs) futures.push_back(client.compute(d));

    auto deadline = Clock::now() + 120s;
    auto all_done = [&] { return std::all_of(futures.begin(), futures.end(), [](auto& f) { return f.done(); }); };
    while (!all_done()) {
      nanny.check();
      if (Clock::now() > deadline) {
        ADD_FAILURE() << "the futures were not done after 120 s; " << cluster_state(client);
        return;
      }
      std::this_thread::sleep_for(50ms);
    }

    auto computed = Clock::now();
    auto expected = reference.get();
    std::size_t erred = 0;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      SCOPED_TRACE("output " + keys[k].str());
      const auto& fails = failures[k];
      try {
        auto v = futures[k].result(30s);
        if (!fails.empty()) {
          ADD_FAILURE() << "should have failed (it depends on " << *fails.begin() << ")";
        } else {
          EXPECT_EQ(v, expected[k].as_int());
        }
      } catch (const TaskError& e) {
        ++erred;
        if (fails.empty()) {
          ADD_FAILURE() << "unexpected error: " << e.what();
        } else {
          EXPECT_TRUE(fails.contains(e.key())) << e.what();
          EXPECT_NE(e.original_message().find("injected fault: fail="), std::string::npos) << e.what();
        }
      } catch (const std::exception& e) {
        std::string holders;
        try {
          for (const auto& w : client.who_has()[keys[k].str()]) holders += " " + w;
        } catch (const std::exception&) {
        }
        ADD_FAILURE() << "no result: " << e.what() << "; the scheduler says it is held by:" << holders << "; "
                      << cluster_state(client);
      }
    }
    nanny.check();
    gather_seconds = std::chrono::duration<double>(Clock::now() - computed).count();
    compute_seconds = std::chrono::duration<double>(computed - submitted).count();

    // The faults were on, did happen, and were survived as designed.
    auto log = cluster.log();
    std::size_t faulty = !s.scheduler_fault.empty();
    for (const auto& f : s.worker_faults) faulty += !f.empty();
    if (!s.fail_patterns.empty()) faulty += static_cast<std::size_t>(nanny.kills);  // replacements fail keys too
    for (auto until = Clock::now() + 10s; count(log, "FAULT INJECTION ON") < faulty && Clock::now() < until;) {
      std::this_thread::sleep_for(50ms);  // a replacement may not have started yet
      log = cluster.log();
    }
    EXPECT_EQ(count(log, "FAULT INJECTION ON"), faulty);
    bool killing = std::any_of(s.worker_faults.begin(), s.worker_faults.end(),
                               [](auto& f) { return f.find("kill-after") != std::string::npos; });
    if (killing && s.kind == Kind::kill) {
      EXPECT_GE(nanny.kills, 1) << "no worker was killed";
    }
    if (!s.fail_patterns.empty()) {
      EXPECT_GT(erred, 0u) << "no output failed";
    }
    if (s.has_cut && count(log, "cut off for") > 0) {
      // Declared lost, then back: the node registers a fresh worker.
      EXPECT_TRUE(wait_for_log(cluster, "no heartbeat for", 15s)) << "the cut-off worker was never declared lost";
      EXPECT_TRUE(wait_for_log(cluster, "reconnecting", 15s)) << "the cut-off worker did not register again";
      wait_for_workers(client, n_workers, 30s);
    }
    auto audited_drops = count(log, "dropped a done message") + count(log, "dropped a fetched message") +
                         count(log, "dropped a steal reply message");
    if (audited_drops > 0) {
      EXPECT_TRUE(wait_for_log(cluster, "its link is reset", 5s)) << audited_drops << " messages dropped, no reset";
    }
    if (compute_seconds > 30)
      std::cerr << "[chaos] NOTE: the computation took " << compute_seconds
                << " s (a worker waited long for an input whose holder was lost)\n";
    if (gather_seconds > 10)
      std::cerr << "[chaos] NOTE: reading the results took " << gather_seconds
                << " s (a holder was lost while the client gathered)\n";

    // Nothing is left once the futures are gone.
    futures.clear();
    auto left = tessera::testing::wait_until_nothing_left(client, 20s);
    EXPECT_EQ(left.tasks, 0u) << "tasks left on the scheduler; " << cluster_state(client);
    EXPECT_EQ(left.stored, 0u) << "values left on workers; " << cluster_state(client);
    nanny.check();
  }
  std::cerr << "[chaos] " << s.describe() << ": " << graph.tasks << " tasks, " << keys.size() << " outputs, "
            << nanny.kills << " killed; computed in " << compute_seconds << " s, results read in " << gather_seconds
            << " s, " << std::chrono::duration<double>(Clock::now() - start).count() << " s in all\n";
}

std::vector<std::uint64_t> chaos_seeds() {
  if (const char* one = std::getenv("TESSERA_CHAOS_SEED"); one && *one) return {std::stoull(one)};
  std::uint64_t n = 5;
  if (const char* env = std::getenv("TESSERA_CHAOS_SEEDS"); env && *env) n = std::stoull(env);
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t i = 1; i <= n; ++i) seeds.push_back(i);
  return seeds;
}

}  // namespace tessera::chaos
