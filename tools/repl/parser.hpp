#pragma once
// The REPL language's parser: a Python-flavoured expression language.
//
//   statements := statement ((';' | newline) statement)*
//   statement  := NAME (',' NAME)* ('=' | '+=' | ...) expr | import ... | expr
//   expr       := lambda params ':' expr | or_expr ['if' or_expr 'else' expr]
//   or / and / not / comparison (< > == != <= >= in, not in, is, is not, chained)
//   | ^ & + - * / // % unary(- + ~) ** primary
//   primary    := atom ('.' NAME | '(' args ')' | '[' subscripts ']')*
//   atom       := number | string+ | NAME | None | True | False | '...'
//               | '(' expr ')' | tuple | list | list comprehension | dict
//
// Throws SyntaxError with the line and column. Nesting is bounded (deep
// input gives an error, never a stack overflow).
#include <string_view>
#include <vector>

#include "tools/repl/ast.hpp"

namespace tessera::repl {

/// Every statement of `source`.
std::vector<Statement> parse_program(std::string_view source);

/// One expression (the whole of `source`).
NodePtr parse_expression(std::string_view source);

}  // namespace tessera::repl
