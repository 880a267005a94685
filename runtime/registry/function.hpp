#pragma once
// Function: a callable that tasks run by name. Every function a task may call
// on a remote worker is registered (see registry.hpp); in-process clusters may
// also run local functions (lambdas), which never leave the process.
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "runtime/value/value.hpp"

namespace tessera {

struct Function {
  std::string name;       // stable name, e.g. "inc" or "array.sum_chunk"
  int arity = -1;         // number of arguments, -1 when variadic
  std::string signature;  // for help screens: "inc(int64) -> int64"
  std::string doc;
  bool registered = false;  // false: a local callable that cannot be sent to another process
  std::function<Value(std::span<const Value>)> call;
};

using FunctionPtr = std::shared_ptr<const Function>;

/// Thrown out of a function call: names the function and keeps the original message.
class FunctionFailure : public std::exception {
 public:
  FunctionFailure(std::string function, std::string message)
      : function_(std::move(function)), message_(std::move(message)),
        what_(function_ + ": " + message_) {}
  const char* what() const noexcept override { return what_.c_str(); }
  const std::string& function() const noexcept { return function_; }
  const std::string& message() const noexcept { return message_; }

 private:
  std::string function_, message_, what_;
};

/// Calls `fn` on `args`; any exception becomes a FunctionFailure naming `fn`.
Value invoke(const Function& fn, std::span<const Value> args);

}  // namespace tessera
