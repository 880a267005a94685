// `tessera repl` as a program: -c and FILE scripts (output, exit status, the
// caret of a syntax error), and lambdas in bag map/filter/topk, delayed and
// client.submit on a real remote cluster (a `tessera scheduler` and two
// `tessera worker` processes on loopback).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "actors/cluster/child_process.hpp"
#include "tests/support/process_cluster.hpp"
#include "tests/support/temp_files.hpp"

namespace tessera::testing {
namespace {

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr
};

Run run_repl(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(120)) {
  static int counter = 0;
  std::string log = temp_path("repl-run-" + std::to_string(counter++) + ".log");
  std::filesystem::remove(log);
  std::vector<std::string> all{"repl"};
  all.insert(all.end(), args.begin(), args.end());
  auto child = actors::ChildProcess::start(TESSERA_BINARY, all, log);
  Run r;
  auto status = child.wait_for(std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
  if (!status) {
    child.stop();
    ADD_FAILURE() << "tessera repl did not finish within " << timeout.count() << " s";
  }
  r.status = status.value_or(-1);
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  r.output = ss.str();
  // A sanitizer build's LeakSanitizer prints the suppressions it used at exit: not the REPL's output.
  auto lsan = r.output.find("-----------------------------------------------------\nSuppressions used:");
  if (lsan != std::string::npos) r.output.erase(lsan);
  return r;
}

TEST(ReplProgram, CommandPrintsEachExpressionStatement) {
  auto r = run_repl({"--no-dashboard", "-q", "-c", "x = 20; x + 1\ny = [x, 'a']; y\nda.arange(6, chunks=4).sum().compute()"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, "21\n[20, \"a\"]\n15\n");
}

TEST(ReplProgram, SyntaxErrorExitsNonZeroWithACaret) {
  auto r = run_repl({"--no-dashboard", "-q", "-c", "print('before')\nx = (1 +* 2)\nprint('after')"});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("  x = (1 +* 2)\n          ^\nSyntaxError: unexpected '*' (line 2, column 9)"), std::string::npos)
      << r.output;
  // The script is parsed before it runs: nothing ran.
  EXPECT_EQ(r.output.find("before"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("after"), std::string::npos) << r.output;
}

TEST(ReplProgram, FileStopsAtTheFirstError) {
  auto file = write_file("repl-script.py", "# a script\nimport dask.bag as db\nb = db.from_sequence([1, 2, 3], npartitions=2)\n"
                                           "b.map(lambda n: n * 2).compute()\n%who\nmissing_name + 1\nprint('not reached')\n");
  auto r = run_repl({"--no-dashboard", "-q", file});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("[2, 4, 6]\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("b   dask.bag.Bag"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("NameError: name 'missing_name' is not defined."), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("not reached"), std::string::npos) << r.output;
  auto ok = run_repl({"--no-dashboard", "-q", write_file("repl-ok.py", "1 + 1\n%quit\n2 + 2\n")});
  EXPECT_EQ(ok.status, 0) << ok.output;
  EXPECT_EQ(ok.output, "2\n");
}

TEST(ReplProgram, TaskErrorShowsKeyAndMessage) {
  auto r = run_repl({"--no-dashboard", "-q", "-c", "delayed(lambda n: 10 // n)(0).compute()"});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("TaskError: task lambda-"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ZeroDivisionError: integer division or modulo by zero"), std::string::npos) << r.output;
}

TEST(ReplProgram, LambdasRunOnARemoteCluster) {
  ProcessCluster cluster(ProcessCluster::Options{.workers = 2, .nthreads = 1});
  auto r = run_repl({cluster.address(), "-c",
                     "b = db.from_sequence(range(20), npartitions=4)\n"
                     "b.filter(lambda n: n % 3 == 0).map(lambda n: n * n).compute()\n"
                     "b.topk(2, lambda n: -n).compute()\n"
                     "db.from_sequence([{'name': 'a', 'age': 31}, {'name': 'b', 'age': 20}], npartitions=2)"
                     ".filter(lambda r: r['age'] > 30).pluck('name').compute()\n"
                     "client.submit(lambda x: x + 1, 41).result()\n"
                     "delayed(lambda a, b: a * b)(6, 7).compute()\n"
                     "client.gather(client.map(lambda n: n + 1, [1, 2, 3]))\n"
                     "len(client.scheduler_info()['workers'])\n"});
  EXPECT_EQ(r.status, 0) << r.output << "\n" << cluster.log();
  EXPECT_NE(r.output.find("dashboard at http://"), std::string::npos) << r.output;
  auto out = r.output.substr(r.output.find('\n') + 1);  // after the banner
  EXPECT_EQ(out, "[0, 9, 36, 81, 144, 225, 324]\n[0, 1]\n[\"a\"]\n42\n42\n[2, 3, 4]\n2\n") << r.output;

  // A lambda where only in-process clusters can run it (fold): a clear error
  // at submission, not a hang.
  auto fold = run_repl({cluster.address(), "-q", "-c", "db.from_sequence([1, 2], npartitions=1).fold(lambda a, b: a + b).compute()"});
  EXPECT_EQ(fold.status, 1) << fold.output;
  EXPECT_NE(fold.output.find("cannot be sent to another process"), std::string::npos) << fold.output;
}

}  // namespace
}  // namespace tessera::testing
