// Response: what came back for one Request — an HTTP answer (status, headers, body), or why there
// was none, as a kind a caller can act on (Failure) and words for a person. A plain value.
#pragma once

#include <string>
#include <string_view>

#include "http_client/request.h"

namespace fossa::http_client {

enum class Failure {
  kNone,           // an answer came: status, headers and body
  kBadRequest,     // not sent: request_problem() said why
  kCannotConnect,  // no connection: the name did not resolve, or the address refused or did not answer
  kTimedOut,       // the whole exchange (or the connection) passed its deadline
  kTooLarge,       // the body passed max_answer_bytes (reading stopped there)
  kCertificate,    // the server's certificate was refused (by libcurl's checks or the TLS hook's)
  kBroken,         // anything else: a broken answer, a TLS handshake that failed, a dropped connection
};

struct Response {
  int status = 0;  // 0 unless an answer came
  Headers headers;  // the final answer's, in order (not a 100 Continue's before it)
  std::string body;
  Failure failure = Failure::kNone;
  std::string error;  // with a failure: what happened, for a person (libcurl's words, or ours)
  bool reused_connection = false;  // sent on a connection kept open from an earlier request (Client)

  bool answered() const { return failure == Failure::kNone; }
  bool timed_out() const { return failure == Failure::kTimedOut; }
  bool too_large() const { return failure == Failure::kTooLarge; }
  // The value of the first header called `name` (any case), or "".
  std::string header(std::string_view name) const;
};

// Takes one header line of an answer as it arrives ("Name: value\r\n"). A status line ("HTTP/...")
// starts an answer, forgetting the headers of any before it (a 100 Continue); the blank line and
// lines without a colon are skipped; surrounding blanks go.
void take_header_line(std::string_view line, Headers& headers);

}  // namespace fossa::http_client
