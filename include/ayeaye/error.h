// Errors of the model framework, and a small value-or-error type for boundaries.
//
// Inside a model, errors are exceptions: whatever a model throws becomes a TaskFailed naming the
// exception's type. At boundaries (parsing a task, a message, a URL) a function returns a
// Result<T>: the value, or an Error whose message a user can act on.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace ayeaye {

// Base of every exception the framework throws at a model author or a runtime.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A template named a resolver context key that is not set.
class MissingContextKey : public Error {
 public:
  MissingContextKey(std::string key, const std::string& message)
      : Error(message), key_(std::move(key)) {}
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// A subtask method was called with missing, unexpected or mistyped kwargs, or does not exist.
class KwargsError : public Error {
 public:
  using Error::Error;
};

// Malformed data in a dataset; the message names the file and the line.
class DataError : public Error {
 public:
  using Error::Error;
};

// The message of a failed boundary call.
struct Failure {
  std::string message;
};

// Either a T or a Failure. Deliberately tiny: ok(), value(), error().
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Failure failure) : state_(std::move(failure)) {}  // NOLINT

  static Result fail(std::string message) { return Result(Failure{std::move(message)}); }

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const std::string& error() const { return std::get<Failure>(state_).message; }

 private:
  std::variant<T, Failure> state_;
};

}  // namespace ayeaye
