#include "tools/repl/parser.hpp"

#include "tools/repl/lexer.hpp"
#include "tools/repl/syntax_error.hpp"

namespace tessera::repl {
namespace {

constexpr int max_depth = 200;

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  std::vector<Statement> program() {
    std::vector<Statement> out;
    for (;;) {
      while (peek().kind == TokenKind::newline) ++i_;
      if (peek().kind == TokenKind::end) break;
      statement(out);
      if (peek().kind != TokenKind::newline && peek().kind != TokenKind::end)
        fail_at(peek(), "expected the end of the statement, got " + describe(peek()));
    }
    return out;
  }

  NodePtr whole_expression() {
    while (peek().kind == TokenKind::newline) ++i_;
    auto e = expr();
    while (peek().kind == TokenKind::newline) ++i_;
    if (peek().kind != TokenKind::end) fail_at(peek(), "unexpected " + describe(peek()));
    return e;
  }

 private:
  // ---- tokens ----
  const Token& peek(std::size_t ahead = 0) const {
    std::size_t j = i_ + ahead;
    return j < t_.size() ? t_[j] : t_.back();
  }
  const Token& next() {
    const Token& t = peek();
    if (i_ < t_.size() - 1) ++i_;
    return t;
  }
  bool is_op(std::string_view op, std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == TokenKind::op && t.text == op;
  }
  bool is_kw(std::string_view kw, std::size_t ahead = 0) const {
    const Token& t = peek(ahead);
    return t.kind == TokenKind::keyword && t.text == kw;
  }
  bool accept_op(std::string_view op) {
    if (!is_op(op)) return false;
    ++i_;
    return true;
  }
  bool accept_kw(std::string_view kw) {
    if (!is_kw(kw)) return false;
    ++i_;
    return true;
  }
  void expect_op(std::string_view op, std::string_view what) {
    if (!accept_op(op)) fail_at(peek(), "expected '" + std::string(op) + "' " + std::string(what) + ", got " + describe(peek()));
  }
  static std::string describe(const Token& t) {
    switch (t.kind) {
      case TokenKind::end: return "the end of the input";
      case TokenKind::newline: return t.text == ";" ? "';'" : "the end of the line";
      case TokenKind::string: return "a string";
      case TokenKind::integer:
      case TokenKind::floating: return "the number " + t.text;
      default: return "'" + t.text + "'";
    }
  }
  [[noreturn]] void fail_at(const Token& t, const std::string& message) {
    throw SyntaxError(message, t.line, t.column);
  }
  std::string expect_name(std::string_view what) {
    if (peek().kind != TokenKind::name) fail_at(peek(), "expected " + std::string(what) + ", got " + describe(peek()));
    return next().text;
  }

  NodePtr make(NodeKind k, const Token& at) {
    auto n = std::make_shared<Node>();
    n->kind = k;
    n->line = at.line;
    n->column = at.column;
    return n;
  }
  std::shared_ptr<Node> mk(NodeKind k, const Token& at) { return std::const_pointer_cast<Node>(make(k, at)); }

  struct DepthGuard {
    Parser& p;
    DepthGuard(Parser& parser, const Token& at) : p(parser) {
      if (++p.depth_ > max_depth) p.fail_at(at, "expression nested too deeply (more than 200 levels)");
    }
    ~DepthGuard() { --p.depth_; }
  };

