#include "tools/repl/session.hpp"

#include <fcntl.h>
#include <poll.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "actors/tessera.hpp"
#include "tools/repl/parser.hpp"
#include "tools/repl/printer.hpp"
#include "tools/repl/syntax_error.hpp"

namespace tessera::repl {
namespace {

const char* const meta_commands[] = {"workers", "status", "who", "time", "help", "quit", "exit"};

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return std::string(s.substr(b, e - b));
}

std::string bytes_text(std::size_t n) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1000 && u < 4) v /= 1000, ++u;
  std::ostringstream os;
  os << std::setprecision(u == 0 ? 0 : 1) << std::fixed << v << " " << units[u];
  return os.str();
}

/// "Kind: message" unless the message names its kind already.
std::string with_kind(const std::string& kind, const std::string& what) {
  auto colon = what.find(':');
  if (colon != std::string::npos && colon < 40) {
    std::string head = what.substr(0, colon);
    if (head.size() > 5 && (head.ends_with("Error") || head == "KeyboardInterrupt") &&
        head.find(' ') == std::string::npos)
      return what;
  }
  return kind + ": " + what;
}

}  // namespace

std::string Session::banner() const {
  std::string s = "Tessera REPL: connected to " + in_.cluster().scheduler_address + "\n";
  s += "Dashboard: " + (in_.cluster().dashboard.empty() ? std::string("(none)") : in_.cluster().dashboard) + "\n";
  s += "Names: array (da), bag (db), dataframe (dd), delayed, client. %help lists every verb; %quit leaves.";
  return s;
}

void Session::print_error(std::string_view source, const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const SyntaxError& x) {
    err_ << format_syntax_error(source, x) << std::endl;
  } catch (const Interrupted& x) {
    err_ << x.what() << std::endl;
  } catch (const TaskError& x) {
    err_ << "TaskError: task " << x.key() << " (" << x.function() << ") failed: " << x.original_message() << std::endl;
  } catch (const CancelledError& x) {
    err_ << with_kind("CancelledError", x.what()) << std::endl;
  } catch (const TimeoutError& x) {
    err_ << with_kind("TimeoutError", x.what()) << std::endl;
  } catch (const TypeError& x) {
    err_ << with_kind("TypeError", x.what()) << std::endl;
  } catch (const KeyError& x) {
    err_ << with_kind("KeyError", x.what()) << std::endl;
  } catch (const ValueError& x) {
    err_ << with_kind("ValueError", x.what()) << std::endl;
  } catch (const std::exception& x) {
    err_ << with_kind("Error", x.what()) << std::endl;
  } catch (...) {
    err_ << "Error: unknown exception" << std::endl;
  }
}

Session::Result Session::run_chunk(std::string_view source, int first_line, std::string_view whole, bool interactive) {
  std::vector<Statement> program;
  try {
    program = parse_program(source);
  } catch (const SyntaxError& e) {
    if (interactive && e.incomplete()) return Result::incomplete;
    print_error(whole, std::make_exception_ptr(SyntaxError(e.message(), e.line() + first_line - 1, e.column())));
    return Result::error;
  }
  for (const auto& s : program) {
    try {
      auto v = in_.execute(s);
      if (v && s.kind == StatementKind::expression) {
        std::string text = render(*v);
        if (!text.empty()) out_ << text << std::endl;
      }
    } catch (...) {
      print_error(whole, std::current_exception());
      return Result::error;
    }
  }
  return Result::ok;
}

Session::Result Session::run_input(std::string_view source) {
  std::string t = trim(source);
  if (!t.empty() && t[0] == '%' && t.find('\n') == std::string::npos) return meta(t);
  return run_chunk(source, 1, source, true);
}

