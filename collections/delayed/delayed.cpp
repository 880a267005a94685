#include "collections/delayed/delayed.hpp"

#include <sstream>

namespace tessera {

std::string graph_to_dot(const HighLevelGraph& graph) {
  TaskGraph g = graph.materialize();
  std::ostringstream os;
  os << "digraph tessera {\n  rankdir=BT;\n  node [shape=box];\n";
  auto quote = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\"";
  };
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(g.size()); ++i) {
    const auto& t = g.task(i);
    os << "  " << quote(t.key.str()) << " [label=" << quote(t.function_name() + "\n" + t.key.str())
       << "];\n";
    for (auto d : g.dependencies(i))
      os << "  " << quote(g.task(d).key.str()) << " -> " << quote(t.key.str()) << ";\n";
  }
  os << "}\n";
  return os.str();
}

}  // namespace tessera
