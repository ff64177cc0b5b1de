#include "common/policy/bundle_signing.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/crypto/digest.h"
#include "common/util/encoding.h"

namespace trellis::policy {
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
        absl::StrCat("policy-signing ", is_private ? "private" : "public",
                     " key is not an Ed25519 PEM key"));
  }
  return Pkey(key);
}

}  // namespace

absl::StatusOr<SigningKeyPair> GenerateSigningKey() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) {
    ERR_clear_error();
    return absl::InternalError("cannot generate an Ed25519 key");
  }
  std::unique_ptr<BIO, BioFree> priv(BIO_new(BIO_s_mem()));
  std::unique_ptr<BIO, BioFree> pub(BIO_new(BIO_s_mem()));
  if (!PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0,
                                nullptr, nullptr) ||
      !PEM_write_bio_PUBKEY(pub.get(), key.get())) {
    ERR_clear_error();
    return absl::InternalError("cannot encode the Ed25519 key");
  }
  return SigningKeyPair{BioText(priv.get()), BioText(pub.get())};
}

absl::StatusOr<std::string> SigningKeyId(const std::string& public_key_pem) {
  auto key = ReadKey(public_key_pem, false);
  if (!key.ok()) return key.status();
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key->get(), &der);
  if (n <= 0) return absl::InternalError("cannot encode public key");
  std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(n));
  OPENSSL_free(der);
  return absl::StrCat("sha256:", HexEncode(crypto::Sha256(bytes)).substr(0, 16));
}

absl::StatusOr<v1::SignedPolicyBundle> SignBundle(
    const v1::PolicyBundle& bundle, const std::string& private_key_pem) {
  auto key = ReadKey(private_key_pem, true);
  if (!key.ok()) return key.status();
  v1::SignedPolicyBundle out;
  if (!bundle.SerializeToString(out.mutable_bundle())) {
    return absl::InternalError("cannot serialize the bundle");
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  size_t sig_len = 64;
  std::string sig(sig_len, '\0');
  if (EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()),
                     &sig_len,
                     reinterpret_cast<const unsigned char*>(out.bundle().data()),
                     out.bundle().size()) != 1) {
    ERR_clear_error();
    return absl::InternalError("Ed25519 signing failed");
  }
  sig.resize(sig_len);
  out.set_signature(sig);
  std::unique_ptr<BIO, BioFree> pub(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(pub.get(), key->get());
  auto id = SigningKeyId(BioText(pub.get()));
  if (!id.ok()) return id.status();
  out.set_key_id(*id);
  return out;
}

absl::StatusOr<v1::PolicyBundle> VerifyBundle(
    const v1::SignedPolicyBundle& signed_bundle,
    const std::string& public_key_pem) {
  auto key = ReadKey(public_key_pem, false);
  if (!key.ok()) return key.status();
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  const std::string& data = signed_bundle.bundle();
  const std::string& sig = signed_bundle.signature();
  int ok = EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr,
                                key->get()) == 1 &&
           EVP_DigestVerify(
               ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()),
               sig.size(), reinterpret_cast<const unsigned char*>(data.data()),
               data.size()) == 1;
  ERR_clear_error();
  if (!ok) {
    return absl::PermissionDeniedError(
        "policy bundle signature does not verify with the pinned "
        "policy-signing key (tampered, or signed by another server)");
  }
  v1::PolicyBundle bundle;
  if (!bundle.ParseFromString(data)) {
    return absl::InvalidArgumentError("signed policy bundle is malformed");
  }
  return bundle;
}

}  // namespace trellis::policy
