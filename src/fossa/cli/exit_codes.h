// The exit codes of `fossa submit`, `fossa jobs` and `fossa cancel`, one per outcome a script tells apart, and
// the rule from an answer of a node or a gateway to its code. docs/node.md lists them.
#pragma once

#include <string>

#include "cli/api_client.h"

namespace fossa::cli {

enum ExitCode : int {
  kExitComplete = 0,       // submitted (with --wait: the task complete); jobs listed; a job cancelled
  kExitFailed = 1,         // with --wait: the task failed
  kExitRefused = 2,        // bad options, or the task was refused (4xx; 503: no node with a free slot); a
                           // cancel refused (409: the job has ended; 404: no such job)
  kExitUnreachable = 3,    // the node or gateway could not be reached, or answered what is not the API
  kExitWrongPassword = 4,  // the password (or a node's token) was refused: 401, or 429 after too many
  kExitCertificate = 5,    // the gateway's certificate was refused (untrusted and not pinned, or not the pin)
};

// The codes as --help shows them.
inline constexpr const char* kSubmitExitCodes =
    "Exit codes: 0 submitted (with --wait: complete), 1 failed or cancelled, 2 refused (a bad task or option, an unknown model "
    "or cluster, no free node), 3 the node or gateway unreachable (or not Fossa), 4 wrong password (or too many "
    "tries), 5 the gateway's certificate refused (not trusted and not pinned, or not the pinned one).";
inline constexpr const char* kJobsExitCodes =
    "Exit codes: 0 listed, 2 refused (a bad option, an unknown cluster), 3 the gateway unreachable (or not Fossa), "
    "4 wrong password (or too many tries), 5 the gateway's certificate refused.";

inline constexpr const char* kCancelExitCodes =
    "Exit codes: 0 cancelled, 2 refused (the job has ended: HTTP 409; an unknown job or cluster; a bad option), 3 the "
    "node or gateway unreachable (or not Fossa), 4 wrong password (or too many tries), 5 the gateway's certificate "
    "refused.";

// For an answer that is not a success (a problem, or an HTTP status outside 2xx).
ExitCode exit_code_for_failure(const ApiAnswer& answer);

// The error message of an answer's body: {"error": {"message": ...}}, {"message": ...}, else the
// body itself (cut to a few hundred characters).
std::string message_of(const std::string& body);

}  // namespace fossa::cli
