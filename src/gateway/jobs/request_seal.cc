#include "jobs/request_seal.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "fossa/base/hex.h"

namespace fossa::gateway {
namespace {

constexpr int kIterations = 200000;
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;
constexpr const char* kVersion = "v1:";

struct CipherDeleter {
  void operator()(EVP_CIPHER_CTX* context) const { EVP_CIPHER_CTX_free(context); }
};
using Cipher = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

std::string to_hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xf]);
  }
  return out;
}

bool from_hex(const std::string& text, std::size_t from, std::vector<unsigned char>& out) {
  if ((text.size() - from) % 2 != 0) return false;
  for (std::size_t i = from; i < text.size(); i += 2) {
    const int high = hex_digit_value(text[i]);
    const int low = hex_digit_value(text[i + 1]);
    if (high < 0 || low < 0) return false;
    out.push_back(static_cast<unsigned char>(high * 16 + low));
  }
  return true;
}

}  // namespace

std::string new_seal_salt() {
  std::array<unsigned char, 16> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) throw std::runtime_error("no random bytes for the store's salt");
  return to_hex(salt.data(), salt.size());
}

RequestSeal::RequestSeal(const std::string& password, const std::string& salt) {
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), kIterations, EVP_sha256(), static_cast<int>(key_.size()), key_.data()) != 1) {
    throw std::runtime_error("could not draw the key that seals job requests");
  }
}

std::string RequestSeal::seal(const std::string& plain) const {
  std::array<unsigned char, kNonceBytes> nonce{};
  if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) throw std::runtime_error("no random bytes for a nonce");
  Cipher cipher(EVP_CIPHER_CTX_new());
  std::vector<unsigned char> out(plain.size() + kTagBytes);
  int length = 0;
  int tail = 0;
  if (!cipher || EVP_EncryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce.data()) != 1 ||
      EVP_EncryptUpdate(cipher.get(), out.data(), &length, reinterpret_cast<const unsigned char*>(plain.data()),
                        static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(cipher.get(), out.data() + length, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, out.data() + length + tail) != 1) {
    throw std::runtime_error("could not seal a job's request");
  }
  return kVersion + to_hex(nonce.data(), nonce.size()) + to_hex(out.data(), static_cast<std::size_t>(length + tail) + kTagBytes);
}

ayeaye::Result<std::string> RequestSeal::open(const std::string& sealed) const {
  using R = ayeaye::Result<std::string>;
  const std::string version = kVersion;
  std::vector<unsigned char> bytes;
  if (sealed.rfind(version, 0) != 0 || !from_hex(sealed, version.size(), bytes) || bytes.size() < kNonceBytes + kTagBytes) {
    return R::fail("the sealed request is damaged");
  }
  const unsigned char* nonce = bytes.data();
  const unsigned char* body = nonce + kNonceBytes;
  const int body_size = static_cast<int>(bytes.size() - kNonceBytes - kTagBytes);
  std::vector<unsigned char> tag(bytes.end() - kTagBytes, bytes.end());
  std::string plain(static_cast<std::size_t>(body_size), '\0');
  Cipher cipher(EVP_CIPHER_CTX_new());
  int length = 0;
  int tail = 0;
  if (!cipher || EVP_DecryptInit_ex(cipher.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) != 1 ||
      EVP_DecryptUpdate(cipher.get(), reinterpret_cast<unsigned char*>(plain.data()), &length, body, body_size) != 1 ||
      EVP_CIPHER_CTX_ctrl(cipher.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(cipher.get(), reinterpret_cast<unsigned char*>(plain.data()) + length, &tail) != 1) {
    return R::fail("the sealed request does not open with the gateway's password: it was sealed under another one");
  }
  return plain;
}

}  // namespace fossa::gateway
