// `fossa cancel JOB [--gateway URL | --node URL]`: stops a running job — its parent task and every
// subtask of it on every node — through the gateway (DELETE /api/clusters/<c>/jobs/<id>) or the
// node that runs it (DELETE /api/0.01/task/<id>), then follows its document until it says
// "cancelled". The API is chosen as `fossa submit` chooses it (cli/task_api.h).
#pragma once

#include <string>

#include "cli/gateway_connection.h"

namespace fossa::cli {

struct CancelOptions {
  std::string job_id;
  std::string node_url;
  GatewayOptions gateway;
};

// Exit codes as `fossa submit`'s (cli/exit_codes.h): 0 cancelled; 2 also when the job has ended
// (HTTP 409) or is unknown.
int cancel_command(const CancelOptions& options);

}  // namespace fossa::cli
