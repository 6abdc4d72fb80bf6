// How the gateway calls a worker node's API: a deadline for the whole answer, a size cap, the
// nodes' token (FOSSA_API_TOKEN) as a Bearer header. Callers pass only addresses that are tasks of
// the cluster named in the request (Discovery), never one taken from the request itself.
// Blocking; callable from any thread.
#pragma once

#include <string>
#include <vector>

#include "ayeaye/error.h"
#include "ayeaye/json.h"

namespace fossa::gateway {

struct NodeCalls {
  long timeout_ms = 5000;
  std::size_t max_bytes = 4 << 20;
  std::string api_token;
};

// A node's answer to one call: its HTTP status and JSON body, or why there was none.
struct NodeAnswer {
  long status = 0;      // 0: no answer (see error)
  ayeaye::Json body;    // null when the body was not JSON
  std::string error;    // the call failed: unreachable, too slow, too large (naming the flag)
  bool answered() const { return error.empty(); }
};

// The message of a node's error body ({"error": {"message": ...}} or {"message": ...}), else "".
std::string node_error_message(const ayeaye::Json& body);

// GET /api/0.01/node_info, as it came.
NodeAnswer get_node_info(const std::string& address, const NodeCalls& calls);

// Why `answer` (of the node at `address`) holds no node_info document, or "" when it does: which
// limit it passed, that it refused the gateway's token (FOSSA_API_TOKEN), its HTTP status.
std::string node_info_problem(const std::string& address, const NodeAnswer& answer);
bool refused_token(const NodeAnswer& answer);

// GET /api/0.01/node_info; an error says why not, as node_info_problem.
ayeaye::Result<ayeaye::Json> fetch_node_info(const std::string& address, const NodeCalls& calls);

// GET /api/0.01/task/<id>, with ?wait=<wait_seconds> when above 0 (the call's deadline grows by it).
// `task_id` must pass net::valid_task_id (net/task_id.h); the path is sent as it is, never resolved.
NodeAnswer get_task(const std::string& address, const std::string& task_id, double wait_seconds, const NodeCalls& calls);

// POST /api/0.01/task/<id>/cancel (no body); `task_id` as for get_task.
NodeAnswer cancel_task(const std::string& address, const std::string& task_id, const NodeCalls& calls);
// The same, to a node that does not run the task: ?pool=<pool_id> asks it to tell every node of
// ours, through the broker, to stop the subtasks of that run of the task (docs/node.md, "Cancel").
NodeAnswer cancel_task_elsewhere(const std::string& address, const std::string& task_id, const std::string& pool_id,
                                 const NodeCalls& calls);

// The documents of subtasks <task_id>.0 to <task_id>.<count - 1> of the task on `address`, those
// the node answered for, in index order; 16 calls at once.
std::vector<ayeaye::Json> get_subtask_documents(const std::string& address, const std::string& task_id, int count,
                                                const NodeCalls& calls);

// POST /api/0.01/task with `body` (JSON text).
NodeAnswer post_task(const std::string& address, const std::string& body, const NodeCalls& calls);

}  // namespace fossa::gateway