  // ---- statements ----
  void statement(std::vector<Statement>& out) {
    const Token& start = peek();
    if (is_kw("import")) {
      ++i_;
      do {
        Statement s;
        s.kind = StatementKind::import;
        s.line = start.line;
        s.column = start.column;
        s.module = dotted_name();
        std::string bound = s.module.substr(0, s.module.find('.'));
        if (accept_kw("as")) bound = expect_name("a name after 'as'");
        s.targets = {bound};
        out.push_back(std::move(s));
      } while (accept_op(","));
      return;
    }
    if (is_kw("from")) {
      ++i_;
      std::string module = dotted_name();
      if (!accept_kw("import")) fail_at(peek(), "expected 'import' after 'from " + module + "'");
      do {
        Statement s;
        s.kind = StatementKind::import;
        s.line = start.line;
        s.column = start.column;
        std::string name = expect_name("a name to import");
        s.module = module + "." + name;
        if (accept_kw("as")) name = expect_name("a name after 'as'");
        s.targets = {name};
        out.push_back(std::move(s));
      } while (accept_op(","));
      return;
    }
    // NAME (',' NAME)* '=' ...: look ahead without consuming.
    std::size_t j = 0;
    std::vector<std::string> targets;
    while (peek(j).kind == TokenKind::name) {
      targets.push_back(peek(j).text);
      if (is_op(",", j + 1)) {
        j += 2;
        continue;
      }
      ++j;
      break;
    }
    static constexpr std::string_view assign_ops[] = {"=", "+=", "-=", "*=", "/=", "//=", "**="};
    if (!targets.empty() && peek(j).kind == TokenKind::op && !(targets.size() > 1 && is_op(",", j - 1))) {
      for (auto op : assign_ops) {
        if (peek(j).text != op) continue;
        if (targets.size() > 1 && op != "=") fail_at(peek(j), "'" + std::string(op) + "' takes one target");
        i_ += j + 1;
        Statement s;
        s.kind = StatementKind::assign;
        s.line = start.line;
        s.column = start.column;
        s.targets = std::move(targets);
        s.op = std::string(op);
        s.value = expr_list();
        out.push_back(std::move(s));
        return;
      }
    }
    Statement s;
    s.line = start.line;
    s.column = start.column;
    s.value = expr_list();
    if (is_op("=")) fail_at(peek(), "cannot assign to this expression (only to names: x = ...)");
    out.push_back(std::move(s));
  }

  std::string dotted_name() {
    std::string name = expect_name("a module name");
    while (accept_op(".")) name += "." + expect_name("a module name after '.'");
    return name;
  }

  /// expr (',' expr)* [','] as a tuple when there is a comma.
  NodePtr expr_list() {
    const Token& start = peek();
    auto first = expr();
    if (!is_op(",")) return first;
    auto t = mk(NodeKind::tuple, start);
    t->kids.push_back(first);
    while (accept_op(",")) {
      if (at_expr_end()) break;
      t->kids.push_back(expr());
    }
    return t;
  }
  bool at_expr_end() const {
    const Token& t = peek();
    return t.kind == TokenKind::newline || t.kind == TokenKind::end ||
           (t.kind == TokenKind::op && (t.text == ")" || t.text == "]" || t.text == "}" || t.text == "=" || t.text == ":"));
  }

  // ---- expressions ----
  NodePtr expr() {
    DepthGuard g(*this, peek());
    if (is_kw("lambda")) return lambda();
    auto value = or_expr();
    if (is_kw("if")) {
      const Token& at = next();
      auto cond = or_expr();
      if (!accept_kw("else")) fail_at(peek(), "expected 'else' in 'x if c else y', got " + describe(peek()));
      auto n = mk(NodeKind::if_else, at);
      n->kids = {value, cond, expr()};
      return n;
    }
    return value;
  }

  NodePtr lambda() {
    const Token& at = next();
    auto n = mk(NodeKind::lambda, at);
    if (!is_op(":")) {
      do {
        std::string p = expect_name("a parameter name");
        for (const auto& q : n->names)
          if (q == p) fail_at(t_[i_ - 1], "duplicate parameter '" + p + "'");
        n->names.push_back(p);
      } while (accept_op(","));
    }
    expect_op(":", "after the lambda's parameters");
    n->kids.push_back(expr());
    return n;
  }

  NodePtr or_expr() {
    auto left = and_expr();
    while (is_kw("or")) {
      const Token& at = next();
      auto n = mk(NodeKind::or_, at);
      n->kids = {left, and_expr()};
      left = n;
    }
    return left;
  }
  NodePtr and_expr() {
    auto left = not_expr();
    while (is_kw("and")) {
      const Token& at = next();
      auto n = mk(NodeKind::and_, at);
      n->kids = {left, not_expr()};
      left = n;
    }
    return left;
  }
  NodePtr not_expr() {
    if (is_kw("not")) {
      DepthGuard g(*this, peek());
      const Token& at = next();
      auto n = mk(NodeKind::unary, at);
      n->text = "not";
      n->kids = {not_expr()};
      return n;
    }
    return comparison();
  }
  NodePtr comparison() {
    const Token& start = peek();
    auto first = bit_or();
    std::shared_ptr<Node> n;
    for (;;) {
      std::string op;
      const Token& t = peek();
      if (t.kind == TokenKind::op && (t.text == "<" || t.text == ">" || t.text == "==" || t.text == "!=" ||
                                      t.text == "<=" || t.text == ">=")) {
        op = t.text;
        ++i_;
      } else if (is_kw("in")) {
        op = "in";
        ++i_;
      } else if (is_kw("not") && is_kw("in", 1)) {
        op = "not in";
        i_ += 2;
      } else if (is_kw("is")) {
        ++i_;
        op = accept_kw("not") ? "is not" : "is";
      } else {
        break;
      }
      if (!n) {
        n = mk(NodeKind::compare, start);
        n->kids.push_back(first);
      }
      n->names.push_back(op);
      n->kids.push_back(bit_or());
    }
    return n ? NodePtr(n) : first;
  }

