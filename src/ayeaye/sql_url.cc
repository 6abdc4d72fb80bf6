#include "sql_url.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace ayeaye {
namespace {

constexpr std::string_view kHidden = "***";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX sequences decoded (a '%' not followed by two hex digits is kept as it is).
std::string percent_decoded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Where the password lies in a postgresql URL: [begin, end) of `url`, or begin == end when there is none.
std::pair<std::size_t, std::size_t> password_span(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return {0, 0};
  const std::size_t start = scheme_end + 3;
  const auto at = url.rfind('@');
  if (at == std::string::npos || at < start) return {0, 0};
  const auto colon = url.find(':', start);
  if (colon == std::string::npos || colon > at) return {0, 0};
  return {colon + 1, at};
}

std::string hide_password(const std::string& url) {
  const auto [begin, end] = password_span(url);
  std::string out = begin == end ? url : url.substr(0, begin) + std::string(kHidden) + url.substr(end);
  // A password given as a parameter (refused, but the refusal must not show it either).
  for (auto at = out.find("password="); at != std::string::npos; at = out.find("password=", at + 1)) {
    if (at == 0 || (out[at - 1] != '?' && out[at - 1] != '&')) continue;
    const std::size_t value = at + 9;
    const auto value_end = out.find('&', value);
    out.replace(value, (value_end == std::string::npos ? out.size() : value_end) - value, kHidden);
  }
  return out;
}

Result<SqlUrl> parse_postgresql(const std::string& url, std::size_t start, SqlUrl parsed) {
  using R = Result<SqlUrl>;
  auto fail = [&](const std::string& why) { return R::fail("dataset URL '" + parsed.display + "': " + why); };
  std::string rest = url.substr(start);
  std::string user;
  std::string password;
  bool has_password = false;
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    const std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    user = userinfo.substr(0, colon);
    if (colon != std::string::npos) {
      password = userinfo.substr(colon + 1);
      has_password = true;
    }
    if (user.empty()) return fail("an empty user name before '@'");
  }
  std::string query;
  if (const auto question = rest.find('?'); question != std::string::npos) {
    query = rest.substr(question + 1);
    rest.resize(question);
  }
  std::string hostport = rest;
  std::string database;
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    hostport = rest.substr(0, slash);
    database = percent_decoded(rest.substr(slash + 1));
    if (database.find('/') != std::string::npos) return fail("a database name cannot contain '/'");
  }
  std::string host = hostport;
  std::string port;
  if (!hostport.empty() && hostport.front() == '[') {  // [IPv6]:port
    const auto close = hostport.find(']');
    if (close == std::string::npos) return fail("an IPv6 address without its closing ']'");
    host = hostport.substr(1, close - 1);
    if (close + 1 < hostport.size()) {
      if (hostport[close + 1] != ':') return fail("unexpected text after ']'");
      port = hostport.substr(close + 2);
    }
  } else if (const auto colon = hostport.rfind(':'); colon != std::string::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
  }
  if (!port.empty() || hostport.find(':') != std::string::npos) {
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) ||
        std::stoi(port) == 0 || std::stoi(port) > 65535) {
      return fail("the port '" + port + "' is not a number from 1 to 65535");
    }
  }
  if (!user.empty()) parsed.keywords.emplace_back("user", user);
  if (has_password) parsed.keywords.emplace_back("password", password);
  if (!host.empty()) parsed.keywords.emplace_back("host", percent_decoded(host));
  if (!port.empty()) parsed.keywords.emplace_back("port", port);
  if (!database.empty()) parsed.keywords.emplace_back("dbname", database);
  std::size_t begin = 0;
  while (begin < query.size()) {
    auto end = query.find('&', begin);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(begin, end - begin);
    begin = end + 1;
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    if (equals == std::string::npos || equals == 0) {
      return fail("the parameter '" + pair + "' is not keyword=value (like sslmode=require)");
    }
    const std::string keyword = percent_decoded(pair.substr(0, equals));
    if (keyword == "password" || keyword == "user" || keyword == "host" || keyword == "port" || keyword == "dbname") {
      // Given twice, libpq would take the later one; one place for each is clearer.
      bool already = false;
      for (const auto& [k, v] : parsed.keywords) already = already || k == keyword;
      if (already) return fail("'" + keyword + "' is given both in the URL and as a parameter");
    }
    if (keyword == "password") {
      return fail("write the password before '@' (postgresql://user:password@host/db), not as a parameter");
    }
    parsed.keywords.emplace_back(keyword, percent_decoded(pair.substr(equals + 1)));
  }
  parsed.password = password;
  return parsed;
}

}  // namespace

std::string SqlUrl::scrub(std::string text) const {
  if (password.empty()) return text;
  for (auto pos = text.find(password); pos != std::string::npos; pos = text.find(password, pos + kHidden.size())) {
    text.replace(pos, password.size(), kHidden);
  }
  return text;
}

bool is_sql_url(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 || url.rfind("sqlite://", 0) == 0;
}

Result<SqlUrl> parse_sql_url(const std::string& url) {
  using R = Result<SqlUrl>;
  SqlUrl parsed;
  parsed.display = hide_password(url);
  const auto separator = url.find("://");
  if (separator == std::string::npos) {
    return R::fail("dataset URL '" + parsed.display +
                   "' has no engine; write it like postgresql://user:password@host/database or sqlite:///file.db");
  }
  const std::string scheme = url.substr(0, separator);
  if (scheme == "postgresql" || scheme == "postgres") {
    parsed.engine = SqlUrl::Engine::kPostgresql;
    return parse_postgresql(url, separator + 3, std::move(parsed));
  }
  if (scheme == "sqlite") {
    parsed.engine = SqlUrl::Engine::kSqlite;
    parsed.display = url;  // a file has no password
    const std::string rest = url.substr(separator + 3);
    if (rest.empty() || rest.front() != '/' || rest.size() == 1) {
      return R::fail("dataset URL '" + url +
                     "': write sqlite:///relative/file.db or sqlite:////absolute/file.db (the path after the third '/')");
    }
    parsed.path = rest.substr(1);
    return parsed;
  }
  return R::fail("dataset URL '" + parsed.display + "': unknown SQL engine '" + scheme + "' (postgresql or sqlite)");
}

}  // namespace ayeaye
