#pragma once
// Test helper: a scheduler and workers as real `tessera` processes on
// loopback (free ports chosen by the OS), with the test plugin loaded in the
// workers. Every process is reaped when the ProcessCluster is destroyed, also
// when the test fails; their output goes to a log printed on failure.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/cluster/child_process.hpp"

#ifndef TESSERA_TEST_PLUGIN
#error "TESSERA_TEST_PLUGIN (path of libtessera_test_plugin.so) must be defined"
#endif

namespace tessera::testing {

class ProcessCluster {
 public:
  struct Options {
    int workers = 2;
    int nthreads = 1;
    std::vector<std::string> scheduler_args = {};
    std::vector<std::string> worker_args = {};
  };

  explicit ProcessCluster(Options options) : options_(std::move(options)) {
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("tessera-pc-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir_);
    start_scheduler();
    for (int i = 0; i < options_.workers; ++i) add_worker();
  }
  ProcessCluster() : ProcessCluster(Options{}) {}

  ~ProcessCluster() {
    workers_.clear();  // SIGTERM, then SIGKILL after a grace period
    scheduler_ = {};
    // During unwinding (an exception in the test body) the failure is not
    // recorded yet: print the log then too.
    if (::testing::Test::HasFailure() || std::uncaught_exceptions() > 0 || std::getenv("TESSERA_TEST_LOGS"))
      std::cerr << "---- process log ----\n" << log() << "---------------------\n";
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  const std::string& address() const { return address_; }
  std::string scheduler_file() const { return (dir_ / "scheduler.json").string(); }
  std::string log_file() const { return (dir_ / "processes.log").string(); }
  std::string log() const {
    std::ifstream in(log_file());
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  /// Starts one more worker process; returns its index.
  std::size_t add_worker(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"worker", address_, "--plugin", TESSERA_TEST_PLUGIN, "--nthreads",
                                  std::to_string(options_.nthreads), "--name",
                                  "w" + std::to_string(workers_.size()), "--death-timeout", "20",
                                  "--exit-with-parent"};
    args.insert(args.end(), options_.worker_args.begin(), options_.worker_args.end());
    args.insert(args.end(), extra.begin(), extra.end());
    workers_.push_back(actors::ChildProcess::start(TESSERA_BINARY, args, log_file()));
    return workers_.size() - 1;
  }

  actors::ChildProcess& worker(std::size_t i) { return workers_.at(i); }
  actors::ChildProcess& scheduler() { return scheduler_; }
  std::size_t num_workers() const { return workers_.size(); }

  /// Restarts the scheduler on the same port (after it was killed).
  void restart_scheduler() { start_scheduler(port_); }

 private:
  void start_scheduler(int port = 0) {
    std::filesystem::remove(scheduler_file());
    std::vector<std::string> args{"scheduler", "--port", std::to_string(port), "--scheduler-file",
                                  scheduler_file(), "--exit-with-parent"};
    args.insert(args.end(), options_.scheduler_args.begin(), options_.scheduler_args.end());
    scheduler_ = actors::ChildProcess::start(TESSERA_BINARY, args, log_file());
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(scheduler_file());
      if (in) {
        auto j = nlohmann::json::parse(in, nullptr, false);
        if (!j.is_discarded() && j.contains("address")) {
          address_ = j["address"].get<std::string>();
          port_ = std::stoi(address_.substr(address_.rfind(':') + 1));
          return;
        }
      }
      if (!scheduler_.running()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("the scheduler process did not start:\n" + log());
  }

  Options options_;
  std::filesystem::path dir_;
  actors::ChildProcess scheduler_;
  std::vector<actors::ChildProcess> workers_;
  std::string address_;
  int port_ = 0;
};

}  // namespace tessera::testing
