#pragma once
// The REPL language's syntax tree. A Node is an expression; a Statement is
// an expression, an assignment or an import. Nodes are immutable once parsed
// and shared (a lambda keeps its body).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tessera::repl {

enum class NodeKind {
  integer,     // int_value
  floating,    // float_value
  string,      // text
  none, true_, false_,
  name,        // text
  list,        // kids: elements
  tuple,       // kids: elements
  dict,        // kids: key, value, key, value, ...
  attribute,   // kids[0].text
  index,       // kids[0][kids[1]]  (kids[1] a tuple for x[a, b])
  slice,       // kids: start, stop, step (null when omitted)
  ellipsis,    // ...
  call,        // kids[0](kids[1..]); names[i] is the keyword of kids[i + 1] ("" positional, "*" starred)
  unary,       // text: "-", "+", "~", "not"; kids[0]
  binary,      // text: "+", "-", "*", "/", "//", "%", "@", "**", "&", "|", "^"; kids[0], kids[1]
  compare,     // kids: operands; names: the operators between them ("<", "in", "not in", "is", ...)
  and_, or_,   // kids[0], kids[1] (short-circuit)
  if_else,     // kids: value, condition, otherwise
  lambda,      // names: parameters; kids[0]: body
  list_comp,   // kids: element, iterable, [condition]; text: the loop variable
};

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
  NodeKind kind = NodeKind::none;
  int line = 1, column = 1;
  std::string text;
  std::int64_t int_value = 0;
  double float_value = 0;
  std::vector<NodePtr> kids;
  std::vector<std::string> names;
};

enum class StatementKind { expression, assign, import };

struct Statement {
  StatementKind kind = StatementKind::expression;
  int line = 1, column = 1;
  /// assign: the target names (several for `a, b = ...`); import: the bound name.
  std::vector<std::string> targets;
  /// assign: "=", "+=", ...
  std::string op = "=";
  /// import: the dotted module name ("dask.array").
  std::string module;
  NodePtr value;
};

}  // namespace tessera::repl
