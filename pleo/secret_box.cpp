#include "pleo/secret_box.hpp"

#include <memory>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdexcept>

namespace pleo {
namespace {

constexpr std::size_t nonce_size = 12;
constexpr std::size_t tag_size = 16;

using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

cipher_ctx new_ctx() {
  cipher_ctx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) throw std::runtime_error("cannot create a cipher context");
  return ctx;
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

} // namespace

std::optional<secret_key> secret_key::from_base64(std::string_view text) {
  auto decoded = text::base64_decode(trim(text));
  if (!decoded || decoded->size() != size) {
    if (decoded) wipe(*decoded);
    return std::nullopt;
  }
  secret_key key;
  std::copy(decoded->begin(), decoded->end(), key.bytes_.begin());
  wipe(*decoded);
  return key;
}

secret_key::~secret_key() {
  OPENSSL_cleanse(bytes_.data(), bytes_.size());
}

store::sealed_secret seal(const secret_key& key, std::string_view plaintext,
                          std::string_view associated_data) {
  store::sealed_secret out;
  out.nonce.resize(nonce_size);
  if (RAND_bytes(bytes(out.nonce), static_cast<int>(nonce_size)) != 1)
    throw std::runtime_error("no random bytes for a nonce");
  auto ctx = new_ctx();
  int len = 0;
  out.ciphertext.resize(plaintext.size() + tag_size);
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce_size), nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), bytes(out.nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), bytes(out.ciphertext), &len, bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1)
    throw std::runtime_error("encryption failed");
  int tail = 0;
  if (EVP_EncryptFinal_ex(ctx.get(), bytes(out.ciphertext) + len, &tail) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_size),
                          bytes(out.ciphertext) + plaintext.size()) != 1)
    throw std::runtime_error("encryption failed");
  return out;
}

std::optional<std::string> open(const secret_key& key, const store::sealed_secret& sealed,
                                std::string_view associated_data) {
  if (sealed.nonce.size() != nonce_size || sealed.ciphertext.size() < tag_size) return std::nullopt;
  const auto body_size = sealed.ciphertext.size() - tag_size;
  std::string tag = sealed.ciphertext.substr(body_size);
  auto ctx = new_ctx();
  std::string plain(body_size, '\0');
  int len = 0;
  int tail = 0;
  const bool ok =
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce_size), nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), bytes(sealed.nonce)) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(associated_data),
                        static_cast<int>(associated_data.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), bytes(plain), &len, bytes(sealed.ciphertext),
                        static_cast<int>(body_size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_size), bytes(tag)) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), bytes(plain) + len, &tail) == 1;
  if (!ok) {
    wipe(plain);
    return std::nullopt;
  }
  return plain;
}

std::string credential_context(std::string_view client_id, store::credential_kind kind) {
  std::string context = "v1|";
  context += client_id;
  context += '|';
  context += store::to_string(kind);
  return context;
}

store::sealed_secret seal_credential(const secret_key& key, std::string_view plaintext,
                                     std::string_view client_id, store::credential_kind kind) {
  return seal(key, plaintext, credential_context(client_id, kind));
}

std::optional<opened_credential> open_credential(const secret_key& key, const store::sealed_secret& sealed,
                                                 std::string_view client_id, store::credential_kind kind) {
  if (auto secret = open(key, sealed, credential_context(client_id, kind)))
    return opened_credential{std::move(*secret), false};
  // Rows sealed before the kind was bound in had the bare client id.
  if (auto secret = open(key, sealed, client_id)) return opened_credential{std::move(*secret), true};
  return std::nullopt;
}

void wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

} // namespace pleo
