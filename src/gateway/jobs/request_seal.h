// Sealing a job's request for its record, when the task holds secret values (its
// resolver_context_secrets): the record keeps them only sealed, so the store on disk (or a copy of
// it) never shows them in clear, while the gateway can still run the job again after a restart.
// AES-256-GCM (OpenSSL) with a key drawn by PBKDF2-HMAC-SHA256 from the gateway's password and the
// store's own random salt: whoever holds the database without the password cannot open them. A new
// password leaves old sealed requests closed; their jobs are then not run again (the record says why).
#pragma once

#include <array>
#include <string>

#include "ayeaye/error.h"

namespace fossa::gateway {

class RequestSeal {
 public:
  // `salt`: the store's, at least 16 bytes (JobStore::salt()).
  RequestSeal(const std::string& password, const std::string& salt);

  // "v1:" and hexadecimal nonce, ciphertext and tag.
  std::string seal(const std::string& plain) const;
  // The plain text, or why not (a new password, or a damaged record).
  ayeaye::Result<std::string> open(const std::string& sealed) const;

 private:
  std::array<unsigned char, 32> key_{};
};

// A fresh random salt for a new store.
std::string new_seal_salt();

}  // namespace fossa::gateway
