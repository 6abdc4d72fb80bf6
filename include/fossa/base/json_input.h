// JSON that comes from outside a process: HTTP bodies, AMQP messages, worker channel lines,
// dataset files, command lines. Read with a nesting limit, so that no input can drive a recursive
// reader (our own dump(), a Python reader's recursion limit) past it, and with a number out of
// range refused by where it stands ("method_kwargs.x") instead of thrown as a library exception.
// In one pass, in time linear in the text's size (a SAX handler of ours builds the document), so
// no shape of input — a megabyte of `[{},{},…]` — costs more than its length.
//
//   auto body = fossa::parse_json(request_text);
//   if (!body) return bad_request("the request body is not JSON: " + body.error());
#pragma once

#include <string_view>

#include "fossa/base/json.h"
#include "fossa/base/result.h"

namespace fossa {

// The nesting limit of every outside JSON (docs/node.md, "Limits"): 256 levels of arrays and
// objects. A parser does not recurse, but dumping a document and many other readers do; 256 is
// far deeper than any task needs and far shallower than any stack.
inline constexpr int kJsonMaxDepth = 256;

// `text` as JSON, or an error saying what is wrong and where: a syntax error with its byte, a
// nesting deeper than `max_depth` with the path where it went too deep, a number out of range
// with its path (`method_kwargs.rows[3]`).
Result<Json> parse_json(std::string_view text, int max_depth = kJsonMaxDepth);

// For answers where only the shape matters ("is it an object with node_info?"): `text` as JSON
// within the limits, else null.
Json parse_json_or_null(std::string_view text);

}  // namespace fossa
