// The pure parts of `fossa submit --gateway` and `fossa jobs`: reading a pinned fingerprint, the
// pinning rule, where the password comes from, which API and which cluster, the exit codes, and
// the jobs table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/certificate_pin.h"
#include "cli/exit_codes.h"
#include "cli/gateway_connection.h"
#include "cli/jobs_command.h"
#include "cli/task_api.h"
#include "net/certificate_fingerprint.h"

namespace {

using namespace fossa::cli;
using fossa::net::format_fingerprint;
using fossa::net::parse_fingerprint;
using fossa::net::Sha256Digest;
using ::testing::HasSubstr;
using ::testing::Not;

// What `openssl x509 -noout -fingerprint -sha256` printed for a certificate.
const std::string kOpensslLine =
    "sha256 Fingerprint=46:8B:3F:51:B9:EE:0A:1A:3D:AB:8E:7C:47:4F:4C:7D:80:FF:64:D1:18:EE:09:C4:2C:E5:2C:BF:C6:7A:37:70";
const std::string kPin =
    "SHA256:46:8B:3F:51:B9:EE:0A:1A:3D:AB:8E:7C:47:4F:4C:7D:80:FF:64:D1:18:EE:09:C4:2C:E5:2C:BF:C6:7A:37:70";

Sha256Digest digest_of(const std::string& text) {
  auto parsed = parse_fingerprint(text);
  EXPECT_TRUE(parsed) << parsed.error();
  return parsed ? *parsed : Sha256Digest{};
}

TEST(Fingerprint, ReadsOpensslsHexPairsAfterSha256InAnyCaseWithOrWithoutColons) {
  const Sha256Digest expected = digest_of(kPin);
  EXPECT_EQ(expected[0], 0x46);
  EXPECT_EQ(expected[31], 0x70);
  EXPECT_EQ(format_fingerprint(expected), kPin) << "formats as it reads";
  EXPECT_EQ(digest_of("sha256:468b3f51b9ee0a1a3dab8e7c474f4c7d80ff64d118ee09c42ce52cbfc67a3770"), expected);
  EXPECT_EQ(digest_of("SHA256:46:8b:3f:51:b9:ee:0a:1a:3d:ab:8e:7c:47:4f:4c:7d:80:ff:64:d1:18:ee:09:c4:2c:e5:2c:bf:c6:7a:37:70"),
            expected);
  EXPECT_EQ(digest_of("  " + kPin + "\n"), expected) << "pasted with blanks around";
  EXPECT_EQ(digest_of(kOpensslLine), expected) << "openssl's whole line, pasted";
}

TEST(Fingerprint, RefusesWhatIsNotOneWithAReason) {
  const auto no_prefix = parse_fingerprint(kPin.substr(7));
  ASSERT_FALSE(no_prefix);
  EXPECT_THAT(no_prefix.error(), HasSubstr("SHA256: followed by 64 hex digits"));
  EXPECT_THAT(parse_fingerprint("SHA256:46:8B").error(), HasSubstr("32 bytes"));
  EXPECT_THAT(parse_fingerprint(kPin + ":00").error(), HasSubstr("32 bytes"));
  std::string not_hex = kPin;
  not_hex[7] = 'G';
  EXPECT_THAT(parse_fingerprint(not_hex).error(), HasSubstr("'G6' is not hex"));
  // Colons in the wrong places: as long as a right one, but not pairs.
  std::string shifted = kPin;
  std::swap(shifted[9], shifted[10]);
  EXPECT_THAT(parse_fingerprint(shifted).error(), HasSubstr("colon between each pair"));
  EXPECT_FALSE(parse_fingerprint("MD5:" + kPin.substr(7)));
}

TEST(Fingerprint, APinAcceptsOnlyItsCertificateAndNoPinOnlyATrustedOne) {
  const Sha256Digest pinned = digest_of(kPin);
  Sha256Digest other = pinned;
  other[31] ^= 1;
  EXPECT_EQ(judge_certificate(pinned, pinned, /*chain_verified=*/false), CertificateVerdict::kAccepted);
  EXPECT_EQ(judge_certificate(pinned, other, false), CertificateVerdict::kWrongPin);
  EXPECT_EQ(judge_certificate(pinned, other, true), CertificateVerdict::kWrongPin) << "a pin outranks any authority";
  EXPECT_EQ(judge_certificate(std::nullopt, other, false), CertificateVerdict::kUntrusted);
  EXPECT_EQ(judge_certificate(std::nullopt, other, true), CertificateVerdict::kAccepted);
}

TEST(Fingerprint, ARefusalShowsTheFingerprintsAndHowToPin) {
  CertificateCheck untrusted;
  untrusted.seen = digest_of(kPin);
  untrusted.verdict = CertificateVerdict::kUntrusted;
  const std::string hint = certificate_refusal(untrusted, "https://203.0.113.7");
  EXPECT_THAT(hint, HasSubstr("--fingerprint " + kPin));
  EXPECT_THAT(hint, HasSubstr("FOSSA_GATEWAY_FINGERPRINT=" + kPin));
  EXPECT_THAT(hint, HasSubstr("get-console-output"));

  CertificateCheck wrong = untrusted;
  wrong.pin = digest_of(kPin);
  (*wrong.pin)[0] = 0;
  wrong.verdict = CertificateVerdict::kWrongPin;
  const std::string refusal = certificate_refusal(wrong, "https://203.0.113.7");
  EXPECT_THAT(refusal, HasSubstr(kPin));
  EXPECT_THAT(refusal, HasSubstr(format_fingerprint(*wrong.pin)));
}

TEST(GatewayPassword, TheVariableFirstThenTheTerminalElseNone) {
  EXPECT_EQ(choose_password_source("secret", true), PasswordSource::kEnvironment);
  EXPECT_EQ(choose_password_source("secret", false), PasswordSource::kEnvironment);
  EXPECT_EQ(choose_password_source("", true), PasswordSource::kTerminal) << "set but empty is not set";
  EXPECT_EQ(choose_password_source(nullptr, true), PasswordSource::kTerminal);
  EXPECT_EQ(choose_password_source(nullptr, false), PasswordSource::kNone);
  EXPECT_EQ(choose_password_source("", false), PasswordSource::kNone);
}

TEST(TaskApiChoice, FlagsFirstThenTheGatewayVariableThenTheNodeVariable) {
  using Kind = TaskApiChoice::Kind;
  const auto gateway_flag = choose_task_api("", "https://g", "https://env-g", "http://env-n");
  EXPECT_EQ(gateway_flag.kind, Kind::kGateway);
  EXPECT_EQ(gateway_flag.url, "https://g");
  const auto node_flag = choose_task_api("http://n", "", "https://env-g", "http://env-n");
  EXPECT_EQ(node_flag.kind, Kind::kNode) << "--node given on the line outranks FOSSA_GATEWAY_URL";
  EXPECT_EQ(node_flag.url, "http://n");
  const auto gateway_variable = choose_task_api("", "", "https://env-g", "http://env-n");
  EXPECT_EQ(gateway_variable.kind, Kind::kGateway);
  EXPECT_EQ(gateway_variable.url, "https://env-g");
  EXPECT_EQ(choose_task_api("", "", "", "http://env-n").url, "http://env-n");
  EXPECT_EQ(choose_task_api("", "", nullptr, nullptr).url, kDefaultNodeUrl);
  EXPECT_THAT(choose_task_api("http://n", "https://g", nullptr, nullptr).error, HasSubstr("give one"));
}

TEST(GatewayCluster, TheOnlyOneOrTheOneNamedAndSeveralAreListed) {
  const auto one = ayeaye::Json::parse(R"({"clusters": [{"arn": "local", "name": "local"}]})");
  EXPECT_EQ(choose_cluster(one, "").value(), "local");
  const auto two = ayeaye::Json::parse(
      R"({"clusters": [{"arn": "arn:aws:ecs:eu-west-2:1:cluster/dev", "name": "dev"},
                       {"arn": "arn:aws:ecs:eu-west-2:1:cluster/prod", "name": "prod"}]})");
  const auto several = choose_cluster(two, "");
  ASSERT_FALSE(several);
  EXPECT_THAT(several.error(), HasSubstr("--cluster"));
  EXPECT_THAT(several.error(), HasSubstr("dev"));
  EXPECT_THAT(several.error(), HasSubstr("prod"));
  EXPECT_EQ(choose_cluster(two, "prod").value(), "arn:aws:ecs:eu-west-2:1:cluster/prod") << "by name";
  EXPECT_EQ(choose_cluster(two, "arn:aws:ecs:eu-west-2:1:cluster/dev").value(), "arn:aws:ecs:eu-west-2:1:cluster/dev");
  const auto unknown = choose_cluster(two, "test");
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error(), HasSubstr("no cluster 'test'"));
  EXPECT_THAT(unknown.error(), HasSubstr("prod"));
  EXPECT_THAT(choose_cluster(ayeaye::Json::parse(R"({"clusters": []})"), "").error(), HasSubstr("knows no cluster"));
  EXPECT_FALSE(choose_cluster(ayeaye::Json::parse(R"({"clusters": "x"})"), ""));
  EXPECT_FALSE(choose_cluster(ayeaye::Json(), ""));
}

