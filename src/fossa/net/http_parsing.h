// From bytes to a Request, under HttpLimits: Boost.Beast's strict HTTP/1.1 parser (it refuses a
// Content-Length beside Transfer-Encoding, conflicting or malformed lengths, bad chunks) with its
// header and body limits, which bind chunked bodies too, plus the checks it lacks (each line's
// length, the header count, a repeated Content-Length or Host, a transfer coding other than chunked).
// The server (http_server.cc) and the fuzz target (tests/fuzz/) share these functions.
#pragma once

#include <boost/beast/http.hpp>
#include <optional>
#include <string_view>
#include <string>

#include "net/http_limits.h"
#include "net/http_message.h"

namespace fossa::net {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Beast's string_view (Boost's, in Debian 12's 1.74) as the standard one.
inline std::string_view view(boost::beast::string_view text) { return {text.data(), text.size()}; }

// Sets the parser's header and body limits.
void apply_limits(RequestParser& parser, const HttpLimits& limits);

// After the parser has read a request's head: what the parser does not check. nullopt: fine.
std::optional<Refusal> check_head(const RequestParser::value_type& head, const HttpLimits& limits);

// The answer to a parse error (header_limit 431, body_limit 413, anything else 400).
Refusal refusal_for(const boost::beast::error_code& error, const HttpLimits& limits);

// The head of a parsed message as a Request without its body (the server judges a request on its
// head before it reads the body: Router::screen); a Refusal when its target is not an origin-form path.
std::optional<Refusal> head_to_request(const RequestParser::value_type& head, std::string remote_addr, Request& out);

// The parsed message as a Request, body and all; a Refusal as above.
std::optional<Refusal> to_request(RequestParser::value_type&& message, std::string remote_addr, Request& out);

// One whole request from `bytes`, checked as the server checks one read from a socket: the
// Request, or the Refusal the server would answer (an incomplete request is refused 400 here).
// For tests and the fuzz target.
struct Parsed {
  std::optional<Request> request;
  std::optional<Refusal> refusal;
};
Parsed parse_request(std::string_view bytes, const HttpLimits& limits);

}  // namespace fossa::net
