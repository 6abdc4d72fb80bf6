#include "cli/certificate_pin.h"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace fossa::cli {
namespace {

// OpenSSL's whole-chain verification, replaced by one that runs it and then applies the pin.
// `arg` is the CertificateCheck.
int verify_with_pin(X509_STORE_CTX* store, void* arg) {
  auto* check = static_cast<CertificateCheck*>(arg);
  const bool chain_verified = X509_verify_cert(store) == 1;
  const auto seen = net::certificate_sha256(X509_STORE_CTX_get0_cert(store));
  if (!seen) return 0;
  check->seen = seen;
  check->verdict = judge_certificate(check->pin, *seen, chain_verified);
  if (*check->verdict != CertificateVerdict::kAccepted) return 0;
  // The handshake's verify result is what libcurl reads afterwards: a pinned match is "ok".
  X509_STORE_CTX_set_error(store, X509_V_OK);
  return 1;
}

}  // namespace

CertificateVerdict judge_certificate(const std::optional<net::Sha256Digest>& pin, const net::Sha256Digest& seen,
                                     bool chain_verified) {
  if (pin) return *pin == seen ? CertificateVerdict::kAccepted : CertificateVerdict::kWrongPin;
  return chain_verified ? CertificateVerdict::kAccepted : CertificateVerdict::kUntrusted;
}

void apply_certificate_check(http_client::Tls& tls, CertificateCheck& check) {
  tls.verify_host = !check.pin;
  // A resumed session would skip the check: every connection shows its certificate.
  tls.resume_sessions = false;
  tls.on_context = [&check](SSL_CTX* context) { SSL_CTX_set_cert_verify_callback(context, verify_with_pin, &check); };
}

std::string certificate_refusal(const CertificateCheck& check, const std::string& url) {
  const std::string seen = check.seen ? net::format_fingerprint(*check.seen) : std::string("(not seen)");
  if (check.verdict == CertificateVerdict::kWrongPin && check.pin) {
    return "the certificate of " + url + " is not the pinned one: it has fingerprint\n  " + seen +
           "\nbut --fingerprint (or FOSSA_GATEWAY_FINGERPRINT) expects\n  " + net::format_fingerprint(*check.pin) +
           "\nIf the gateway made a new certificate, compare the new fingerprint with the one its instance printed; "
           "otherwise something else answers at this address.";
  }
  return "the certificate of " + url + " is not trusted (a gateway's own certificate, made on its instance, never "
         "is). Its fingerprint is\n  " + seen +
         "\nCompare it with the one the gateway printed (on AWS, its instance console: aws ec2 get-console-output "
         "--latest --instance-id <gateway instance id> --output text | grep fossa-gateway; a local fossa-gateway: its "
         "ready line), then pin it: --fingerprint " + seen + " (or FOSSA_GATEWAY_FINGERPRINT=" + seen + ").";
}

}  // namespace fossa::cli
