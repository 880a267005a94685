#pragma once
// SyntaxError: what the lexer and parser throw. It carries the 1-based line
// and column of the offending character so that the REPL can print the line
// with a caret under it:
//
//   x = (1 +* 2)
//           ^
//   SyntaxError: unexpected '*' (line 1, column 9)
#include <stdexcept>
#include <string>
#include <string_view>

namespace tessera::repl {

class SyntaxError : public std::runtime_error {
 public:
  /// `incomplete`: the input ended inside an open bracket, string or
  /// expression; an interactive prompt asks for another line instead.
  SyntaxError(std::string message, int line, int column, bool incomplete = false)
      : std::runtime_error(message), message_(std::move(message)), line_(line), column_(column),
        incomplete_(incomplete) {}
  const std::string& message() const noexcept { return message_; }
  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }
  bool incomplete() const noexcept { return incomplete_; }

 private:
  std::string message_;
  int line_, column_;
  bool incomplete_;
};

/// The offending line of `source`, a caret under the column, and the
/// message; no trailing newline. Tabs before the column are kept so that the
/// caret lines up.
std::string format_syntax_error(std::string_view source, const SyntaxError& e);

}  // namespace tessera::repl
