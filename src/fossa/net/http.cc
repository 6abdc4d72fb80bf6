#include "net/http.h"

#include <sys/socket.h>

#include <cctype>

namespace fossa::net {

int bind_server(httplib::Server& server, const std::string& host, int port, int backlog) {
  int listening = -1;
  server.set_socket_options([&listening](socket_t sock) {
    httplib::default_socket_options(sock);
    listening = sock;
  });
  const int bound = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound > 0 && listening >= 0) ::listen(listening, backlog);
  return bound;
}

std::string forwarded_prefix(const httplib::Request& req) {
  const std::string prefix = req.get_header_value("X-Forwarded-Prefix");
  if (prefix.empty() || prefix.front() != '/' || prefix.back() == '/' || prefix.size() > 256) return "";
  for (const char c : prefix) {
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (!plain) return "";
  }
  if (prefix.find("//") != std::string::npos) return "";
  return prefix;
}

}  // namespace fossa::net
