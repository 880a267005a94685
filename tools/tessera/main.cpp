// tessera: the one program. Subcommands: demo (the default), bench.
#include <CLI/CLI.hpp>

#include <iostream>

#include "actors/tessera.hpp"
#include "tools/bench/suite_registry.hpp"
#include "tools/tessera/demo.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Tessera: Dask's model in C++ on the C++ Actor Framework"};
  app.require_subcommand(0, 1);

  auto* demo = app.add_subcommand("demo", "a short tour of delayed and futures on a local cluster");
  int workers = 2, threads = 1;
  demo->add_option("--workers", workers, "workers in the local cluster")->check(CLI::PositiveNumber);
  demo->add_option("--threads", threads, "threads per worker")->check(CLI::PositiveNumber);

  auto* bench = app.add_subcommand("bench", "run a benchmark suite; prints JSON lines");
  tessera::bench::BenchOptions bo;
  std::string suite;
  bench->add_option("suite", suite, "suite: overhead, array, bag, dataframe, transfer, memory")->required();
  bench->add_option("--size", bo.size, "small or full")->check(CLI::IsMember({"small", "full"}));
  bench->add_option("--data", bo.data_dir, "benchmark data folder (gen_data.py output)");
  bench->add_option("--engine", bo.engines, "engine (repeatable): tessera-threads, tessera-sync");
  bench->add_option("--repeat", bo.repeat, "timed runs per workload (median reported)")
      ->check(CLI::PositiveNumber);
  bench->add_option("--only", bo.only, "regex on workload names");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*bench) {
      tessera::bench::run_suite(suite, bo);
      return 0;
    }
    return tessera::tools::run_demo(workers, threads);
  } catch (const std::exception& e) {
    std::cerr << "tessera: " << e.what() << "\n";
    return 1;
  }
}
