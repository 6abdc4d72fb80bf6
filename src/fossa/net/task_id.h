// Task and job ids as they travel in paths: a node's task ids, the gateway's job ids (a node's,
// or its own "held-…"), subtask ids "<parent>.<i>". Every id a program takes from another over
// the network — a POST's `task_id`, a node_info listing, a document's `task_id` or
// `failure_origin_task_id` — is checked with valid_task_id before it reaches a URL, a header or a
// page: the other side is not trusted to give ids (a node's id with CR LF split the gateway's
// answer, issue 22).
#pragma once

#include <string>
#include <string_view>

namespace fossa::net {

// What valid_task_id accepts, for messages.
inline constexpr const char* kTaskIdRule = "1 to 128 letters, digits, '.', '_' or '-', and not only dots";

// 1 to 128 of [A-Za-z0-9._-], not only dots ("." and ".." would climb a URL's path).
bool valid_task_id(std::string_view id);

// `id` as a message may quote it: JSON-escaped (no control character gets through), in quotes,
// cut at 80 characters.
std::string quoted_id(std::string_view id);

}  // namespace fossa::net
