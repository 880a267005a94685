#pragma once
// Test helpers for the REPL: one in-process cluster per test suite, a fresh
// interpreter per test, and a session whose stdout and stderr go to one string.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "tools/repl/cluster.hpp"
#include "tools/repl/interpreter.hpp"
#include "tools/repl/session.hpp"

namespace tessera::testing {

class ReplTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    cluster_ = std::make_unique<repl::ReplCluster>(repl::ClusterOptions{.address = "", .workers = 1, .threads = 2, .dashboard_port = -1});
  }
  static void TearDownTestSuite() { cluster_.reset(); }

 protected:
  void SetUp() override {
    in_ = std::make_unique<repl::Interpreter>(
        repl::ClusterInfo{&cluster_->client(), cluster_->address(), cluster_->dashboard()});
    in_->set_global("DATA", Value(std::string(TESSERA_SOURCE_DIR) + "/tests/tools/repl_golden/data"));
    in_->set_global("TMP", Value(std::filesystem::temp_directory_path().string()));
    session_ = std::make_unique<repl::Session>(*in_, out_, out_);
  }
  /// Runs `source` as a script; returns what it printed (stdout and stderr).
  std::string run(const std::string& source, bool* ok = nullptr) {
    out_.str("");
    bool r = session_->run_script(source);
    if (ok) *ok = r;
    return out_.str();
  }
  /// One interactive input (errors do not stop anything).
  std::string input(const std::string& source) {
    out_.str("");
    session_->run_input(source);
    return out_.str();
  }

  static inline std::unique_ptr<repl::ReplCluster> cluster_;
  std::ostringstream out_;
  std::unique_ptr<repl::Interpreter> in_;
  std::unique_ptr<repl::Session> session_;
};

}  // namespace tessera::testing