  NodePtr binary_level(int level) {
    static const std::vector<std::vector<std::string_view>> levels = {
        {"|"}, {"^"}, {"&"}, {"+", "-"}, {"*", "/", "//", "%", "@"}};
    if (level == static_cast<int>(levels.size())) return unary();
    auto left = binary_level(level + 1);
    for (;;) {
      const Token& t = peek();
      bool match = false;
      if (t.kind == TokenKind::op)
        for (auto op : levels[static_cast<std::size_t>(level)]) match = match || t.text == op;
      if (!match) return left;
      ++i_;
      auto n = mk(NodeKind::binary, t);
      n->text = t.text;
      n->kids = {left, binary_level(level + 1)};
      left = n;
    }
  }
  NodePtr bit_or() { return binary_level(0); }

  NodePtr unary() {
    const Token& t = peek();
    if (t.kind == TokenKind::op && (t.text == "-" || t.text == "+" || t.text == "~")) {
      DepthGuard g(*this, t);
      ++i_;
      auto n = mk(NodeKind::unary, t);
      n->text = t.text;
      n->kids = {unary()};
      return n;
    }
    return power();
  }
  NodePtr power() {
    auto base = primary();
    if (is_op("**")) {
      DepthGuard g(*this, peek());
      const Token& at = next();
      auto n = mk(NodeKind::binary, at);
      n->text = "**";
      n->kids = {base, unary()};  // right-associative; -x binds looser on the left only
      return n;
    }
    return base;
  }

  NodePtr primary() {
    auto e = atom();
    int trailers = 0;
    for (;;) {
      if (++trailers > 10000) fail_at(peek(), "too many trailers");
      const Token& t = peek();
      if (is_op(".")) {
        ++i_;
        auto n = mk(NodeKind::attribute, t);
        n->text = expect_name("an attribute name after '.'");
        n->kids = {e};
        e = n;
      } else if (is_op("(")) {
        DepthGuard g(*this, t);
        ++i_;
        auto n = mk(NodeKind::call, t);
        n->kids.push_back(e);
        arguments(*n);
        e = n;
      } else if (is_op("[")) {
        DepthGuard g(*this, t);
        ++i_;
        auto n = mk(NodeKind::index, t);
        n->kids = {e, subscripts()};
        e = n;
      } else {
        return e;
      }
    }
  }

  void arguments(Node& call) {
    bool keyword_seen = false;
    while (!is_op(")")) {
      const Token& at = peek();
      if (peek().kind == TokenKind::name && is_op("=", 1)) {
        std::string name = next().text;
        ++i_;
        for (std::size_t k = 0; k < call.names.size(); ++k)
          if (call.names[k] == name) fail_at(at, "keyword argument '" + name + "' repeated");
        call.names.push_back(name);
        call.kids.push_back(expr());
        keyword_seen = true;
      } else if (is_op("*")) {
        ++i_;
        call.names.push_back("*");
        call.kids.push_back(expr());
      } else {
        if (keyword_seen) fail_at(at, "a positional argument follows a keyword argument");
        call.names.push_back("");
        call.kids.push_back(expr());
      }
      if (!accept_op(",")) break;
    }
    expect_op(")", "to close the call");
  }