ApiAnswer http(long status, std::string body = "{}") {
  ApiAnswer answer;
  answer.status = status;
  answer.body = std::move(body);
  return answer;
}

TEST(SubmitExitCodes, EachOutcomeHasItsOwn) {
  EXPECT_EQ(exit_code_for_failure(http(401)), kExitWrongPassword);
  EXPECT_EQ(exit_code_for_failure(http(429)), kExitWrongPassword) << "throttled after failed logins";
  EXPECT_EQ(exit_code_for_failure(http(400)), kExitRefused);
  EXPECT_EQ(exit_code_for_failure(http(404)), kExitRefused) << "an unknown cluster";
  EXPECT_EQ(exit_code_for_failure(http(412)), kExitRefused) << "a model the nodes do not accept";
  EXPECT_EQ(exit_code_for_failure(http(503)), kExitRefused) << "no node with a free slot";
  EXPECT_EQ(exit_code_for_failure(http(502)), kExitUnreachable);
  EXPECT_EQ(exit_code_for_failure(http(500)), kExitUnreachable);
  ApiAnswer down;
  down.problem = ApiAnswer::Problem::kUnreachable;
  EXPECT_EQ(exit_code_for_failure(down), kExitUnreachable);
  ApiAnswer certificate;
  certificate.problem = ApiAnswer::Problem::kCertificate;
  EXPECT_EQ(exit_code_for_failure(certificate), kExitCertificate);
  const std::set<int> codes = {kExitComplete, kExitFailed, kExitRefused, kExitUnreachable, kExitWrongPassword, kExitCertificate};
  EXPECT_EQ(codes.size(), 6u) << "all different";
}

