#pragma once
// The exceptions Tessera raises at its API boundaries. Each names what went
// wrong and to what (a key, a function, an argument), so a user can act on it.
#include <stdexcept>
#include <string>

namespace tessera {

/// Base of every Tessera exception.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A value of the wrong kind, or a function called with the wrong argument types.
class TypeError : public Error {
 public:
  using Error::Error;
};

/// An argument that has the right type but a bad value.
class ValueError : public Error {
 public:
  using Error::Error;
};

/// A key, a function name or a dataset name that is not known.
class KeyError : public Error {
 public:
  using Error::Error;
};

/// A task raised an exception: carries the task's key, the function it ran
/// and the original message.
class TaskError : public Error {
 public:
  TaskError(std::string key, std::string function, std::string message)
      : Error("task " + key + " (" + function + ") failed: " + message),
        key_(std::move(key)), function_(std::move(function)), message_(std::move(message)) {}
  const std::string& key() const noexcept { return key_; }
  const std::string& function() const noexcept { return function_; }
  const std::string& original_message() const noexcept { return message_; }

 private:
  std::string key_, function_, message_;
};

/// A task was running on too many workers that died (see allowed_failures).
class KilledWorker : public Error {
 public:
  using Error::Error;
};

/// The computation behind a future was cancelled.
class CancelledError : public Error {
 public:
  using Error::Error;
};

/// A wait ran past its deadline.
class TimeoutError : public Error {
 public:
  using Error::Error;
};

}  // namespace tessera
