// Client: Fossa's one HTTP client, over libcurl — the AWS calls (aws/signed_request.h),
// `fossa submit` and `fossa jobs` (cli/api_client.h), the gateway's calls to nodes, `fossa
// cluster status`, the benchmarks and the tests all send through it. send() blocks until the
// answer, the deadline or the cap (request.h); a failure is a Response saying why (response.h),
// never an exception. The body goes beside the Request and is only borrowed for the call (an S3
// part of 8 MiB is not copied); it is sent for any method but GET and HEAD.
//
// A Client keeps its connections open between its requests (keep-alive), so asking one server
// again and again costs one connection; the free send() is a request on a connection of its own.
// Thread rules: one Client serves one thread at a time; any number of Clients and send() calls run
// at once on different threads. libcurl's global set-up runs once, on the first request.
#pragma once

#include <memory>
#include <string_view>

#include "http_client/request.h"
#include "http_client/response.h"

namespace fossa::http_client {

class Client {
 public:
  Client();
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  Response send(const Request& request, std::string_view body = {});

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

// One request on a fresh connection, closed after the answer.
Response send(const Request& request, std::string_view body = {});

// Whether this libcurl runs Tls::on_context (it does when built with OpenSSL, as Debian's
// libcurl4-openssl is). Without it, a request with a hook is not sent (Failure::kBadRequest).
bool tls_context_hook_available();

}  // namespace fossa::http_client
