#pragma once
// The REPL language's lexer: Python's tokens, minus indentation. Newlines
// inside brackets are spaces; a backslash at the end of a line continues it;
// `#` starts a comment. Throws SyntaxError (incomplete when the input ends
// inside a string or a bracket).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::repl {

enum class TokenKind { integer, floating, string, name, keyword, op, newline, end };

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;       // the name, keyword, operator, or the decoded string
  std::int64_t int_value = 0;
  double float_value = 0;
  int line = 1, column = 1;  // 1-based, of the token's first character
};

/// The tokens of `source`, ending with one `end` token. Statement
/// separators (`;` and newlines outside brackets) are `newline` tokens.
std::vector<Token> tokenize(std::string_view source);

/// True for Python's keywords that the language uses.
bool is_keyword(std::string_view word) noexcept;

}  // namespace tessera::repl
