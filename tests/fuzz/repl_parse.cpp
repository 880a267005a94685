// libFuzzer target: the REPL language's lexer and parser (tools/repl) on
// arbitrary text. Bad input must end in a SyntaxError whose line and column
// point into the input (and whose caret rendering works), never a crash, a
// hang, a stack overflow or another exception.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tools/repl/parser.hpp"
#include "tools/repl/syntax_error.hpp"

using namespace tessera::repl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  try {
    auto program = parse_program(source);
    for (const auto& s : program)
      if (s.kind != StatementKind::import && !s.value) std::abort();
  } catch (const SyntaxError& e) {
    int lines = 1;
    for (char c : source) lines += c == '\n';
    if (e.line() < 1 || e.line() > lines || e.column() < 1) std::abort();
    if (format_syntax_error(source, e).empty()) std::abort();
  }
  try {
    parse_expression(source);
  } catch (const SyntaxError&) {
  }
  return 0;
}
