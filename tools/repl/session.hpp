#pragma once
// A REPL session: runs input (statements and %meta lines) through the
// interpreter and prints each expression statement's value, or the error:
// a syntax error with the line and a caret, an unknown name with the
// nearest known ones, a task's error with its key and message. Nothing a
// user types ends the session except %quit (and end of input).
//
//   Session s(interpreter, std::cout, std::cerr);
//   bool ok = s.run_script("x = da.arange(10); x.sum().compute()");   // prints 45
//
// Scripts (-c, FILE) stop at the first error; the interactive loop
// (readline, history, multi-line input, Ctrl-C) goes on.
#include <iosfwd>
#include <string>
#include <string_view>

#include "tools/repl/interpreter.hpp"

namespace tessera::repl {

class Session {
 public:
  /// print() in `in` writes to `out` from now on.
  Session(Interpreter& in, std::ostream& out, std::ostream& err) : in_(in), out_(out), err_(err) { in.set_output(&out); }

  enum class Result { ok, error, incomplete, quit };

  /// Runs `source` (statements separated by ';' or newlines, and %meta
  /// lines). Scripts stop at the first error; returns false on one.
  bool run_script(std::string_view source);
  /// Runs one interactive input. `incomplete`: an open bracket or string,
  /// or an expression cut short; the caller reads another line and retries.
  Result run_input(std::string_view source);
  /// The readline loop on the terminal; returns the exit status.
  int interactive();

  /// The banner: what it is connected to and the dashboard's address.
  std::string banner() const;

 private:
  Result run_chunk(std::string_view source, int first_line, std::string_view whole, bool interactive);
  Result meta(std::string_view line);
  void print_error(std::string_view source, const std::exception_ptr& e);
  void help(const std::string& name);
  void status();
  void workers();
  void who();

  Interpreter& in_;
  std::ostream& out_;
  std::ostream& err_;
};

}  // namespace tessera::repl
