#pragma once
// `tessera scheduler` and `tessera worker`: the programs of a distributed cluster.
#include <cstdint>
#include <string>
#include <vector>

#include "actors/worker/worker_actor.hpp"
#include "net/tls_context.hpp"

namespace tessera::tools {

struct SchedulerCommand {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8786;
  std::uint16_t dashboard_port = 8787;  // 0: any free port; taken: a free one, with a warning
  std::string dashboard_address = "127.0.0.1";
  bool no_dashboard = false;
  std::string scheduler_file;
  std::string auth_token;
  net::TlsOptions tls;  // --tls-cert/--tls-key/--tls-ca; empty: plain TCP
  double worker_timeout = 5.0;  // seconds without heartbeats before a worker is lost
  bool exit_with_parent = false;
  std::string fault;  // fault injection spec (actors/fault/fault_spec.hpp); empty: none
};

struct WorkerCommand {
  std::string address;
  std::string scheduler_file;
  std::uint32_t nthreads = 0;
  int nworkers = 1;
  std::string memory_limit = "auto";
  std::string local_directory;         // where values are spilled; empty: the temporary directory
  actors::MemoryFractions memory;      // Dask's target/spill/pause/terminate fractions; 0: off
  std::string name;
  std::vector<std::string> plugins;
  std::string auth_token;
  net::TlsOptions tls;  // --tls-cert/--tls-key/--tls-ca; empty: plain TCP
  double death_timeout = 60.0;  // seconds
  bool exit_with_parent = false;
  std::string fault;  // fault injection spec (actors/fault/fault_spec.hpp); empty: none
};

/// Run until SIGINT/SIGTERM (scheduler) or until the cluster closes (worker); exit codes.
int run_scheduler(const SchedulerCommand& command);
int run_worker(const WorkerCommand& command);

}  // namespace tessera::tools
