// tessera: the one program. Subcommands: demo (the default), scheduler,
// worker, bench, repl.
#include <CLI/CLI.hpp>

#include <iostream>

#include "actors/tessera.hpp"
#include "collections/array/array_functions.hpp"
#include "collections/bag/bag_functions.hpp"
#include "collections/dataframe/operations.hpp"
#include "runtime/expr/lambda_expr.hpp"
#include "tools/bench/suite_registry.hpp"
#include "tools/repl/repl_command.hpp"
#include "tools/tessera/cluster_commands.hpp"
#include "tools/tessera/demo.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Tessera: Dask's model in C++ on the C++ Actor Framework"};
  app.require_subcommand(0, 1);

  auto* demo = app.add_subcommand("demo", "a short tour of delayed and futures on a local cluster");
  int workers = 2, threads = 1;
  demo->add_option("--workers", workers, "workers in the local cluster")->check(CLI::PositiveNumber);
  demo->add_option("--threads", threads, "threads per worker")->check(CLI::PositiveNumber);

  auto* scheduler = app.add_subcommand("scheduler", "run a scheduler that workers and clients connect to");
  tessera::tools::SchedulerCommand sc;
  scheduler->add_option("--host", sc.host, "interface to listen on (default 127.0.0.1)");
  scheduler->add_option("--port", sc.port, "port (default 8786; 0: any free port)");
  scheduler->add_option("--dashboard-port", sc.dashboard_port,
                        "dashboard port (default 8787; 0: any free port; a port in use falls back to a free one)");
  scheduler->add_option("--dashboard-address", sc.dashboard_address,
                        "interface the dashboard listens on (default 127.0.0.1)");
  scheduler->add_flag("--no-dashboard", sc.no_dashboard, "serve no dashboard");
  scheduler->add_option("--scheduler-file", sc.scheduler_file, "write the address to this JSON file");
  scheduler->add_option("--auth-token", sc.auth_token, "cluster secret (default: $TESSERA_AUTH_TOKEN)");
  scheduler->add_option("--tls-cert", sc.tls.cert, "TLS: this node's certificate (PEM; with --tls-key, --tls-ca)");
  scheduler->add_option("--tls-key", sc.tls.key, "TLS: this node's private key (PEM)");
  scheduler->add_option("--tls-ca", sc.tls.ca, "TLS: the CA that signs every node's certificate (PEM)");
  scheduler->add_option("--worker-timeout", sc.worker_timeout,
                        "seconds without heartbeats before a worker is declared lost")
      ->check(CLI::PositiveNumber);
  scheduler->add_flag("--exit-with-parent", sc.exit_with_parent, "stop when the parent process goes away");
  scheduler->add_option("--fault", sc.fault, "fault injection for tests, e.g. \"seed=1;delay=0.1:20ms\" (README)");

  auto* worker = app.add_subcommand("worker", "run worker(s) that join a scheduler");
  tessera::tools::WorkerCommand wc;
  worker->add_option("address", wc.address, "scheduler address tcp://HOST:PORT");
  worker->add_option("--scheduler-file", wc.scheduler_file, "read the scheduler address from this file");
  worker->add_option("--nthreads", wc.nthreads, "task threads per worker (default: cores / nworkers)");
  worker->add_option("--nworkers", wc.nworkers, "workers in this process")->check(CLI::PositiveNumber);
  worker->add_option("--memory-limit", wc.memory_limit,
                     "bytes per worker: 4GB, 512MiB, auto (default: the machine's memory shared among workers), none");
  worker->add_option("--local-directory", wc.local_directory, "where values are spilled (default: the temp directory)");
  worker->add_option("--memory-target-fraction", wc.memory.target, "spill values past this part of the limit (0.6; 0: off)");
  worker->add_option("--memory-spill-fraction", wc.memory.spill, "spill regardless past this much process memory (0.7)");
  worker->add_option("--memory-pause-fraction", wc.memory.pause, "start no tasks past this much process memory (0.8)");
  worker->add_option("--memory-terminate-fraction", wc.memory.terminate, "restart the process past this (0.95)");
  worker->add_option("--name", wc.name, "worker name (default: host-pid)");
  worker->add_option("--plugin", wc.plugins, "shared library of registered functions (repeatable)");
  worker->add_option("--auth-token", wc.auth_token, "cluster secret (default: $TESSERA_AUTH_TOKEN)");
  worker->add_option("--tls-cert", wc.tls.cert, "TLS: this node's certificate (PEM; with --tls-key, --tls-ca)");
  worker->add_option("--tls-key", wc.tls.key, "TLS: this node's private key (PEM)");
  worker->add_option("--tls-ca", wc.tls.ca, "TLS: the CA that signs every node's certificate (PEM)");
  worker->add_option("--death-timeout", wc.death_timeout, "seconds without a scheduler before exiting")
      ->check(CLI::PositiveNumber);
  worker->add_flag("--exit-with-parent", wc.exit_with_parent, "stop when the parent process goes away");
  worker->add_option("--fault", wc.fault, "fault injection for tests, e.g. \"seed=1;kill-after=20\" (README)");

  auto* bench = app.add_subcommand("bench", "run a benchmark suite; prints JSON lines");
  tessera::bench::BenchOptions bo;
  std::string suite;
  bench->add_option("suite", suite, "suite: overhead, array, bag, dataframe, transfer, memory")->required();
  bench->add_option("--size", bo.size, "small or full")->check(CLI::IsMember({"small", "full"}));
  bench->add_option("--data", bo.data_dir, "benchmark data folder (gen_data.py output)");
  bench->add_option("--engine", bo.engines, "engine (repeatable): tessera-threads, tessera-sync, tessera-distributed");
  bench->add_option("--repeat", bo.repeat, "timed runs per workload (median reported)")
      ->check(CLI::PositiveNumber);
  bench->add_option("--only", bo.only, "regex on workload names");

  auto* repl = app.add_subcommand("repl", "an interactive client: a Python-flavoured language over the collections");
  tessera::repl::ReplCommand rc;
  repl->add_option("target", rc.targets, "scheduler address tcp://HOST:PORT (none: an in-process cluster) and/or a FILE to run")
      ->expected(0, 2);
  repl->add_option("-c", rc.command, "run these statements (separated by ; or newlines) and exit");
  repl->add_option("--workers", rc.workers, "in-process cluster: workers (default 1)")->check(CLI::PositiveNumber);
  repl->add_option("--threads", rc.threads, "in-process cluster: threads per worker (default 2)")->check(CLI::PositiveNumber);
  repl->add_option("--dashboard-port", rc.dashboard_port,
                   "in-process cluster: dashboard port (default 8787; 0: any free port)");
  repl->add_flag("--no-dashboard", rc.no_dashboard, "in-process cluster: serve no dashboard");
  repl->add_flag("-q,--quiet", rc.quiet, "scripts: no banner on stderr");

  CLI11_PARSE(app, argc, argv);
  try {
    // Every process may run every collection's tasks: register the built-ins.
    tessera::array::array_functions();
    tessera::bag::register_bag_functions();
    tessera::dataframe::register_operation_functions();  // dataframe tasks run on `tessera worker` too
    tessera::expr::register_expr_functions();  // the REPL's lambdas, on every worker
    if (*scheduler) return tessera::tools::run_scheduler(sc);
    if (*worker) return tessera::tools::run_worker(wc);
    if (*repl) return tessera::repl::run_repl(rc);
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
