#include "http_client/client.h"

#include <curl/curl.h>

#include <exception>

namespace fossa::http_client {
namespace {

// libcurl's global set-up, once per process, before any handle (thread-safe as a static's
// initialisation); never torn down, as other libraries' handles may outlive ours.
bool libcurl_ready() {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return ready;
}

struct Reading {
  Response* response;
  std::size_t limit;
  bool too_large = false;
};

// Stops the transfer (by taking fewer bytes than given) once the body would pass its cap.
size_t take_body(char* data, size_t size, size_t count, void* out) {
  auto* reading = static_cast<Reading*>(out);
  const std::size_t bytes = size * count;
  if (reading->response->body.size() + bytes > reading->limit) {
    reading->too_large = true;
    return 0;
  }
  reading->response->body.append(data, bytes);
  return bytes;
}

size_t take_header(char* data, size_t size, size_t count, void* out) {
  take_header_line(std::string_view(data, size * count), static_cast<Response*>(out)->headers);
  return size * count;
}

CURLcode run_tls_hook(CURL*, void* ssl_ctx, void* hook) {
  try {
    (*static_cast<const std::function<void(ssl_ctx_st*)>*>(hook))(static_cast<ssl_ctx_st*>(ssl_ctx));
    return CURLE_OK;
  } catch (const std::exception&) {
    return CURLE_ABORTED_BY_CALLBACK;  // an exception must not cross libcurl's C frames
  }
}

Failure failure_of(CURLcode code) {
  switch (code) {
    case CURLE_OK:
      return Failure::kNone;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return Failure::kCannotConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return Failure::kTimedOut;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CACERT_BADFILE:
      return Failure::kCertificate;
    default:
      return Failure::kBroken;
  }
}

using HeaderList = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

// The request's own headers and its bearer token, as libcurl takes them ("Name;" sends an empty
// value, where "Name:" would remove the header).
HeaderList header_list(const Request& request) {
  curl_slist* list = nullptr;
  const auto add = [&list](const std::string& line) {
    if (curl_slist* longer = curl_slist_append(list, line.c_str())) list = longer;
  };
  for (const auto& [name, value] : request.headers) add(value.empty() ? name + ";" : name + ": " + value);
  if (const auto* bearer = std::get_if<BearerToken>(&request.auth)) add("Authorization: Bearer " + bearer->token);
  return HeaderList(list, curl_slist_free_all);
}

// Sets every option of one request on `curl` (fresh or reset); false when the TLS hook cannot run.
bool configure(CURL* curl, const Request& request, std::string_view body, const curl_slist* headers,
               const std::string& sigv4_scope, Response& response, Reading& reading) {
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.empty() ? "" : body.data());  // NULL would mean "read it"
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, request.path_as_is ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  if (request.connect_timeout.count() > 0) {
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  }
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, take_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reading);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, take_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);

  if (const auto* basic = std::get_if<BasicAuth>(&request.auth)) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(curl, CURLOPT_USERNAME, basic->user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, basic->password.c_str());
  } else if (const auto* sigv4 = std::get_if<SigV4>(&request.auth)) {
    curl_easy_setopt(curl, CURLOPT_AWS_SIGV4, sigv4_scope.c_str());
    curl_easy_setopt(curl, CURLOPT_USERNAME, sigv4->key_id.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, sigv4->secret.c_str());
  }

  const Tls& tls = request.tls;
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, tls.verify_host ? 2L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_SESSIONID_CACHE, tls.resume_sessions ? 1L : 0L);
  if (!tls.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (tls.on_context) {
    if (curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, run_tls_hook) != CURLE_OK) return false;
    curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &tls.on_context);
  }
  return true;
}

Response refused(Failure failure, std::string why) {
  Response response;
  response.failure = failure;
  response.error = std::move(why);
  return response;
}

}  // namespace

struct Client::Handle {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl{nullptr, curl_easy_cleanup};
};

Client::Client() : handle_(std::make_unique<Handle>()) {}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Response Client::send(const Request& request, std::string_view body) {
  if (auto problem = request_problem(request)) return refused(Failure::kBadRequest, *problem);
  if (!libcurl_ready()) return refused(Failure::kBroken, "libcurl could not start");
  if (!handle_) handle_ = std::make_unique<Handle>();
  if (handle_->curl) {
    curl_easy_reset(handle_->curl.get());  // keeps the open connections, clears every option
  } else {
    handle_->curl.reset(curl_easy_init());
    if (!handle_->curl) return refused(Failure::kBroken, "libcurl could not start");
  }
  CURL* curl = handle_->curl.get();

  Response response;
  Reading reading{&response, request.max_answer_bytes};
  const HeaderList headers = header_list(request);
  const auto* sigv4 = std::get_if<SigV4>(&request.auth);
  const std::string sigv4_scope = sigv4 ? "aws:amz:" + sigv4->region + ":" + sigv4->service : "";
  if (!configure(curl, request, body, headers.get(), sigv4_scope, response, reading)) {
    return refused(Failure::kBadRequest, "this libcurl cannot check certificates itself (it is not built with OpenSSL)");
  }
  const CURLcode code = curl_easy_perform(curl);
  if (reading.too_large) {
    return refused(Failure::kTooLarge, "the answer is larger than " + std::to_string(request.max_answer_bytes) + " bytes");
  }
  if (code != CURLE_OK) return refused(failure_of(code), curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  long new_connections = 1;
  curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &new_connections);
  response.reused_connection = new_connections == 0;
  return response;
}

Response send(const Request& request, std::string_view body) { return Client().send(request, body); }

bool tls_context_hook_available() {
  static const bool available = [] {
    if (!libcurl_ready()) return false;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    return curl && curl_easy_setopt(curl.get(), CURLOPT_SSL_CTX_FUNCTION, run_tls_hook) == CURLE_OK;
  }();
  return available;
}

}  // namespace fossa::http_client
