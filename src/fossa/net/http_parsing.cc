#include "net/http_parsing.h"

namespace fossa::net {

namespace http = boost::beast::http;

void apply_limits(RequestParser& parser, const HttpLimits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
}

std::optional<Refusal> check_head(const RequestParser::value_type& head, const HttpLimits& limits) {
  if (head.version() != 11 && head.version() != 10) return Refusal{505, "only HTTP/1.0 and HTTP/1.1 are served"};
  if (head.target().size() + head.method_string().size() + 10 > limits.max_line_bytes) {
    return Refusal{414, "the request line is longer than " + std::to_string(limits.max_line_bytes) + " bytes"};
  }
  std::size_t count = 0;
  int content_lengths = 0;
  int hosts = 0;
  for (const auto& field : head) {
    if (++count > limits.max_header_count) {
      return Refusal{431, "more than " + std::to_string(limits.max_header_count) + " header fields"};
    }
    if (field.name_string().size() + field.value().size() + 4 > limits.max_line_bytes) {
      return Refusal{431, "the header " + std::string(field.name_string().substr(0, 64)) + " is longer than " +
                              std::to_string(limits.max_line_bytes) + " bytes"};
    }
    if (field.name() == http::field::content_length) ++content_lengths;
    if (field.name() == http::field::host) ++hosts;
    if (field.name() == http::field::transfer_encoding && !iequals(view(field.value()), "chunked")) {
      return Refusal{400, "Transfer-Encoding other than chunked is not accepted"};
    }
  }
  if (content_lengths > 1 || head[http::field::content_length].find(',') != boost::beast::string_view::npos) {
    return Refusal{400, "more than one Content-Length"};
  }
  if (hosts > 1) return Refusal{400, "more than one Host header"};
  if (hosts == 0 && head.version() == 11) return Refusal{400, "an HTTP/1.1 request needs a Host header"};
  return std::nullopt;
}

Refusal refusal_for(const boost::beast::error_code& error, const HttpLimits& limits) {
  if (error == http::error::header_limit) {
    return {431, "the request line and headers are longer than " + std::to_string(limits.max_header_bytes) + " bytes"};
  }
  if (error == http::error::body_limit) {
    return {413, "the request body is larger than " + limits.who + " accepts (" + std::to_string(limits.max_body_bytes) +
                     " bytes" + (limits.body_limit_setting.empty() ? "" : ", " + limits.body_limit_setting) + ")"};
  }
  return {400, "malformed HTTP request: " + error.message()};
}

std::optional<Refusal> head_to_request(const RequestParser::value_type& head, std::string remote_addr, Request& out) {
  out.target = std::string(head.target());
  if (!split_target(out.target, out.path, out.params)) {
    return Refusal{400, "the request target must be a path with valid %-escapes"};
  }
  out.method = std::string(head.method_string());
  out.headers.clear();
  out.headers.reserve(16);
  for (const auto& field : head) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body.clear();
  out.remote_addr = std::move(remote_addr);
  return std::nullopt;
}

std::optional<Refusal> to_request(RequestParser::value_type&& message, std::string remote_addr, Request& out) {
  if (auto refusal = head_to_request(message, std::move(remote_addr), out)) return refusal;
  out.body = std::move(message.body());
  return std::nullopt;
}

Parsed parse_request(std::string_view bytes, const HttpLimits& limits) {
  Parsed parsed;
  RequestParser parser;
  apply_limits(parser, limits);
  parser.eager(false);
  boost::beast::error_code error;
  auto consume = [&] {
    while (!bytes.empty() && !error && !parser.is_done()) {
      const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), error);
      if (error == http::error::need_more) break;
      if (used == 0 && !error) break;
      bytes.remove_prefix(used);
    }
  };
  consume();  // the head: put() stops after it while not eager
  if (!error && !parser.is_header_done()) error = http::error::need_more;
  if (!error) {
    if (auto refusal = check_head(parser.get(), limits)) {
      parsed.refusal = std::move(refusal);
      return parsed;
    }
    parser.eager(true);
    consume();
    if (!error && !parser.is_done()) {
      parser.put_eof(error);
      if (!error && !parser.is_done()) error = http::error::need_more;
    }
  }
  if (error) {
    parsed.refusal = error == http::error::need_more ? Refusal{400, "incomplete request"} : refusal_for(error, limits);
    return parsed;
  }
  Request request;
  if (auto refusal = to_request(parser.release(), "127.0.0.1", request)) {
    parsed.refusal = std::move(refusal);
  } else {
    parsed.request = std::move(request);
  }
  return parsed;
}

}  // namespace fossa::net
