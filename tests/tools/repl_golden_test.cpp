// Golden transcripts (tests/tools/repl_golden/*.txt): each `>>> ` line (with
// `... ` continuation lines) is typed into a fresh session on an in-process
// cluster, and what it prints (stdout and stderr) must equal the lines that
// follow it. `<*>` in an expected line matches any text; `## ` lines are
// comments. TESSERA_REPL_GOLDEN_UPDATE=1 rewrites the files with what the
// REPL printed (review the diff before keeping it).
//
// RepLGolden.EveryVerbIsCovered checks that every function of every
// namespace and every method of every type that %help lists is used in some
// transcript.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "tests/tools/repl_support.hpp"

namespace tessera::testing {
namespace {

namespace fs = std::filesystem;

fs::path golden_dir() { return fs::path(TESSERA_SOURCE_DIR) / "tests/tools/repl_golden"; }

struct Step {
  std::string input;                  // lines joined by "\n"
  std::vector<std::string> expected;  // output lines
  std::vector<std::string> raw_input; // as written, with prompts
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

std::vector<Step> parse_transcript(const std::string& text, std::vector<std::string>& header) {
  std::vector<Step> steps;
  for (const auto& line : lines_of(text)) {
    if (line.rfind(">>> ", 0) == 0 || line == ">>>") {
      steps.push_back(Step{line.size() > 4 ? line.substr(4) : "", {}, {line}});
    } else if ((line.rfind("... ", 0) == 0 || line == "...") && !steps.empty() && steps.back().expected.empty()) {
      steps.back().input += "\n" + (line.size() > 4 ? line.substr(4) : "");
      steps.back().raw_input.push_back(line);
    } else if (line.rfind("## ", 0) == 0 || line == "##") {
      if (steps.empty()) header.push_back(line);
    } else if (!steps.empty()) {
      steps.back().expected.push_back(line);
    } else {
      header.push_back(line);
    }
  }
  return steps;
}

bool line_matches(const std::string& expected, const std::string& actual) {
  if (expected.find("<*>") == std::string::npos) return expected == actual;
  std::string re;
  std::size_t i = 0;
  while (i < expected.size()) {
    auto p = expected.find("<*>", i);
    std::string lit = expected.substr(i, p == std::string::npos ? std::string::npos : p - i);
    for (char c : lit) {
      if (std::string("\\^$.|?*+()[]{}").find(c) != std::string::npos) re += '\\';
      re += c;
    }
    if (p == std::string::npos) break;
    re += ".*";
    i = p + 3;
  }
  return std::regex_match(actual, std::regex(re));
}

class ReplGolden : public ReplTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(ReplGolden, Transcript) {
  fs::path file = golden_dir() / GetParam();
  std::ifstream in(file);
  ASSERT_TRUE(in) << file;
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<std::string> header;
  auto steps = parse_transcript(ss.str(), header);
  ASSERT_FALSE(steps.empty()) << file;
  bool update = std::getenv("TESSERA_REPL_GOLDEN_UPDATE") != nullptr;
  std::string rewritten;
  for (const auto& h : header) rewritten += h + "\n";
  for (const auto& step : steps) {
    auto actual = lines_of(input(step.input));
    for (const auto& r : step.raw_input) rewritten += r + "\n";
    if (update) {
      for (const auto& l : actual) rewritten += l + "\n";
      continue;
    }
    bool same = actual.size() == step.expected.size();
    for (std::size_t i = 0; same && i < actual.size(); ++i) same = line_matches(step.expected[i], actual[i]);
    if (!same) {
      std::string want, got;
      for (const auto& l : step.expected) want += l + "\n";
      for (const auto& l : actual) got += l + "\n";
      ADD_FAILURE() << file.filename() << ": >>> " << step.input << "\nexpected:\n" << want << "got:\n" << got;
    }
  }
  if (update) {
    std::ofstream out(file);
    out << rewritten;
  }
}

std::vector<std::string> transcripts() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(golden_dir()))
    if (e.path().extension() == ".txt") out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Files, ReplGolden, ::testing::ValuesIn(transcripts()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = i.param.substr(0, i.param.find('.'));
                           for (auto& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST_F(ReplTest, EveryVerbIsCoveredByATranscript) {
  std::string all;
  for (const auto& f : transcripts()) {
    std::ifstream in(golden_dir() / f);
    std::stringstream ss;
    ss << in.rdbuf();
    for (const auto& l : lines_of(ss.str()))
      if (l.rfind(">>> ", 0) == 0 || l.rfind("... ", 0) == 0) all += l + "\n";
  }
  std::set<std::string> missing;
  auto used = [&](const std::string& name) {
    std::regex re("(^|[^A-Za-z0-9_])" + name + "([^A-Za-z0-9_]|$)");
    return std::regex_search(all, re);
  };
  for (const char* ns : {"array", "bag", "dataframe"}) {
    const auto* n = in_->builtins().at(ns).as<repl::Namespace>();
    for (const auto& [k, v] : n->members()) {
      if (auto* sub = v.as<repl::Namespace>()) {
        for (const auto& [k2, v2] : sub->members())
          if (!used(k2)) missing.insert(std::string(ns) + "." + k + "." + k2);
      } else if (!used(k)) {
        missing.insert(std::string(ns) + "." + k);
      }
    }
  }
  for (const auto* t : repl::Interpreter::types())
    for (const auto& [k, m] : t->methods)
      if (!used(k)) missing.insert(t->name + "." + k);
  for (const char* meta : {"%workers", "%status", "%who", "%time", "%help", "%quit"})
    if (all.find(meta) == std::string::npos) missing.insert(meta);
  std::string list;
  for (const auto& m : missing) list += "  " + m + "\n";
  EXPECT_TRUE(missing.empty()) << "verbs no transcript uses:\n" << list;
}

}  // namespace
}  // namespace tessera::testing
