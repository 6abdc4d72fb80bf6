// PartitionedExampleEtl: the recipe's demo job. 16 subtasks, one per hex character `ch`; each finds
// the shortest string of repeated `ch` whose MD5 hex digest starts with `count` copies of `ch`, and
// returns [ch, length]. `count` comes from the resolver context key `complexity` (default 4).
// Run in parallel, the whole job takes as long as its longest subtask.
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <utility>

#include "ayeaye/ayeaye.h"

namespace examples {

class PartitionedExampleEtl : public ayeaye::PartitionedModel {
 public:
  void build() override { complexity_ = context().get_int_or("complexity", 4); }

  std::vector<ayeaye::TaskPartition> partition_slice(int /*partition_count*/) override {
    std::vector<ayeaye::TaskPartition> subtasks;
    for (char ch : std::string_view("0123456789abcdef")) {
      subtasks.push_back({"crypto_challenge", {{"ch", std::string(1, ch)}, {"count", complexity_}}});
    }
    return subtasks;
  }

  void partition_subtask_complete(const std::string& /*method*/, const ayeaye::Json& kwargs,
                                  const ayeaye::Json& return_value) override {
    log("Subtask results are: " + kwargs.dump() + ", " + return_value.dump());
  }

  std::pair<std::string, long long> crypto_challenge(const std::string& ch, int count) {
    if (ch.size() != 1 || std::string_view("0123456789abcdef").find(ch[0]) == std::string_view::npos) {
      throw std::invalid_argument("ch must be one lowercase hex character, got '" + ch + "'");
    }
    if (count < 1 || count > 32) throw std::invalid_argument("count must be 1..32, got " + std::to_string(count));

    using Context = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
    Context running(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    Context snapshot(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(running.get(), EVP_md5(), nullptr);
    // The digest of ch*n for n = 0, 1, 2...: extend one running digest by one character at a time
    // and finish a copy of it, instead of hashing every string from the start.
    static constexpr char kHex[] = "0123456789abcdef";
    for (long long length = 0;; ++length) {
      std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
      unsigned int size = 0;
      EVP_MD_CTX_copy_ex(snapshot.get(), running.get());
      EVP_DigestFinal_ex(snapshot.get(), digest.data(), &size);
      bool match = true;
      for (int i = 0; i < count && match; ++i) {
        const unsigned char byte = digest[static_cast<std::size_t>(i / 2)];
        const char hex = kHex[i % 2 == 0 ? byte >> 4 : byte & 0x0f];
        match = hex == ch[0];
      }
      if (match) return {ch, length};
      EVP_DigestUpdate(running.get(), ch.data(), 1);
    }
  }

 private:
  long long complexity_ = 4;
};

}  // namespace examples

using examples::PartitionedExampleEtl;
AYEAYE_REGISTER_MODEL(PartitionedExampleEtl, AYEAYE_SUBTASK(crypto_challenge, ch, count));
