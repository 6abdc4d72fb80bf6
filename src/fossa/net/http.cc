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

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string encode_path_segment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0f];
    }
  }
  return out;
}

}  // namespace fossa::net