TEST(SubmitExitCodes, AnErrorsMessageIsReadFromTheBody) {
  EXPECT_EQ(message_of(R"({"error": {"message": "no node has a free slot"}})"), "no node has a free slot");
  EXPECT_EQ(message_of(R"({"status": "stopping", "message": "the node is shutting down"})"), "the node is shutting down");
  EXPECT_EQ(message_of("plain words"), "plain words");
  EXPECT_EQ(message_of(std::string(1000, 'x')).size(), 300u + std::string("…").size());
}

TEST(BaseUrl, HttpOrHttpsWithAHostAndNoTrailingSlash) {
  EXPECT_EQ(normalize_base_url("https://203.0.113.7/").value(), "https://203.0.113.7");
  EXPECT_EQ(normalize_base_url("http://127.0.0.1:8080/prefix//").value(), "http://127.0.0.1:8080/prefix");
  EXPECT_FALSE(normalize_base_url("ftp://somewhere"));
  EXPECT_FALSE(normalize_base_url("https://"));
  EXPECT_FALSE(normalize_base_url("203.0.113.7"));
  EXPECT_FALSE(normalize_base_url("https://host?x=1"));
}

TEST(JobsTable, ReadableColumnsRoundedDurationsAndNoNull) {
  const auto answer = ayeaye::Json::parse(R"({"jobs": [
      {"job_id": "wooden-3", "node": "10.0.1.5:2345", "model_class": "PartitionedExampleEtl", "status": "running",
       "started": "2024-05-01T12:03:04.123Z", "duration_seconds": 123.456,
       "subtasks": {"total": 16, "done": 9, "failed": 1, "running": 4}},
      {"job_id": "brass-1", "node": null, "model_class": "NothingEtl", "status": "complete", "started": null,
       "duration_seconds": 0.0839}]})");
  const std::string table = jobs_table(answer);
  EXPECT_THAT(table, HasSubstr("JOB"));
  EXPECT_THAT(table, HasSubstr("PROGRESS"));
  EXPECT_THAT(table, HasSubstr("wooden-3"));
  EXPECT_THAT(table, HasSubstr("2024-05-01 12:03:04"));
  EXPECT_THAT(table, HasSubstr("2 min 03 s"));
  EXPECT_THAT(table, HasSubstr("0.08 s"));
  EXPECT_THAT(table, HasSubstr("9/16 subtasks, 1 failed, 4 running"));
  EXPECT_THAT(table, Not(HasSubstr("null")));
  EXPECT_THAT(table, Not(HasSubstr("123.456")));
  EXPECT_THAT(table, Not(HasSubstr("{")));
  EXPECT_EQ(jobs_table(ayeaye::Json::parse(R"({"jobs": []})")), "no jobs\n");
}

TEST(JobsTable, ACancelledJobsProgressSaysHowManySubtasksWereCancelled) {
  const auto answer = ayeaye::Json::parse(R"({"jobs": [
      {"job_id": "wooden-4", "model_class": "Fanout", "status": "cancelled",
       "subtasks": {"total": 2000, "done": 2000, "failed": 0, "cancelled": 1984, "running": 0}}]})");
  EXPECT_THAT(jobs_table(answer), HasSubstr("2000/2000 subtasks, 1984 cancelled\n"));
}

TEST(JobsTable, OddTextStaysOnOneShortLine) {
  const auto answer = ayeaye::Json::parse(R"({"jobs": [{"job_id": "a\nb\u001b[2J", "model_class": ")" +
                                          std::string(200, 'M') + R"("}]})");
  const std::string table = jobs_table(answer);
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 2) << table;
  EXPECT_THAT(table, Not(HasSubstr("\x1b")));
  EXPECT_THAT(table, Not(HasSubstr(std::string(41, 'M'))));
}

}  // namespace
