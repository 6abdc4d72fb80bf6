// What a request must show, from its head alone, before a handler of the node or the gateway sees
// it. Pure functions of a Request; Router::screen applies the first two to every request, in
// order, before the body is read; the node applies the last two in its hook (node/node.cc).
//
// - A browser must not be a confused deputy. A page of any other site can make a logged-in
//   browser send a POST (a <form>, a no-cors fetch): whatever changes state (any method but GET,
//   HEAD, OPTIONS) is refused 403 when the browser says it comes from elsewhere — Sec-Fetch-Site
//   other than same-origin (every current browser sends it), else an Origin that is not ours.
//   A request with neither comes from no browser (curl, `fossa submit`, the gateway calling a
//   node, Python clients) and goes on. So any POST route, the coming Cancel button's included, is
//   guarded without asking for it.
// - A route that reads JSON reads only a body that says it is JSON (Content-Type:
//   application/json, as Python Fossa's clients send it): a <form> can send text/plain that
//   happens to parse as JSON, never application/json, and a cross-site fetch that tries is stopped
//   by the browser's CORS preflight, which we never answer. Anything else is 415.
// - A node answers only to the names it has (DNS rebinding): host_refusal.
// - A node's token: bearer_token_matches, in constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_message.h"

namespace fossa::net {

// GET, HEAD and OPTIONS: the methods that change nothing here.
bool is_safe_method(std::string_view method);

// 403 when an unsafe request comes from a browser on behalf of another site (above).
std::optional<Refusal> cross_site_refusal(const Request& head);

// 415 unless the request says its body is JSON: Content-Type application/json, any parameters
// (charset) after it, in any case.
std::optional<Refusal> json_content_type_refusal(const Request& head);

// 421 unless Host (its port aside) is an IP address, `localhost` or a name under `.localhost`, or
// one of `names` (lower case; the node's own host name and those it was given, which the refusal
// says are set with `setting`). A browser can be turned against a server on loopback or a private
// network only through a name (DNS rebinding: a name of the attacker's that answers with our
// address, so that the attacker's page is same-origin with us); an IP address is its own origin,
// so IP addresses — the node's own, the one the gateway calls it by, a forwarded port's — pass.
std::optional<Refusal> host_refusal(const Request& head, const std::vector<std::string>& names, std::string_view setting);

// Whether `authorization` is `Bearer <token>`: the scheme in any case (RFC 9110 §11.1), one or
// more spaces, the token compared in constant time.
bool bearer_token_matches(std::string_view authorization, std::string_view token);

}  // namespace fossa::net
