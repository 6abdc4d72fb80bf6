#include "net/request_guards.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>

#include "net/http.h"

namespace fossa::net {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A host[:port] split in two; the host keeps an IPv6 address's brackets.
std::pair<std::string_view, std::string_view> split_host_port(std::string_view authority) {
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return {authority, {}};
    const std::string_view rest = authority.substr(close + 1);
    return {authority.substr(0, close + 1), rest.empty() || rest.front() != ':' ? std::string_view() : rest.substr(1)};
  }
  const auto colon = authority.rfind(':');
  if (colon == std::string_view::npos) return {authority, {}};
  return {authority.substr(0, colon), authority.substr(colon + 1)};
}

// scheme://host:port in lower case with the scheme's default port made explicit, or "" when
// `scheme` is neither http nor https.
std::string canonical_origin(std::string_view scheme, std::string_view authority) {
  const std::string s = lower(scheme);
  if (s != "http" && s != "https") return "";
  const auto [host, port] = split_host_port(authority);
  if (host.empty()) return "";
  return s + "://" + lower(host) + ":" + (port.empty() ? (s == "https" ? "443" : "80") : std::string(port));
}

bool is_ip_address(std::string_view host) {
  in6_addr v6{};
  in_addr v4{};
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    return ::inet_pton(AF_INET6, std::string(host.substr(1, host.size() - 2)).c_str(), &v6) == 1;
  }
  return ::inet_pton(AF_INET, std::string(host).c_str(), &v4) == 1;
}

std::string cross_site_message(const Request& head, const std::string& why) {
  return "a " + head.method + " from another site's page is refused (" + why +
         "): only this server's own pages, and clients that are not browsers, may change anything here";
}

}  // namespace

bool is_safe_method(std::string_view method) { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }

std::optional<Refusal> cross_site_refusal(const Request& head) {
  if (is_safe_method(head.method)) return std::nullopt;
  // The browser's own verdict when it gives one: same-origin, or none (the user typed or
  // bookmarked it). same-site is refused too: another port or subdomain is another origin.
  if (head.has_header("Sec-Fetch-Site")) {
    const std::string site = lower(trim(head.get_header_value("Sec-Fetch-Site")));
    if (site == "same-origin" || site == "none") return std::nullopt;
    return Refusal{403, cross_site_message(head, "Sec-Fetch-Site: " + site.substr(0, 32))};
  }
  // Older browsers send Origin with every POST; it must be the origin the client called.
  if (head.has_header("Origin")) {
    const std::string origin = std::string(trim(head.get_header_value("Origin")));
    const auto separator = origin.find("://");
    const std::string theirs =
        separator == std::string::npos ? "" : canonical_origin(origin.substr(0, separator), origin.substr(separator + 3));
    const std::string host = head.get_header_value("Host");
    const std::string ours = valid_host(host) ? canonical_origin(head.tls ? "https" : "http", host) : "";
    if (theirs.empty() || theirs != ours) {
      return Refusal{403, cross_site_message(head, "Origin: " + origin.substr(0, 128))};
    }
  }
  return std::nullopt;
}

std::optional<Refusal> json_content_type_refusal(const Request& head) {
  const std::string type = head.get_header_value("Content-Type");
  const std::string media = lower(trim(std::string_view(type).substr(0, type.find(';'))));
  if (media == "application/json") return std::nullopt;
  return Refusal{415, head.method + " " + head.path + " takes a JSON body, sent with Content-Type: application/json (" +
                          (type.empty() ? std::string("this request had no Content-Type") : "got '" + type.substr(0, 128) + "'") +
                          ")"};
}

std::optional<Refusal> host_refusal(const Request& head, const std::vector<std::string>& names, std::string_view setting) {
  if (!head.has_header("Host")) return std::nullopt;  // HTTP/1.0 without one: not a browser
  const std::string given = head.get_header_value("Host");
  std::string host = lower(split_host_port(given).first);
  if (!host.empty() && host.back() == '.') host.pop_back();  // "localhost." is localhost
  const bool localhost = host == "localhost" || (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0);
  if (localhost || is_ip_address(host) || std::find(names.begin(), names.end(), host) != names.end()) return std::nullopt;
  return Refusal{421, "this server does not answer to the name '" + given.substr(0, 128) +
                          "' (Host): call it by an IP address or localhost, or name it in " + std::string(setting)};
}

bool bearer_token_matches(std::string_view authorization, std::string_view token) {
  const auto space = authorization.find(' ');
  if (space == std::string_view::npos || !iequals(authorization.substr(0, space), "bearer")) return false;
  std::string_view given = authorization.substr(space);
  while (!given.empty() && given.front() == ' ') given.remove_prefix(1);
  return !token.empty() && given.size() == token.size() && CRYPTO_memcmp(given.data(), token.data(), token.size()) == 0;
}

}  // namespace fossa::net