  /// The inside of x[...]: one subscript, or a tuple of them.
  NodePtr subscripts() {
    const Token& start = peek();
    std::vector<NodePtr> items;
    bool comma = false;
    while (!is_op("]")) {
      items.push_back(subscript());
      if (!accept_op(",")) break;
      comma = true;
    }
    expect_op("]", "to close the subscript");
    if (items.empty()) fail_at(start, "empty subscript []");
    if (items.size() == 1 && !comma) return items[0];
    auto t = mk(NodeKind::tuple, start);
    t->kids = std::move(items);
    return t;
  }
  NodePtr subscript() {
    const Token& at = peek();
    NodePtr start;
    if (!is_op(":")) {
      start = expr();
      if (!is_op(":")) return start;
    }
    auto s = mk(NodeKind::slice, at);
    ++i_;  // ':'
    NodePtr stop, step;
    if (!is_op(":") && !is_op(",") && !is_op("]")) stop = expr();
    if (accept_op(":"))
      if (!is_op(",") && !is_op("]")) step = expr();
    s->kids = {start, stop, step};
    return s;
  }

  NodePtr atom() {
    const Token& t = peek();
    switch (t.kind) {
      case TokenKind::integer: {
        ++i_;
        auto n = mk(NodeKind::integer, t);
        n->int_value = t.int_value;
        return n;
      }
      case TokenKind::floating: {
        ++i_;
        auto n = mk(NodeKind::floating, t);
        n->float_value = t.float_value;
        return n;
      }
      case TokenKind::string: {
        auto n = mk(NodeKind::string, t);
        while (peek().kind == TokenKind::string) n->text += next().text;  // 'a' 'b' is 'ab'
        return n;
      }
      case TokenKind::name: {
        ++i_;
        auto n = mk(NodeKind::name, t);
        n->text = t.text;
        return n;
      }
      case TokenKind::keyword:
        if (t.text == "None") return ++i_, make(NodeKind::none, t);
        if (t.text == "True") return ++i_, make(NodeKind::true_, t);
        if (t.text == "False") return ++i_, make(NodeKind::false_, t);
        if (t.text == "lambda") return lambda();
        fail_at(t, "unexpected keyword '" + t.text + "'");
      case TokenKind::op:
        if (t.text == "...") return ++i_, make(NodeKind::ellipsis, t);
        if (t.text == "(") return parenthesised();
        if (t.text == "[") return list();
        if (t.text == "{") return dict();
        fail_at(t, "unexpected '" + t.text + "'");
      case TokenKind::newline:
      case TokenKind::end: fail_at(t, "expected an expression, got " + describe(t));
    }
    fail_at(t, "unexpected " + describe(t));
  }

  NodePtr parenthesised() {
    DepthGuard g(*this, peek());
    const Token& open = next();
    if (accept_op(")")) return make(NodeKind::tuple, open);
    auto first = expr();
    if (accept_op(")")) return first;
    auto t = mk(NodeKind::tuple, open);
    t->kids.push_back(first);
    while (accept_op(",")) {
      if (is_op(")")) break;
      t->kids.push_back(expr());
    }
    expect_op(")", "to close the parenthesis");
    return t;
  }

  NodePtr list() {
    DepthGuard g(*this, peek());
    const Token& open = next();
    auto n = mk(NodeKind::list, open);
    if (accept_op("]")) return n;
    auto first = expr();
    if (is_kw("for")) {
      ++i_;
      auto c = mk(NodeKind::list_comp, open);
      c->text = expect_name("a loop variable after 'for'");
      if (!accept_kw("in")) fail_at(peek(), "expected 'in' after 'for " + c->text + "'");
      c->kids = {first, or_expr()};
      if (accept_kw("if")) c->kids.push_back(or_expr());
      expect_op("]", "to close the list comprehension");
      return c;
    }
    n->kids.push_back(first);
    while (accept_op(",")) {
      if (is_op("]")) break;
      n->kids.push_back(expr());
    }
    expect_op("]", "to close the list");
    return n;
  }

  NodePtr dict() {
    DepthGuard g(*this, peek());
    const Token& open = next();
    auto n = mk(NodeKind::dict, open);
    while (!is_op("}")) {
      n->kids.push_back(expr());
      expect_op(":", "between a dict key and its value");
      n->kids.push_back(expr());
      if (!accept_op(",")) break;
    }
    expect_op("}", "to close the dict");
    return n;
  }

  std::vector<Token> t_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

std::vector<Statement> parse_program(std::string_view source) { return Parser(tokenize(source)).program(); }

NodePtr parse_expression(std::string_view source) { return Parser(tokenize(source)).whole_expression(); }

}  // namespace tessera::repl
