// Errors of the model framework, and the value-or-error type for boundaries.
//
// Inside a model, errors are exceptions: whatever a model throws becomes a TaskFailed naming the
// exception's type. At boundaries (parsing a task, a message, a URL) a function returns a
// Result<T>: the value, or an Error whose message a user can act on.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "fossa/base/result.h"

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

// The boundary vocabulary is shared with every library of Fossa (fossa/base/result.h); model code
// spells it ayeaye::Result.
using fossa::Failure;
using fossa::Result;

}  // namespace ayeaye
