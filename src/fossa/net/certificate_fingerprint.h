// A certificate's SHA-256 fingerprint as people compare it: "SHA256:AB:CD:…" (32 hex pairs, upper
// case, colons), the digest of the certificate's DER encoding — what `openssl x509 -noout
// -fingerprint -sha256` prints after its "sha256 Fingerprint=", and what `fossa submit
// --fingerprint` takes. Used by the gateway's client (pinning) and by fossa-gateway's ready line.
// Also whether a certificate chains to an authority this machine trusts (fossa-gateway's HSTS).
#pragma once

#include <openssl/x509.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "ayeaye/error.h"

namespace fossa::net {

using Sha256Digest = std::array<unsigned char, 32>;

// The digest of `certificate`'s DER encoding; nullopt if it cannot be encoded.
std::optional<Sha256Digest> certificate_sha256(X509* certificate);

// The first certificate of a PEM file (a chain's leaf), or an error naming the file.
ayeaye::Result<Sha256Digest> pem_file_sha256(const std::string& path);

// "SHA256:AB:CD:…".
std::string format_fingerprint(const Sha256Digest& digest);

// For a server's ready line: "certificate SHA256:AB:CD:…" of the PEM file's first certificate,
// or what went wrong reading it.
std::string describe_certificate(const std::string& pem_path);

// Whether the PEM file's first certificate, with the certificates after it as its chain, verifies
// against this machine's trusted authorities (OpenSSL's default store: Debian's ca-certificates,
// or SSL_CERT_FILE / SSL_CERT_DIR when set) for a TLS server. A self-signed certificate does not.
bool certificate_is_trusted(const std::string& pem_path);

// Reads a fingerprint a person typed or pasted: "SHA256:" (any case) then 64 hex digits, in pairs
// separated by colons or not at all, in any case. Also accepts openssl's whole line
// ("sha256 Fingerprint=AB:CD:…") pasted as it is. The error says what is wrong.
ayeaye::Result<Sha256Digest> parse_fingerprint(std::string_view text);

}  // namespace fossa::net
