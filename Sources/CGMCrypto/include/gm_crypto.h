// The national algorithms (SM2, SM3, SM4) through the system's OpenSSL 3 libcrypto,
// cut down to what Sluice's GM profile needs. Every function returns 1 on success and 0
// on failure; buffers are the caller's, with their sizes given.
#ifndef SLUICE_GM_CRYPTO_H
#define SLUICE_GM_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/// An SM2 key pair or public key held by OpenSSL (an EVP_PKEY).
typedef struct sluice_sm2_key sluice_sm2_key;

/// SM3 of `length` bytes into `digest` (32 bytes).
int sluice_sm3(const uint8_t *data, size_t length, uint8_t digest[32]);

/// An SM3 hash fed in pieces.
typedef struct sluice_sm3_state sluice_sm3_state;
sluice_sm3_state *sluice_sm3_begin(void);
int sluice_sm3_update(sluice_sm3_state *state, const uint8_t *data, size_t length);
/// Writes the digest and frees the state.
int sluice_sm3_finish(sluice_sm3_state *state, uint8_t digest[32]);
void sluice_sm3_free(sluice_sm3_state *state);

/// HMAC-SM3 of `length` bytes under `key` into `mac` (32 bytes).
int sluice_hmac_sm3(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length, uint8_t mac[32]);

/// SM4-CBC with PKCS#7 padding. `output` must hold `length + 16` bytes; `*written` gets
/// the count. `encrypt` is 1 to encrypt, 0 to decrypt (which fails on bad padding).
int sluice_sm4_cbc(int encrypt, const uint8_t key[16], const uint8_t iv[16], const uint8_t *input, size_t length, uint8_t *output,
                   size_t *written);

/// SM4 on one block without chaining or padding (for the standard's test vectors).
int sluice_sm4_block(int encrypt, const uint8_t key[16], const uint8_t input[16], uint8_t output[16]);

/// A new random SM2 key pair.
sluice_sm2_key *sluice_sm2_generate(void);
/// A key pair from its 32-byte private scalar (the public point is computed).
sluice_sm2_key *sluice_sm2_from_private(const uint8_t scalar[32]);
/// A public key from its 65-byte uncompressed point (04 ‖ x ‖ y); fails off the curve.
sluice_sm2_key *sluice_sm2_from_public(const uint8_t point[65]);
/// A key from PEM: PKCS#8 or SEC1 private key, or SubjectPublicKeyInfo; only SM2 keys.
sluice_sm2_key *sluice_sm2_from_pem(const char *pem, size_t length, int *is_private);
void sluice_sm2_free(sluice_sm2_key *key);

/// The 65-byte uncompressed public point.
int sluice_sm2_public_point(const sluice_sm2_key *key, uint8_t point[65]);
/// The 32-byte private scalar (fails for a public key).
int sluice_sm2_private_scalar(const sluice_sm2_key *key, uint8_t scalar[32]);
/// PEM text: PKCS#8 for a private key (`private` 1), SubjectPublicKeyInfo otherwise. Writes
/// at most `capacity` bytes; `*written` gets the length (the text is not NUL-terminated).
int sluice_sm2_pem(const sluice_sm2_key *key, int private_part, char *output, size_t capacity, size_t *written);

/// SM2 signature with SM3 over `message`, for the signer id `id` (GB/T 35276 uses
/// "1234567812345678"): the raw 64-byte r ‖ s.
int sluice_sm2_sign(const sluice_sm2_key *key, const uint8_t *id, size_t id_length, const uint8_t *message, size_t length,
                    uint8_t signature[64]);
/// 1 when `signature` (r ‖ s) is `key`'s over `message` for `id`; 0 otherwise.
int sluice_sm2_verify(const sluice_sm2_key *key, const uint8_t *id, size_t id_length, const uint8_t *message, size_t length,
                      const uint8_t signature[64]);

