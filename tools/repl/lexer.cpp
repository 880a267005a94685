#include "tools/repl/lexer.hpp"

#include <array>
#include <cerrno>
#include <cstdlib>

#include "tools/repl/syntax_error.hpp"

namespace tessera::repl {
namespace {

constexpr std::array<std::string_view, 16> keywords = {"lambda", "and", "or",   "not",  "in",   "is",
                                                       "None",   "True", "False", "if",  "else", "for",
                                                       "import", "as",  "from", "del"};

// Operators, longest first.
constexpr std::array<std::string_view, 39> operators = {
    "**=", "//=", "...", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=", "-=", "*=", "/=", "->", "(",  ")", "[",
    "]",   "{",   "}",   ",",  ":",  ".",  ";",  "+",  "-",  "*",  "/",  "%",  "<",  ">",  "=",  "&",  "|",  "^", "~", "@"};

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::vector<Token> run() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        advance();
      } else if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') advance();
      } else if (c == '\\' && i_ + 1 < s_.size() && (s_[i_ + 1] == '\n' || s_[i_ + 1] == '\r')) {
        advance();
        if (s_[i_] == '\r') advance();
        if (i_ < s_.size() && s_[i_] == '\n') advance();
      } else if (c == '\\') {
        fail("unexpected '\\' (a line continuation must end its line)");
      } else if (c == '\n') {
        if (depth_ == 0) push(TokenKind::newline, "\n", line_, col_);
        advance();
      } else if (is_digit(c) || (c == '.' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1]))) {
        number();
      } else if (is_name_start(c)) {
        name();
      } else if (c == '\'' || c == '"') {
        string(c);
      } else {
        op();
      }
    }
    if (depth_ > 0)
      throw SyntaxError("unexpected end of input: '" + std::string(1, open_.back().c) + "' is not closed",
                        open_.back().line, open_.back().col, true);
    push(TokenKind::end, "", line_, col_);
    return std::move(out_);
  }

 private:
  struct Open {
    char c;
    int line, col;
  };

  void advance() {
    if (s_[i_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++i_;
  }
  [[noreturn]] void fail(const std::string& message, bool incomplete = false) {
    throw SyntaxError(message, line_, col_, incomplete);
  }
  Token& push(TokenKind k, std::string text, int line, int col) {
    Token t;
    t.kind = k;
    t.text = std::move(text);
    t.line = line;
    t.column = col;
    out_.push_back(std::move(t));
    return out_.back();
  }

  void number() {
    int line = line_, col = col_;
    std::string digits;
    bool is_float = false;
    auto take_digits = [&] {
      while (i_ < s_.size() && (is_digit(s_[i_]) || s_[i_] == '_')) {
        if (s_[i_] != '_') digits += s_[i_];
        advance();
      }
    };
    take_digits();
    if (i_ < s_.size() && s_[i_] == '.' && !(i_ + 1 < s_.size() && s_[i_ + 1] == '.')) {
      is_float = true;
      digits += '.';
      advance();
      take_digits();
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      std::size_t j = i_ + 1;
      if (j < s_.size() && (s_[j] == '+' || s_[j] == '-')) ++j;
      if (j < s_.size() && is_digit(s_[j])) {
        is_float = true;
        digits += 'e';
        advance();
        if (s_[i_] == '+' || s_[i_] == '-') {
          digits += s_[i_];
          advance();
        }
        take_digits();
      }
    }
    if (i_ < s_.size() && is_name_start(s_[i_])) fail("invalid number: a name cannot follow digits directly");
    Token& t = push(is_float ? TokenKind::floating : TokenKind::integer, digits, line, col);
    errno = 0;
    if (is_float) {
      t.float_value = std::strtod(digits.c_str(), nullptr);
    } else {
      char* end = nullptr;
      t.int_value = std::strtoll(digits.c_str(), &end, 10);
      if (errno == ERANGE) throw SyntaxError("integer " + digits + " does not fit in 64 bits", line, col);
    }
  }

  void name() {
    int line = line_, col = col_;
    std::size_t start = i_;
    while (i_ < s_.size() && is_name_char(s_[i_])) advance();
    std::string w(s_.substr(start, i_ - start));
    TokenKind kind = is_keyword(w) ? TokenKind::keyword : TokenKind::name;
    push(kind, std::move(w), line, col);
  }

  void string(char quote) {
    int line = line_, col = col_;
    advance();
    bool triple = i_ + 1 < s_.size() && s_[i_] == quote && s_[i_ + 1] == quote;
    if (triple) {
      advance();
      advance();
    }
    std::string text;
    for (;;) {
      if (i_ >= s_.size()) throw SyntaxError("unterminated string", line, col, triple);
      char c = s_[i_];
      if (c == quote) {
        if (!triple) {
          advance();
          break;
        }
        if (i_ + 2 < s_.size() && s_[i_ + 1] == quote && s_[i_ + 2] == quote) {
          advance();
          advance();
          advance();
          break;
        }
      }
      if (c == '\n' && !triple) throw SyntaxError("unterminated string (end of line)", line, col);
      if (c == '\\') {
        advance();
        if (i_ >= s_.size()) throw SyntaxError("unterminated string", line, col, triple);
        char e = s_[i_];
        switch (e) {
          case 'n': text += '\n'; break;
          case 't': text += '\t'; break;
          case 'r': text += '\r'; break;
          case '0': text += '\0'; break;
          case '\\': text += '\\'; break;
          case '\'': text += '\''; break;
          case '"': text += '"'; break;
          case '\n': break;
          default: text += '\\'; text += e;
        }
        advance();
        continue;
      }
      text += c;
      advance();
    }
    push(TokenKind::string, std::move(text), line, col);
  }

  void op() {
    int line = line_, col = col_;
    for (auto o : operators) {
      if (s_.substr(i_, o.size()) == o) {
        for (std::size_t k = 0; k < o.size(); ++k) advance();
        char c = o[0];
        if (o.size() == 1 && (c == '(' || c == '[' || c == '{')) {
          if (open_.size() >= 256) throw SyntaxError("brackets nested too deeply", line, col);
          open_.push_back({c, line, col});
          ++depth_;
        } else if (o.size() == 1 && (c == ')' || c == ']' || c == '}')) {
          char want = c == ')' ? '(' : c == ']' ? '[' : '{';
          if (open_.empty()) throw SyntaxError("unmatched '" + std::string(1, c) + "'", line, col);
          if (open_.back().c != want)
            throw SyntaxError("'" + std::string(1, c) + "' does not match the '" + std::string(1, open_.back().c) +
                                  "' opened at line " + std::to_string(open_.back().line) + ", column " +
                                  std::to_string(open_.back().col),
                              line, col);
          open_.pop_back();
          --depth_;
        }
        if (o == ";") {
          push(TokenKind::newline, ";", line, col);
        } else {
          push(TokenKind::op, std::string(o), line, col);
        }
        return;
      }
    }
    unsigned char u = static_cast<unsigned char>(s_[i_]);
    std::string shown = u >= 0x20 && u < 0x7f ? std::string(1, s_[i_]) : "\\x" + std::string(1, "0123456789abcdef"[u >> 4]) + "0123456789abcdef"[u & 15];
    fail("unexpected character '" + shown + "'");
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int line_ = 1, col_ = 1;
  int depth_ = 0;
  std::vector<Open> open_;
  std::vector<Token> out_;
};

}  // namespace

bool is_keyword(std::string_view word) noexcept {
  for (auto k : keywords)
    if (k == word) return true;
  return false;
}

std::vector<Token> tokenize(std::string_view source) { return Lexer(source).run(); }

}  // namespace tessera::repl
