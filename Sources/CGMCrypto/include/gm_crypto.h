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

#endif
