// Pinning a server's certificate by its SHA-256 fingerprint, for the HTTPS of fossa-gateway, whose
// certificate is made on its instance at first boot and so is trusted by no authority. With a pin,
// the leaf certificate whose fingerprint matches is accepted whatever its chain or names (the pin
// names that one certificate); any other is refused. Without a pin, the usual checks (chain and
// host name) stand. Either way the leaf's fingerprint is recorded, so a refusal can show it.
#pragma once

#include <optional>
#include <string>

#include "http_client/request.h"
#include "net/certificate_fingerprint.h"

namespace fossa::cli {

// The pure rule: given the pin (if any), the leaf's fingerprint and whether its chain verified.
enum class CertificateVerdict { kAccepted, kWrongPin, kUntrusted };
CertificateVerdict judge_certificate(const std::optional<net::Sha256Digest>& pin, const net::Sha256Digest& seen,
                                     bool chain_verified);

// What one connection's check saw. Owned by the caller; must outlive the request.
struct CertificateCheck {
  std::optional<net::Sha256Digest> pin;
  std::optional<net::Sha256Digest> seen;  // the leaf's, once the handshake got that far
  std::optional<CertificateVerdict> verdict;
};

// Sets a request's TLS checks for `check`: with a pin, peer verification through the pin (and no
// host name check, which a pinned certificate makes moot); without, the usual checks, recording the
// leaf's fingerprint. Runs through the client's TLS hook: only where
// http_client::tls_context_hook_available().
void apply_certificate_check(http_client::Tls& tls, CertificateCheck& check);

// What to tell a person when `check` refused a certificate of `url`.
std::string certificate_refusal(const CertificateCheck& check, const std::string& url);

}  // namespace fossa::cli