bool Session::run_script(std::string_view source) {
  interrupt_requested().store(false);
  // Meta lines run alone; the lines between them are parsed together
  // (brackets may span lines), their line numbers kept for errors.
  std::size_t pos = 0;
  int line = 1;
  std::size_t chunk_start = 0;
  int chunk_line = 1;
  auto flush = [&](std::size_t end) -> bool {
    if (end > chunk_start) {
      auto r = run_chunk(source.substr(chunk_start, end - chunk_start), chunk_line, source, false);
      if (r == Result::error) return false;
    }
    return true;
  };
  while (pos <= source.size()) {
    auto nl = source.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? source.size() : nl;
    std::string t = trim(source.substr(pos, end - pos));
    if (!t.empty() && t[0] == '%') {
      if (!flush(pos)) return false;
      auto r = meta(t);
      if (r == Result::error) return false;
      if (r == Result::quit) return true;
      chunk_start = end + 1;
      chunk_line = line + 1;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
    ++line;
  }
  return flush(source.size());
}

Session::Result Session::meta(std::string_view text) {
  std::string line = trim(text.substr(1));
  std::string cmd = line.substr(0, line.find_first_of(" \t"));
  std::string arg = line.size() > cmd.size() ? trim(line.substr(cmd.size())) : "";
  try {
    if (cmd == "quit" || cmd == "exit") return Result::quit;
    if (cmd == "workers") return workers(), Result::ok;
    if (cmd == "status") return status(), Result::ok;
    if (cmd == "who") return who(), Result::ok;
    if (cmd == "help") return help(arg), Result::ok;
    if (cmd == "time") {
      if (arg.empty()) throw ValueError("%time needs a statement: %time x.sum().compute()");
      auto t0 = std::chrono::steady_clock::now();
      auto r = run_chunk(arg, 1, arg, false);
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      std::ostringstream os;
      os << std::fixed << std::setprecision(ms < 10 ? 2 : 1) << ms;
      out_ << "Wall time: " << os.str() << " ms" << std::endl;
      return r;
    }
    std::vector<std::string> known(std::begin(meta_commands), std::end(meta_commands));
    throw KeyError("unknown command %" + cmd + "." + did_you_mean(nearest_names(cmd, known)) +
                   " Commands: %workers %status %who %time %help %quit");
  } catch (...) {
    print_error(text, std::current_exception());
    return Result::error;
  }
}

void Session::workers() {
  auto info = in_.client().scheduler_info();
  std::size_t w = 4;
  for (const auto& x : info.workers) w = std::max(w, x.name.size());
  out_ << std::left << std::setw(static_cast<int>(w)) << "name" << "  threads  processing  in memory  bytes" << std::endl;
  for (const auto& x : info.workers)
    out_ << std::left << std::setw(static_cast<int>(w)) << x.name << std::right << "  " << std::setw(7) << x.nthreads
         << "  " << std::setw(10) << x.processing << "  " << std::setw(9) << x.keys_in_memory << "  "
         << bytes_text(x.bytes_in_memory) << std::endl;
  out_ << info.workers.size() << " worker" << (info.workers.size() == 1 ? "" : "s") << std::endl;
}

void Session::status() {
  auto info = in_.client().scheduler_info();
  std::size_t threads = 0, bytes = 0;
  for (const auto& w : info.workers) threads += w.nthreads, bytes += w.bytes_in_memory;
  out_ << "scheduler:  " << in_.cluster().scheduler_address << "\n"
       << "dashboard:  " << (in_.cluster().dashboard.empty() ? std::string("(none)") : in_.cluster().dashboard) << "\n"
       << "workers:    " << info.workers.size() << " (" << threads << " threads, " << bytes_text(bytes)
       << " in memory)\n"
       << "tasks:      " << info.tasks_total << " total: " << info.tasks_waiting << " waiting, " << info.tasks_queued
       << " queued, " << info.tasks_processing << " processing, " << info.tasks_memory << " in memory, "
       << info.tasks_erred << " erred, " << info.tasks_released << " released" << std::endl;
}

void Session::who() {
  const auto& g = in_.globals();
  if (g.empty()) {
    out_ << "(no names yet)" << std::endl;
    return;
  }
  std::size_t w = 0, t = 0;
  for (const auto& [k, v] : g) w = std::max(w, k.size()), t = std::max(t, type_name(v).size());
  for (const auto& [k, v] : g) {
    std::string r = render_inline(v);
    auto nl = r.find('\n');
    if (nl != std::string::npos) r = r.substr(0, nl) + " ...";
    if (r.size() > 60) r = r.substr(0, 57) + "...";
    out_ << std::left << std::setw(static_cast<int>(w)) << k << "  " << std::setw(static_cast<int>(t)) << type_name(v)
         << "  " << r << std::endl;
  }
}

void Session::help(const std::string& name) {
  auto print_namespace = [&](const Namespace& ns, const std::string& shown) {
    out_ << shown << ": " << ns.doc() << std::endl;
    for (const auto& [k, v] : ns.members()) {
      if (auto* f = v.as<FunctionObject>()) out_ << "  " << shown << "." << f->method().signature.text << std::endl;
      else if (auto* sub = v.as<Namespace>()) {
        for (const auto& [k2, v2] : sub->members())
          if (auto* f2 = v2.as<FunctionObject>())
            out_ << "  " << shown << "." << k << "." << f2->method().signature.text << std::endl;
      }
    }
  };
  auto print_type = [&](const TypeInfo& t) {
    out_ << t.name << ": " << t.doc << std::endl;
    for (const auto& [k, m] : t.methods)
      out_ << "  ." << m.signature.text << (m.property ? "  (attribute)" : "") << "  " << m.doc << std::endl;
  };
  if (name.empty()) {
    out_ << "Tessera REPL: Python-flavoured expressions over Dask's collections, run on the cluster.\n"
            "  x = da.arange(0, 1000, chunks=100); (x * 2 + 1).sum().compute()\n"
            "  b = db.from_sequence(range(10), npartitions=2); b.filter(lambda n: n % 2 == 0).map(lambda n: n * 10).compute()\n"
            "  df = dd.read_csv('data-*.csv'); df[df.x > 0].groupby(df.name).x.mean().compute()\n"
            "Numbers, strings, lists, tuples, dicts, keyword arguments, method chains, x[0:10, ::2], df['x'],\n"
            "arithmetic, comparisons, and/or/not, lambdas (they run on the workers), [f(i) for i in xs].\n"
            "Meta commands: %workers  %status  %who  %time STATEMENT  %help [NAME]  %quit\n"
            "Ctrl-C cancels a running computation. %help NAME shows a namespace, a type, a function or a name's methods.\n"
         << std::endl;
    for (const char* ns : {"array", "bag", "dataframe"}) print_namespace(*in_.builtins().at(ns).as<Namespace>(), ns);
    out_ << "delayed: dask.delayed and friends" << std::endl;
    for (const char* f : {"delayed", "compute", "Client", "LocalCluster"})
      out_ << "  " << in_.builtins().at(f).as<FunctionObject>()->method().signature.text << std::endl;
    out_ << "builtins:";
    for (const auto& [k, v] : in_.builtins().at("builtins").as<Namespace>()->members()) out_ << " " << k;
    out_ << "\nTypes (%help TYPE lists the methods):";
    for (const auto* t : Interpreter::types()) out_ << " " << t->name;
    out_ << std::endl;
    return;
  }
  for (const auto* t : Interpreter::types()) {
    auto last = t->name.substr(t->name.rfind('.') + 1);
    if (t->name == name || last == name) return print_type(*t);
  }
  // A name or a dotted path: evaluate it (no calls are made).
  RValue v;
  try {
    auto node = parse_expression(name);
    v = in_.eval(*node);
  } catch (const std::exception&) {
    std::vector<std::string> names = in_.known_names();
    for (const auto* t : Interpreter::types()) names.push_back(t->name.substr(t->name.rfind('.') + 1));
    throw KeyError("%help: nothing called '" + name + "'." + did_you_mean(nearest_names(name, names)));
  }
  if (auto* ns = v.as<Namespace>()) return print_namespace(*ns, name);
  if (auto* f = v.as<FunctionObject>()) {
    out_ << f->method().signature.text << "\n  " << f->method().doc << std::endl;
    return;
  }
  if (v.obj && !v.obj->type().methods.empty()) return print_type(v.obj->type());
  out_ << name << ": " << type_name(v) << " " << render_inline(v) << std::endl;
}

// ---- the interactive loop ----
//
// Readline runs in callback mode and never reads the terminal itself: this
// loop reads what the terminal has into `g_input` and readline takes it from
// there (rl_getc_function). Readline's own read blocks until a byte comes,
// and Ctrl-C flushes the terminal's input queue as it raises SIGINT: when
// the flush lands between poll() saying "readable" and that read, the read
// blocked with nothing left to read and the SIGINT already handled, so the
// REPL hung at the prompt with echo off (the pty test's rare failure). Here
// 1. poll() the terminal, 100 ms at a time, checking for Ctrl-C between polls;
// 2. read what is there without blocking (O_NONBLOCK for that read only);
// 3. hand readline the bytes; if it wants more in the middle of a key
//    sequence, wait for them as in 1-2, and give it Ctrl-G (abort) on Ctrl-C.

namespace {

std::optional<std::string> g_line;  // the line readline finished
bool g_eof = false;
std::string g_input;         // bytes read from the terminal, not given to readline yet
std::size_t g_input_pos = 0;
bool g_input_eof = false;    // the terminal is closed

void on_line(char* line) {
  if (!line) {
    g_eof = true;
  } else {
    g_line = line;
    std::free(line);
  }
  rl_callback_handler_remove();
}

void on_sigint(int) { interrupt_requested().store(true); }

bool input_pending() { return g_input_pos < g_input.size(); }

/// Steps 1-2: waits up to `timeout_ms` for the terminal and appends what it has to g_input.
void read_terminal(int timeout_ms) {
  pollfd p{STDIN_FILENO, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) <= 0) return;  // nothing, or EINTR (Ctrl-C): the caller looks at the flag
  int flags = ::fcntl(STDIN_FILENO, F_GETFL);
  if (flags >= 0) ::fcntl(STDIN_FILENO, F_SETFL, flags | O_NONBLOCK);
  char buf[4096];
  ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
  int err = errno;
  if (flags >= 0) ::fcntl(STDIN_FILENO, F_SETFL, flags);
  if (g_input_pos == g_input.size()) g_input.clear(), g_input_pos = 0;
  if (n > 0) g_input.append(buf, static_cast<std::size_t>(n));
  else if (n == 0 || (err != EAGAIN && err != EWOULDBLOCK && err != EINTR)) g_input_eof = true;
}

/// Step 3: readline's rl_getc_function.
int next_input_char(FILE*) {
  while (!input_pending()) {
    if (g_input_eof) return EOF;
    if (interrupt_requested().load()) return 7;  // Ctrl-G: readline aborts the key sequence
    read_terminal(100);
  }
  return static_cast<unsigned char>(g_input[g_input_pos++]);
}

int input_available() { return input_pending() ? 1 : 0; }

/// Reads one line with `prompt`; nullopt at end of input; "\x03" on Ctrl-C.
std::optional<std::string> read_line(const char* prompt) {
  g_line.reset();
  g_eof = false;
  rl_callback_handler_install(prompt, on_line);
  for (;;) {
    if (interrupt_requested().exchange(false)) {
      rl_free_line_state();
      rl_callback_sigcleanup();
      rl_callback_handler_remove();
      g_input.clear(), g_input_pos = 0;  // what was typed before Ctrl-C goes, as the terminal's own queue
      std::fputs("\nKeyboardInterrupt\n", stdout);
      std::fflush(stdout);
      return std::string("\x03");
    }
    if (!input_pending() && !g_input_eof) {
      read_terminal(100);
      continue;
    }
    rl_callback_read_char();
    if (interrupt_requested().load()) continue;  // Ctrl-C while readline ran: drop the line
    if (g_line) {
      interrupt_requested().store(false);  // a Ctrl-C from now on stops this line's computation
      return g_line;
    }
    if (g_eof) return std::nullopt;
  }
}

}  // namespace