/// SM2 public-key encryption (GM/T 0009 ASN.1 SM2Cipher, C1 C3 C2). `output` must hold
/// `length + 128` bytes.
int sluice_sm2_encrypt(const sluice_sm2_key *key, const uint8_t *plaintext, size_t length, uint8_t *output, size_t *written);
/// Decrypts an ASN.1 SM2Cipher; `output` must hold `length` bytes.
int sluice_sm2_decrypt(const sluice_sm2_key *key, const uint8_t *ciphertext, size_t length, uint8_t *output, size_t *written);

/// An X.509 certificate whose key is SM2 and whose signature is SM2 with SM3 (or any
/// certificate, for reading its fields), held by libcrypto.
typedef struct sluice_sm2_certificate sluice_sm2_certificate;

/// Parses DER; fails on trailing bytes.
sluice_sm2_certificate *sluice_sm2_certificate_from_der(const uint8_t *der, size_t length);
void sluice_sm2_certificate_free(sluice_sm2_certificate *certificate);
/// The certificate's SM2 public key (a new key the caller frees); NULL when not SM2.
sluice_sm2_key *sluice_sm2_certificate_key(const sluice_sm2_certificate *certificate);
/// 1 when the certificate is signed SM2-with-SM3 by `issuer` for the signer id `id`.
int sluice_sm2_certificate_verify(const sluice_sm2_certificate *certificate, const sluice_sm2_key *issuer, const uint8_t *id,
                                  size_t id_length);
/// Validity as Unix seconds.
int sluice_sm2_certificate_validity(const sluice_sm2_certificate *certificate, int64_t *not_before, int64_t *not_after);
/// The subject's or issuer's (`issuer` 1) distinguished name, DER-encoded.
int sluice_sm2_certificate_name(const sluice_sm2_certificate *certificate, int issuer, uint8_t *output, size_t capacity,
                                size_t *written);
/// The first value of the subject's attribute `nid` (NID_commonName 13, NID_organizationName
/// 17) as UTF-8; fails when absent.
int sluice_sm2_certificate_subject_text(const sluice_sm2_certificate *certificate, int nid, char *output, size_t capacity,
                                        size_t *written);
/// Basic constraints: 1 for a CA, 0 otherwise.
int sluice_sm2_certificate_is_ca(const sluice_sm2_certificate *certificate);
/// Key usage bits as OpenSSL reports them (KU_DIGITAL_SIGNATURE 0x80, KU_KEY_ENCIPHERMENT
/// 0x20, KU_KEY_AGREEMENT 0x08, KU_KEY_CERT_SIGN 0x04), or 0xFFFFFFFF without the extension.
uint32_t sluice_sm2_certificate_key_usage(const sluice_sm2_certificate *certificate);
/// 1 when the extended key usage lists `oid` (dotted), 0 when not, -1 without the extension.
int sluice_sm2_certificate_has_extended_usage(const sluice_sm2_certificate *certificate, const char *oid);
/// The serial number's bytes (big-endian, at most 20).
int sluice_sm2_certificate_serial(const sluice_sm2_certificate *certificate, uint8_t *output, size_t capacity, size_t *written);

/// Issues a certificate for `subject_key`, signed SM2-with-SM3 for `id` by `issuer_key`
/// (with `issuer` as the issuing certificate, or self-signed when NULL). `key_usage` and
/// `extended_key_usage` are OpenSSL extension values ("critical,digitalSignature",
/// "clientAuth" or a dotted OID), NULL to leave the extension out. Writes DER.
int sluice_sm2_certificate_issue(const sluice_sm2_key *subject_key, const char *common_name, const char *organization,
                                 const sluice_sm2_certificate *issuer, const sluice_sm2_key *issuer_key, const uint8_t *id,
                                 size_t id_length, const uint8_t *serial, size_t serial_length, int64_t not_before, int64_t not_after,
                                 int is_ca, const char *key_usage, const char *extended_key_usage, uint8_t *output, size_t capacity,
                                 size_t *written);

#endif
