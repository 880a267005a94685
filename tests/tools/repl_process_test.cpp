// `tessera repl` as a program: -c and FILE scripts (output, exit status, the
// caret of a syntax error), and lambdas in every bag verb, in dataframe
// map/apply, delayed and client.submit on a real remote cluster (a
// `tessera scheduler` and two `tessera worker` processes on loopback).
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

  // fold, reduction, foldby, map_partitions, starmap, a map with an extra
  // argument and groupby: their lambdas travel in the tasks as expression
  // trees, so the worker processes run them. Expected values by hand: 0..19
  // sums to 190; evens 0+2+...+18 = 90, odds 100; squares of 0..3 are 0 1 4 9.
  auto bag = run_repl({cluster.address(), "-q", "-c",
                       "b = db.from_sequence(range(20), npartitions=4)\n"
                       "b.fold(lambda acc, x: acc + x).compute()\n"
                       "b.fold(lambda acc, x: acc + 1, lambda a, c: a + c, initial=0).compute()\n"
                       "b.reduction(lambda part: max(part), lambda maxes: max(maxes)).compute()\n"
                       "b.foldby(lambda x: x % 2, lambda acc, x: acc + x, 0, lambda a, c: a + c, 0).compute()\n"
                       "b.map_partitions(lambda part: [len(part)]).compute()\n"
                       "b.map(lambda x: [x, x]).starmap(lambda x, y: x * y).take(4)\n"
                       "b.map(lambda x, k: x + k, 100).take(2)\n"
                       "sorted(b.groupby(lambda x: x % 2 == 0).map(lambda g: [g[0], len(g[1])]).compute())\n"
                       "db.from_sequence([{'k': 1}, {'j': 2}], npartitions=2).pluck('k', None).compute()\n"});
  EXPECT_EQ(bag.status, 0) << bag.output << "\n" << cluster.log();
  EXPECT_EQ(bag.output,
            "190\n20\n19\n[[0, 90], [1, 100]]\n[5, 5, 5, 5]\n[0, 1, 4, 9]\n[100, 101]\n"
            "[[false, 10], [true, 10]]\n[1, null]\n")
      << bag.output;

  // dataframe: Series.map and DataFrame.apply(axis=1) lambdas run in the
  // workers' partition tasks. people-*.csv: ages 34 28 45 34 31 28.
  std::string data = std::string(TESSERA_SOURCE_DIR) + "/tests/tools/repl_golden/data";
  auto df = run_repl({cluster.address(), "-q", "-c",
                      "df = dd.read_csv('" + data + "/people-*.csv')\n"
                      "df.age.map(lambda a: a * 2).sum().compute()\n"
                      "df.apply(lambda r: r['age'] > 30 and r['city'] == 'paris', axis=1).sum().compute()\n"
                      "df[df.name.map(lambda n: n.startswith('a'))].age.sum().compute()\n"});
  EXPECT_EQ(df.status, 0) << df.output << "\n" << cluster.log();
  EXPECT_EQ(df.output, "400\n3\n68\n") << df.output;
}

}  // namespace
}  // namespace tessera::testing
