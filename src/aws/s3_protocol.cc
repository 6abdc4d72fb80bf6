#include "aws/s3_protocol.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "aws/partition.h"

namespace fossa::aws {
namespace {

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const auto end = text.find(';', i);
    if (end == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    const std::string_view entity = text.substr(i + 1, end - i - 1);
    if (entity == "amp") out += '&';
    else if (entity == "lt") out += '<';
    else if (entity == "gt") out += '>';
    else if (entity == "quot") out += '"';
    else if (entity == "apos") out += '\'';
    else if (entity.size() > 1 && entity[0] == '#') {
      unsigned code = 0;
      const bool hex = entity[1] == 'x';
      const auto digits = entity.substr(hex ? 2 : 1);
      std::from_chars(digits.data(), digits.data() + digits.size(), code, hex ? 16 : 10);
      if (code < 0x80) {
        out += static_cast<char>(code);
      } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
      } else {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
      }
    } else {
      out += text.substr(i, end - i + 1);
    }
    i = end;
  }
  return out;
}

}  // namespace

std::string uri_encode(std::string_view text, bool path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || (path && c == '/')) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string S3Endpoint::url(const std::string& bucket, const std::string& key, const std::string& query) const {
  std::string url;
  if (!endpoint.empty()) {
    url = endpoint;
    while (!url.empty() && url.back() == '/') url.pop_back();
    url += "/" + bucket + "/";
  } else if (bucket.find('.') != std::string::npos) {
    // Virtual-hosted, a dotted name would be a host that S3's certificate (*.s3.<region>...) does
    // not cover: path-style, which S3 keeps for such buckets.
    url = default_endpoint("s3", region) + "/" + bucket + "/";
  } else {
    url = "https://" + bucket + ".s3." + region + "." + dns_suffix(region) + "/";
  }
  url += uri_encode(key, /*path=*/true);
  if (!query.empty()) url += "?" + query;
  return url;
}

std::vector<std::string> xml_values(std::string_view xml, std::string_view tag) {
  std::vector<std::string> values;
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  std::size_t at = 0;
  while ((at = xml.find(open, at)) != std::string_view::npos) {
    const std::size_t start = at + open.size();
    const std::size_t end = xml.find(close, start);
    if (end == std::string_view::npos) break;
    values.push_back(decode_entities(xml.substr(start, end - start)));
    at = end + close.size();
  }
  return values;
}

S3Error s3_error(long status, std::string_view body) {
  S3Error error;
  const auto codes = xml_values(body, "Code");
  const auto messages = xml_values(body, "Message");
  if (!codes.empty()) error.code = codes.front();
  if (!messages.empty()) error.message = messages.front();
  if (error.code.empty()) {
    switch (status) {
      case 301: error.code = "PermanentRedirect"; break;  // the bucket is in another region
      case 400: error.code = "BadRequest"; break;
      case 403: error.code = "AccessDenied"; break;
      case 404: error.code = "NotFound"; break;
      case 503: error.code = "SlowDown"; break;
      default: error.code = "HTTP " + std::to_string(status);
    }
  }
  return error;
}

ListPage parse_list_page(std::string_view xml) {
  ListPage page;
  // Each <Contents> holds one <Key>; CommonPrefixes are not asked for (no delimiter).
  page.keys = xml_values(xml, "Key");
  const auto truncated = xml_values(xml, "IsTruncated");
  const auto tokens = xml_values(xml, "NextContinuationToken");
  if (!truncated.empty() && truncated.front() == "true" && !tokens.empty()) page.next_token = tokens.front();
  return page;
}

bool is_transient(long status, bool no_answer) {
  return no_answer || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::chrono::milliseconds backoff(int attempt, std::chrono::milliseconds first, std::chrono::milliseconds cap) {
  auto wait = first;
  for (int i = 1; i < attempt && wait < cap; ++i) wait *= 2;
  return std::min(wait, cap);
}

std::optional<unsigned long long> total_from_content_range(std::string_view content_range) {
  const auto slash = content_range.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto digits = content_range.substr(slash + 1);
  unsigned long long total = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), total);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return total;
}

}  // namespace fossa::aws
