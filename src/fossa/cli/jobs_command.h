// `fossa jobs --gateway URL [--cluster C]`: the recent and running jobs of a gateway's cluster, as
// a table a person reads (GET /api/clusters/<c>/jobs).
#pragma once

#include <string>

#include "ayeaye/json.h"
#include "cli/gateway_connection.h"

namespace fossa::cli {

// The table of GET .../jobs's {"jobs": [...]}: job, node, model, status, started (UTC), how long
// it ran (so far), subtask progress. A missing or odd field shows as "-"; nothing raw.
std::string jobs_table(const ayeaye::Json& answer);

// Exit codes as `fossa submit`'s (cli/exit_codes.h): 0 listed.
int jobs_command(const GatewayOptions& options);

}  // namespace fossa::cli
