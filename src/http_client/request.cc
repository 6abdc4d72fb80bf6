#include "http_client/request.h"

#include <string_view>

namespace fossa::http_client {
namespace {

// RFC 9110's token: what a method and a field name are made of.
bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

// A line break or NUL would end the field early and start another, of the sender's choosing.
bool breaks_the_line(std::string_view text) { return text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos; }

std::optional<std::string> auth_problem(const Auth& auth) {
  if (const auto* basic = std::get_if<BasicAuth>(&auth)) {
    // The rest are base64 on the wire, so any byte goes; but the first ':' ends the user name.
    if (basic->user.find(':') != std::string::npos) return "a basic auth user name cannot hold ':'";
  } else if (const auto* bearer = std::get_if<BearerToken>(&auth)) {
    if (bearer->token.empty()) return "the bearer token is empty";
    if (breaks_the_line(bearer->token)) return "the bearer token holds a line break";
  } else if (const auto* sigv4 = std::get_if<SigV4>(&auth)) {
    for (const std::string* part : {&sigv4->region, &sigv4->service}) {
      if (part->empty() || part->find(':') != std::string::npos || breaks_the_line(*part)) {
        return "SigV4 needs a region and a service without ':' or line breaks";
      }
    }
    if (breaks_the_line(sigv4->key_id) || breaks_the_line(sigv4->secret)) return "the AWS credentials hold a line break";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> request_problem(const Request& request) {
  if (request.url.rfind("http://", 0) != 0 && request.url.rfind("https://", 0) != 0) {
    return "'" + request.url.substr(0, 100) + "' is not an http:// or https:// URL";
  }
  if (breaks_the_line(request.url) || request.url.find(' ') != std::string::npos) {
    return "the URL holds a space or a line break";
  }
  if (!is_token(request.method)) return "'" + request.method.substr(0, 40) + "' is not an HTTP method";
  for (const auto& [name, value] : request.headers) {
    if (!is_token(name)) return "'" + name.substr(0, 60) + "' is not a header name";
    if (breaks_the_line(value)) return "header '" + name + "' holds a line break";
  }
  if (request.timeout.count() <= 0) return "the deadline must be above zero";
  if (request.connect_timeout.count() < 0) return "the connection's deadline cannot be negative";
  return auth_problem(request.auth);
}

}  // namespace fossa::http_client
