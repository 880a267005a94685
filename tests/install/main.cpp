// Uses an installed Tessera: builds a three-task graph, runs it on the
// synchronous executor and checks the result. Exit status 0 on success.
#include <cstdint>
#include <cstdio>
#include <exception>
#include <vector>

#include "runtime/exec/executor.hpp"
#include "runtime/graph/high_level_graph.hpp"
#include "runtime/graph/key.hpp"
#include "runtime/graph/task_spec.hpp"
#include "runtime/registry/make_function.hpp"
#include "runtime/value/value.hpp"

int main() {
  try {
    using namespace tessera;
    auto inc = make_function("inc", [](std::int64_t x) { return x + 1; });
    auto add = make_function("add", [](std::int64_t x, std::int64_t y) { return x + y; });

    const Key a("a-install"), b("inc-install"), c("add-install");
    std::vector<TaskSpec> tasks;
    tasks.push_back(TaskSpec{a, nullptr, {Arg(Value(std::int64_t{41}))}});
    tasks.push_back(TaskSpec{b, inc, {Arg(a)}});
    tasks.push_back(TaskSpec{c, add, {Arg(a), Arg(b)}});
    HighLevelGraph graph({make_layer("install-test", std::move(tasks))});

    const std::vector<Key> outputs{c, b};
    auto results = get_executor("sync")->compute(graph, outputs);
    if (results.size() != 2 || results[0].as_int() != 83 || results[1].as_int() != 42) {
      std::fprintf(stderr, "install test: wrong results\n");
      return 1;
    }
    std::printf("install test: add(41, inc(41)) = %lld\n",
                static_cast<long long>(results[0].as_int()));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "install test: %s\n", e.what());
    return 1;
  }
}