int Session::interactive() {
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  struct sigaction old {};
  sigaction(SIGINT, &sa, &old);
  rl_catch_signals = 0;
  rl_catch_sigwinch = 1;
  rl_getc_function = next_input_char;        // readline never blocks in read() (see read_line)
  rl_input_available_hook = input_available;  // its type-ahead looks at g_input
  const char* hist_env = std::getenv("TESSERA_REPL_HISTORY");
  std::string hist;
  if (hist_env) hist = hist_env;
  else if (const char* home = std::getenv("HOME")) hist = std::string(home) + "/.tessera_history";
  if (!hist.empty()) read_history(hist.c_str());

  out_ << banner() << std::endl;
  std::string buffer;
  for (;;) {
    auto line = read_line(buffer.empty() ? ">>> " : "... ");
    if (!line) {
      out_ << std::endl;
      break;
    }
    if (*line == "\x03") {
      buffer.clear();
      continue;
    }
    buffer += buffer.empty() ? *line : "\n" + *line;
    if (trim(buffer).empty()) {
      buffer.clear();
      continue;
    }
    auto r = run_input(buffer);
    if (r == Result::incomplete) continue;
    if (!trim(buffer).empty()) add_history(buffer.c_str());
    buffer.clear();
    if (r == Result::quit) break;
  }
  if (!hist.empty()) write_history(hist.c_str());
  sigaction(SIGINT, &old, nullptr);
  return 0;
}

}  // namespace tessera::repl
