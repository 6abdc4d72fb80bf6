// A small value-or-error type for boundaries, shared by every library of Fossa (the model
// framework, the AWS calls, the engine, the gateway).
//
// At a boundary (parsing a task, a message, a URL, an AWS answer) a function returns a Result<T>:
// the value, or a Failure whose message a user can act on. Deliberately tiny: ok(), value(),
// error().
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace fossa {

// The message of a failed boundary call.
struct Failure {
  std::string message;
};

// Either a T or a Failure.
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

}  // namespace fossa
