// What the node's and the gateway's HTTP code share: JSON responses, the X-Forwarded-* headers a
// proxy sets (checked before they are trusted; never X-Forwarded-Host, which would put a host of
// the sender's choosing into links), the pages' look and escaping.
#pragma once

#include <string>
#include <string_view>

#include "ayeaye/json.h"
#include "net/http_message.h"

namespace fossa::net {

// JSON text for a response: invalid UTF-8 from a model's output is replaced, never an exception.
inline std::string dump_json(const ayeaye::Json& json, int indent = -1) {
  return json.dump(indent, ' ', false, ayeaye::Json::error_handler_t::replace);
}

inline void send_json(Response& res, int status, const ayeaye::Json& body) {
  res.status = status;
  res.set_content(dump_json(body), "application/json");
}

// The path prefix a proxy (fossa-gateway) serves this server under, from X-Forwarded-Prefix:
// "" without one, or when it is not a plain path ("/a/b", no trailing slash, no odd characters),
// since it ends up in links and pages.
std::string forwarded_prefix(const Request& req);

// The scheme the client used, from X-Forwarded-Proto when it is exactly http or https; else "http".
std::string forwarded_scheme(const Request& req);

// A host[:port] as Host and X-Forwarded-Host carry it: letters, digits, '-', '.', a bracketed
// IPv6 address, an optional port of digits; at most 255 characters.
bool valid_host(std::string_view host);

// The look shared by the node's and the gateway's pages (served by each, no CDN): page frame,
// headings, tables, muted text. Each adds its own rules after it.
inline constexpr const char* kBaseStyle = R"css(
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d232a; background: #f6f7f9; }
header { background: #20303f; color: #fff; padding: .8rem 1.5rem; display: flex; gap: 1.5rem; align-items: baseline; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { padding: 1rem 1.5rem; max-width: 78rem; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { font-weight: 600; background: #eef1f4; }
.muted { color: #5b6570; }
)css";

// Keeps a page's #live element up to date without a reload (the node's task pages, the gateway's
// job pages): fetches the same URL every second while the element's data-live is "true" and swaps
// in the new #live; on trouble shows #conn and tries every 5 s. Served as a file by each program,
// since their Content-Security-Policy allows no inline script.
inline constexpr const char* kLiveScript = R"js(
(function () {
  var live = document.getElementById('live');
  var notice = document.getElementById('conn');
  if (!live) return;
  var delay = 1000;
  function refresh() {
    fetch(location.href, { cache: 'no-store', headers: { Accept: 'text/html' } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, 'text/html').getElementById('live');
        if (next) {
          if (next.innerHTML !== live.innerHTML) live.innerHTML = next.innerHTML;
          live.dataset.live = next.dataset.live;
        }
        if (notice) notice.hidden = true;
        delay = 1000;
      })
      .catch(function () {
        if (notice) notice.hidden = false;
        delay = 5000;
      })
      .then(function () { if (live.dataset.live === 'true') setTimeout(refresh, delay); });
  }
  if (live.dataset.live === 'true') setTimeout(refresh, delay);
})();
)js";

// HTML-escapes text for element content and attribute values (the node's and the gateway's pages).
std::string escape_html(std::string_view text);

// Percent-encodes a path segment: everything but A-Z a-z 0-9 - . _ ~ (an ARN's ':' and '/' too).
std::string encode_path_segment(std::string_view text);

// The protocol's error body: {"error": {"message": "..."}}.
inline void send_error(Response& res, int status, const std::string& message) {
  send_json(res, status, {{"error", {{"message", message}}}});
}

}  // namespace fossa::net
