#include "common/crypto/ed25519.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/crypto/digest.h"
#include "common/util/encoding.h"

namespace trellis::crypto {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

absl::StatusOr<Pkey> ReadKey(const std::string& pem, bool is_private) {
  std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key =
      is_private ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr,
                                           const_cast<char*>(""))
                 : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  ERR_clear_error();
  if (key == nullptr || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return absl::InvalidArgumentError(
        absl::StrCat("the ", is_private ? "private" : "public",
                     " key is not an Ed25519 PEM key"));
  }
  return Pkey(key);
}

absl::StatusOr<std::string> PublicPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> pub(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PUBKEY(pub.get(), key)) {
    ERR_clear_error();
    return absl::InternalError("cannot encode the Ed25519 public key");
  }
  return BioText(pub.get());
}

}  // namespace

absl::StatusOr<Ed25519KeyPair> GenerateEd25519Key() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) {
    ERR_clear_error();
    return absl::InternalError("cannot generate an Ed25519 key");
  }
  std::unique_ptr<BIO, BioFree> priv(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0,
                                nullptr, nullptr)) {
    ERR_clear_error();
    return absl::InternalError("cannot encode the Ed25519 key");
  }
  auto pub = PublicPem(key.get());
  if (!pub.ok()) return pub.status();
  return Ed25519KeyPair{BioText(priv.get()), *std::move(pub)};
}

absl::StatusOr<std::string> Ed25519KeyId(const std::string& public_key_pem) {
  auto key = ReadKey(public_key_pem, false);
  if (!key.ok()) return key.status();
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key->get(), &der);
  if (n <= 0) return absl::InternalError("cannot encode public key");
  std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return absl::StrCat("sha256:", HexEncode(Sha256(bytes)).substr(0, 16));
}

absl::StatusOr<std::string> Ed25519PublicKey(
    const std::string& private_key_pem) {
  auto key = ReadKey(private_key_pem, true);
  if (!key.ok()) return key.status();
  return PublicPem(key->get());
}

absl::StatusOr<std::string> Ed25519Sign(absl::string_view message,
                                        const std::string& private_key_pem) {
  auto key = ReadKey(private_key_pem, true);
  if (!key.ok()) return key.status();
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  size_t sig_len = 64;
  std::string sig(sig_len, '\0');
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key->get()) !=
          1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()),
                     &sig_len,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1) {
    ERR_clear_error();
    return absl::InternalError("Ed25519 signing failed");
  }
  sig.resize(sig_len);
  return sig;
}

absl::Status Ed25519Verify(absl::string_view message,
                           absl::string_view signature,
                           const std::string& public_key_pem) {
  auto key = ReadKey(public_key_pem, false);
  if (!key.ok()) return key.status();
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  int ok =
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key->get()) ==
          1 &&
      EVP_DigestVerify(ctx.get(),
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();
  if (!ok) {
    return absl::PermissionDeniedError(
        "the Ed25519 signature does not verify with the key");
  }
  return absl::OkStatus();
}

}  // namespace trellis::crypto
