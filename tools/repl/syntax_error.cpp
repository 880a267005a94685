#include "tools/repl/syntax_error.hpp"

namespace tessera::repl {

std::string format_syntax_error(std::string_view source, const SyntaxError& e) {
  // Find the line (1-based); past the end: the last line.
  std::size_t begin = 0;
  for (int l = 1; l < e.line(); ++l) {
    auto nl = source.find('\n', begin);
    if (nl == std::string_view::npos) break;
    begin = nl + 1;
  }
  auto end = source.find('\n', begin);
  std::string_view line = source.substr(begin, end == std::string_view::npos ? source.size() - begin : end - begin);
  std::string out = "  ";
  out += line;
  out += "\n  ";
  int col = e.column() < 1 ? 1 : e.column();
  for (int c = 1; c < col; ++c) {
    auto i = static_cast<std::size_t>(c - 1);
    out += i < line.size() && line[i] == '\t' ? '\t' : ' ';
  }
  out += "^\nSyntaxError: " + e.message() + " (line " + std::to_string(e.line()) + ", column " +
         std::to_string(col) + ")";
  return out;
}

}  // namespace tessera::repl
