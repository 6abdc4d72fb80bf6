#include "cli/exit_codes.h"

#include "ayeaye/json_input.h"

namespace fossa::cli {

ExitCode exit_code_for_failure(const ApiAnswer& answer) {
  switch (answer.problem) {
    case ApiAnswer::Problem::kCertificate:
      return kExitCertificate;
    case ApiAnswer::Problem::kUnreachable:
      return kExitUnreachable;
    case ApiAnswer::Problem::kNone:
      break;
  }
  if (answer.status == 401 || answer.status == 429) return kExitWrongPassword;
  // A refusal of this request (a bad task, an unknown model or cluster, no free node): trying the
  // same again will not help until something changes, unlike a gateway or node that is down.
  if ((answer.status >= 400 && answer.status < 500) || answer.status == 503) return kExitRefused;
  return kExitUnreachable;
}

std::string message_of(const std::string& body) {
  const ayeaye::Json parsed = ayeaye::parse_json_or_null(body);
  const ayeaye::Json* json = &parsed;
  if (json->is_object()) {
    const auto error = json->find("error");
    if (error != json->end() && error->is_object()) {
      const auto message = error->find("message");
      if (message != error->end() && message->is_string()) return message->get<std::string>();
    }
    const auto message = json->find("message");
    if (message != json->end() && message->is_string()) return message->get<std::string>();
  }
  constexpr std::size_t kShown = 300;
  return body.size() <= kShown ? body : body.substr(0, kShown) + "…";
}

}  // namespace fossa::cli
