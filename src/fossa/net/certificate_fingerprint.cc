#include "net/certificate_fingerprint.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <cstdio>
#include <memory>

namespace fossa::net {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower >= 'a' && lower <= 'f') return lower - 'a' + 10;
  return -1;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return false;
  }
  return true;
}

}  // namespace

std::optional<Sha256Digest> certificate_sha256(X509* certificate) {
  Sha256Digest digest{};
  unsigned int length = 0;
  if (certificate == nullptr || X509_digest(certificate, EVP_sha256(), digest.data(), &length) != 1 ||
      length != digest.size()) {
    return std::nullopt;
  }
  return digest;
}

ayeaye::Result<Sha256Digest> pem_file_sha256(const std::string& path) {
  using R = ayeaye::Result<Sha256Digest>;
  std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!file) return R::fail("cannot read " + path);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(PEM_read_X509(file.get(), nullptr, nullptr, nullptr), X509_free);
  if (!certificate) return R::fail(path + " holds no PEM certificate");
  const auto digest = certificate_sha256(certificate.get());
  if (!digest) return R::fail("cannot encode the certificate of " + path);
  return *digest;
}

std::string format_fingerprint(const Sha256Digest& digest) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string text = "SHA256:";
  for (std::size_t i = 0; i < digest.size(); ++i) {
    if (i > 0) text += ':';
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 15];
  }
  return text;
}

std::string describe_certificate(const std::string& pem_path) {
  const auto digest = pem_file_sha256(pem_path);
  return digest ? "certificate " + format_fingerprint(*digest) : "certificate of unknown fingerprint: " + digest.error();
}

bool certificate_is_trusted(const std::string& pem_path) {
  std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(pem_path.c_str(), "rb"), std::fclose);
  if (!file) return false;
  std::unique_ptr<X509, decltype(&X509_free)> leaf(PEM_read_X509(file.get(), nullptr, nullptr, nullptr), X509_free);
  if (!leaf) return false;
  const auto free_chain = [](STACK_OF(X509)* chain) { sk_X509_pop_free(chain, X509_free); };
  std::unique_ptr<STACK_OF(X509), decltype(free_chain)> chain(sk_X509_new_null(), free_chain);
  while (X509* next = PEM_read_X509(file.get(), nullptr, nullptr, nullptr)) sk_X509_push(chain.get(), next);
  ERR_clear_error();  // the read that ended the chain
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  if (!store || !context || X509_STORE_set_default_paths(store.get()) != 1 ||
      X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), chain.get()) != 1) {
    return false;
  }
  X509_STORE_CTX_set_purpose(context.get(), X509_PURPOSE_SSL_SERVER);
  const bool trusted = X509_verify_cert(context.get()) == 1;
  ERR_clear_error();
  return trusted;
}

ayeaye::Result<Sha256Digest> parse_fingerprint(std::string_view text) {
  using R = ayeaye::Result<Sha256Digest>;
  const std::string shown(text.substr(0, 120));
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (starts_with_ignoring_case(text, "sha256 fingerprint=")) {
    text.remove_prefix(19);
  } else if (starts_with_ignoring_case(text, "sha256:")) {
    text.remove_prefix(7);
  } else {
    return R::fail("a fingerprint is SHA256: followed by 64 hex digits (in pairs with colons, as `openssl x509 "
                   "-noout -fingerprint -sha256` prints them, or without), got '" + shown + "'");
  }
  const bool colons = text.find(':') != std::string_view::npos;
  // With colons: 32 pairs and 31 colons; without: 64 digits.
  if (text.size() != (colons ? 95u : 64u)) {
    return R::fail("a SHA-256 fingerprint has 32 bytes (64 hex digits), got '" + shown + "'");
  }
  Sha256Digest digest{};
  std::size_t at = 0;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    if (colons && i > 0 && text[at++] != ':') return R::fail("expected a colon between each pair of hex digits in '" + shown + "'");
    const int high = hex_value(text[at]);
    const int low = hex_value(text[at + 1]);
    if (high < 0 || low < 0) return R::fail("'" + std::string(text.substr(at, 2)) + "' is not hex, in '" + shown + "'");
    digest[i] = static_cast<unsigned char>(high * 16 + low);
    at += 2;
  }
  return digest;
}

}  // namespace fossa::net
