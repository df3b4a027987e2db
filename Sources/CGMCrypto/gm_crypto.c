// SM2, SM3 and SM4 over OpenSSL 3's EVP interface. The low-level EC calls (deprecated in
// 3.0, still present) only compute a public point from a private scalar, which EVP
// cannot do when a key is imported from its scalar alone.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "gm_crypto.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <string.h>

struct sluice_sm2_key {
    EVP_PKEY *pkey;
    int has_private;
};

struct sluice_sm3_state {
    EVP_MD_CTX *context;
};

int sluice_sm3(const uint8_t *data, size_t length, uint8_t digest[32]) {
    unsigned int size = 0;
    return EVP_Digest(data, length, digest, &size, EVP_sm3(), NULL) == 1 && size == 32;
}

sluice_sm3_state *sluice_sm3_begin(void) {
    sluice_sm3_state *state = OPENSSL_zalloc(sizeof(*state));
    if (state == NULL) return NULL;
    state->context = EVP_MD_CTX_new();
    if (state->context == NULL || EVP_DigestInit_ex(state->context, EVP_sm3(), NULL) != 1) {
        sluice_sm3_free(state);
        return NULL;
    }
    return state;
}

int sluice_sm3_update(sluice_sm3_state *state, const uint8_t *data, size_t length) {
    return EVP_DigestUpdate(state->context, data, length) == 1;
}

int sluice_sm3_finish(sluice_sm3_state *state, uint8_t digest[32]) {
    unsigned int size = 0;
    int ok = EVP_DigestFinal_ex(state->context, digest, &size) == 1 && size == 32;
    sluice_sm3_free(state);
    return ok;
}

void sluice_sm3_free(sluice_sm3_state *state) {
    if (state == NULL) return;
    EVP_MD_CTX_free(state->context);
    OPENSSL_free(state);
}

int sluice_hmac_sm3(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length, uint8_t mac[32]) {
    unsigned int size = 0;
    if (key_length > INT32_MAX) return 0;
    return HMAC(EVP_sm3(), key, (int)key_length, data, length, mac, &size) != NULL && size == 32;
}

static int sm4(const EVP_CIPHER *cipher, int padding, int encrypt, const uint8_t key[16], const uint8_t *iv, const uint8_t *input,
               size_t length, uint8_t *output, size_t *written) {
    if (length > INT32_MAX - 16) return 0;
    EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
    if (context == NULL) return 0;
    int part = 0, last = 0;
    int ok = EVP_CipherInit_ex(context, cipher, NULL, key, iv, encrypt) == 1 && EVP_CIPHER_CTX_set_padding(context, padding) == 1 &&
             EVP_CipherUpdate(context, output, &part, input, (int)length) == 1 && EVP_CipherFinal_ex(context, output + part, &last) == 1;
    EVP_CIPHER_CTX_free(context);
    if (ok) *written = (size_t)part + (size_t)last;
    return ok;
}

int sluice_sm4_cbc(int encrypt, const uint8_t key[16], const uint8_t iv[16], const uint8_t *input, size_t length, uint8_t *output,
                   size_t *written) {
    return sm4(EVP_sm4_cbc(), 1, encrypt, key, iv, input, length, output, written);
}

int sluice_sm4_block(int encrypt, const uint8_t key[16], const uint8_t input[16], uint8_t output[16]) {
    size_t written = 0;
    return sm4(EVP_sm4_ecb(), 0, encrypt, key, NULL, input, 16, output, &written) && written == 16;
}

static sluice_sm2_key *wrap(EVP_PKEY *pkey, int has_private) {
    if (pkey == NULL) return NULL;
    sluice_sm2_key *key = OPENSSL_zalloc(sizeof(*key));
    if (key == NULL) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    key->pkey = pkey;
    key->has_private = has_private;
    return key;
}

sluice_sm2_key *sluice_sm2_generate(void) { return wrap(EVP_PKEY_Q_keygen(NULL, NULL, "SM2"), 1); }

// A key from OSSL parameters: the SM2 group, the public point, and the scalar if any.
static EVP_PKEY *from_parts(const uint8_t point[65], const BIGNUM *scalar) {
    OSSL_PARAM_BLD *build = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *context = NULL;
    EVP_PKEY *pkey = NULL;
    int selection = scalar != NULL ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY;
    if (build == NULL || OSSL_PARAM_BLD_push_utf8_string(build, OSSL_PKEY_PARAM_GROUP_NAME, SN_sm2, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(build, OSSL_PKEY_PARAM_PUB_KEY, point, 65) != 1 ||
        (scalar != NULL && OSSL_PARAM_BLD_push_BN(build, OSSL_PKEY_PARAM_PRIV_KEY, scalar) != 1))
        goto done;
    params = OSSL_PARAM_BLD_to_param(build);
    context = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
    if (params == NULL || context == NULL || EVP_PKEY_fromdata_init(context) != 1 ||
        EVP_PKEY_fromdata(context, &pkey, selection, params) != 1) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
        goto done;
    }
    // fromdata does not check that the point is on the curve: a public key check does.
    EVP_PKEY_CTX *check = EVP_PKEY_CTX_new(pkey, NULL);
    int valid = check != NULL && EVP_PKEY_public_check(check) == 1;
    EVP_PKEY_CTX_free(check);
    if (!valid) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
done:
    EVP_PKEY_CTX_free(context);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(build);
    return pkey;
}

sluice_sm2_key *sluice_sm2_from_private(const uint8_t scalar[32]) {
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_sm2);
    BIGNUM *d = BN_bin2bn(scalar, 32, NULL);
    EC_POINT *q = group != NULL ? EC_POINT_new(group) : NULL;
    EVP_PKEY *pkey = NULL;
    uint8_t point[65];
    // 1 ≤ d ≤ n − 2 (GB/T 32918.1 §6.1).
    BIGNUM *limit = BN_new();
    if (group == NULL || d == NULL || q == NULL || limit == NULL || BN_copy(limit, EC_GROUP_get0_order(group)) == NULL ||
        BN_sub_word(limit, 1) != 1 || BN_is_zero(d) || BN_cmp(d, limit) >= 0)
        goto done;
    if (EC_POINT_mul(group, q, d, NULL, NULL, NULL) != 1 ||
        EC_POINT_point2oct(group, q, POINT_CONVERSION_UNCOMPRESSED, point, sizeof(point), NULL) != sizeof(point))
        goto done;
    pkey = from_parts(point, d);
done:
    BN_free(limit);
    EC_POINT_free(q);
    BN_clear_free(d);
    EC_GROUP_free(group);
    return wrap(pkey, 1);
}

sluice_sm2_key *sluice_sm2_from_public(const uint8_t point[65]) {
    if (point[0] != 0x04) return NULL;
    return wrap(from_parts(point, NULL), 0);
}

static int is_sm2(EVP_PKEY *pkey) {
    if (EVP_PKEY_is_a(pkey, "SM2")) return 1;
    // A key read from PEM on the SM2 curve may come as a plain EC key.
    char group[32] = {0};
    size_t length = 0;
    return EVP_PKEY_is_a(pkey, "EC") &&
           EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), &length) == 1 &&
           strcmp(group, SN_sm2) == 0;
}

// Re-imports an SM2-curve key as an SM2 key, so that the SM2 signature and encryption
// operations apply to it.
static EVP_PKEY *as_sm2(EVP_PKEY *pkey, int has_private) {
    if (EVP_PKEY_is_a(pkey, "SM2")) return pkey;
    uint8_t point[65];
    size_t length = 0;
    BIGNUM *d = NULL;
    EVP_PKEY *converted = NULL;
    if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point), &length) == 1 && length == 65 &&
        (!has_private || EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1))
        converted = from_parts(point, d);
    BN_clear_free(d);
    EVP_PKEY_free(pkey);
    return converted;
}

sluice_sm2_key *sluice_sm2_from_pem(const char *pem, size_t length, int *is_private) {
    if (length > INT32_MAX) return NULL;
    BIO *bio = BIO_new_mem_buf(pem, (int)length);
    if (bio == NULL) return NULL;
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
    int has_private = pkey != NULL;
    if (pkey == NULL) {
        BIO_free(bio);
        bio = BIO_new_mem_buf(pem, (int)length);
        if (bio == NULL) return NULL;
        pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    }
    BIO_free(bio);
    if (pkey == NULL || !is_sm2(pkey)) {
        EVP_PKEY_free(pkey);
        return NULL;
    }
    pkey = as_sm2(pkey, has_private);
    if (pkey == NULL) return NULL;
    *is_private = has_private;
    return wrap(pkey, has_private);
}

void sluice_sm2_free(sluice_sm2_key *key) {
    if (key == NULL) return;
    EVP_PKEY_free(key->pkey);
    OPENSSL_free(key);
}

int sluice_sm2_public_point(const sluice_sm2_key *key, uint8_t point[65]) {
    size_t length = 0;
    return EVP_PKEY_get_octet_string_param(key->pkey, OSSL_PKEY_PARAM_PUB_KEY, point, 65, &length) == 1 && length == 65 &&
           point[0] == 0x04;
}

int sluice_sm2_private_scalar(const sluice_sm2_key *key, uint8_t scalar[32]) {
    BIGNUM *d = NULL;
    if (!key->has_private || EVP_PKEY_get_bn_param(key->pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1) return 0;
    int ok = BN_bn2binpad(d, scalar, 32) == 32;
    BN_clear_free(d);
    return ok;
}

int sluice_sm2_pem(const sluice_sm2_key *key, int private_part, char *output, size_t capacity, size_t *written) {
    if (private_part && !key->has_private) return 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (bio == NULL) return 0;
    int ok = private_part ? PEM_write_bio_PrivateKey(bio, key->pkey, NULL, NULL, 0, NULL, NULL) == 1
                          : PEM_write_bio_PUBKEY(bio, key->pkey) == 1;
    char *text = NULL;
    long length = ok ? BIO_get_mem_data(bio, &text) : 0;
    ok = ok && length > 0 && (size_t)length <= capacity;
    if (ok) {
        memcpy(output, text, (size_t)length);
        *written = (size_t)length;
    }
    BIO_free(bio);
    return ok;
}

// A digest-sign or digest-verify context for SM2 with SM3 and the signer id.
static EVP_MD_CTX *signing_context(const sluice_sm2_key *key, const uint8_t *id, size_t id_length, int sign) {
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pkey_context = EVP_PKEY_CTX_new(key->pkey, NULL);
    if (context == NULL || pkey_context == NULL || EVP_PKEY_CTX_set1_id(pkey_context, id, id_length) != 1) {
        EVP_MD_CTX_free(context);
        EVP_PKEY_CTX_free(pkey_context);
        return NULL;
    }
    // The digest context owns the key context from here.
    EVP_MD_CTX_set_pkey_ctx(context, pkey_context);
    int ok = sign ? EVP_DigestSignInit(context, NULL, EVP_sm3(), NULL, key->pkey) == 1
                  : EVP_DigestVerifyInit(context, NULL, EVP_sm3(), NULL, key->pkey) == 1;
    if (!ok) {
        EVP_MD_CTX_free(context);
        EVP_PKEY_CTX_free(pkey_context);
        return NULL;
    }
    return context;
}

int sluice_sm2_sign(const sluice_sm2_key *key, const uint8_t *id, size_t id_length, const uint8_t *message, size_t length,
                    uint8_t signature[64]) {
    if (!key->has_private) return 0;
    EVP_MD_CTX *context = signing_context(key, id, id_length, 1);
    if (context == NULL) return 0;
    EVP_PKEY_CTX *pkey_context = EVP_MD_CTX_get_pkey_ctx(context);
    uint8_t der[80];
    size_t der_length = sizeof(der);
    int ok = EVP_DigestSign(context, der, &der_length, message, length) == 1;
    EVP_MD_CTX_free(context);
    EVP_PKEY_CTX_free(pkey_context);
    if (!ok) return 0;
    const uint8_t *cursor = der;
    ECDSA_SIG *parsed = d2i_ECDSA_SIG(NULL, &cursor, (long)der_length);
    if (parsed == NULL) return 0;
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(parsed, &r, &s);
    ok = BN_bn2binpad(r, signature, 32) == 32 && BN_bn2binpad(s, signature + 32, 32) == 32;
    ECDSA_SIG_free(parsed);
    return ok;
}

int sluice_sm2_verify(const sluice_sm2_key *key, const uint8_t *id, size_t id_length, const uint8_t *message, size_t length,
                      const uint8_t signature[64]) {
    ECDSA_SIG *parsed = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(signature, 32, NULL);
    BIGNUM *s = BN_bin2bn(signature + 32, 32, NULL);
    if (parsed == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(parsed, r, s) != 1) {
        ECDSA_SIG_free(parsed);
        BN_free(r);
        BN_free(s);
        return 0;
    }
    uint8_t *der = NULL;
    int der_length = i2d_ECDSA_SIG(parsed, &der);
    ECDSA_SIG_free(parsed);
    if (der_length <= 0) return 0;
    EVP_MD_CTX *context = signing_context(key, id, id_length, 0);
    int ok = 0;
    if (context != NULL) {
        EVP_PKEY_CTX *pkey_context = EVP_MD_CTX_get_pkey_ctx(context);
        ok = EVP_DigestVerify(context, der, (size_t)der_length, message, length) == 1;
        EVP_MD_CTX_free(context);
        EVP_PKEY_CTX_free(pkey_context);
    }
    OPENSSL_free(der);
    return ok;
}

static int sm2_cipher(const sluice_sm2_key *key, int encrypt, const uint8_t *input, size_t length, uint8_t *output, size_t *written,
                      size_t capacity) {
    if (!encrypt && !key->has_private) return 0;
    EVP_PKEY_CTX *context = EVP_PKEY_CTX_new(key->pkey, NULL);
    if (context == NULL) return 0;
    size_t size = capacity;
    int ok = encrypt ? EVP_PKEY_encrypt_init(context) == 1 && EVP_PKEY_encrypt(context, output, &size, input, length) == 1
                     : EVP_PKEY_decrypt_init(context) == 1 && EVP_PKEY_decrypt(context, output, &size, input, length) == 1;
    EVP_PKEY_CTX_free(context);
    if (ok) *written = size;
    return ok;
}

int sluice_sm2_encrypt(const sluice_sm2_key *key, const uint8_t *plaintext, size_t length, uint8_t *output, size_t *written) {
    return sm2_cipher(key, 1, plaintext, length, output, written, length + 128);
}

int sluice_sm2_decrypt(const sluice_sm2_key *key, const uint8_t *ciphertext, size_t length, uint8_t *output, size_t *written) {
    return sm2_cipher(key, 0, ciphertext, length, output, written, length);
}

// MARK: Certificates

#include <openssl/asn1.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

struct sluice_sm2_certificate {
    X509 *x509;
};

sluice_sm2_certificate *sluice_sm2_certificate_from_der(const uint8_t *der, size_t length) {
    if (length > INT32_MAX) return NULL;
    const uint8_t *cursor = der;
    X509 *x509 = d2i_X509(NULL, &cursor, (long)length);
    if (x509 == NULL) return NULL;
    if (cursor != der + length) {
        X509_free(x509);
        return NULL;
    }
    sluice_sm2_certificate *certificate = OPENSSL_zalloc(sizeof(*certificate));
    if (certificate == NULL) {
        X509_free(x509);
        return NULL;
    }
    certificate->x509 = x509;
    return certificate;
}

void sluice_sm2_certificate_free(sluice_sm2_certificate *certificate) {
    if (certificate == NULL) return;
    X509_free(certificate->x509);
    OPENSSL_free(certificate);
}

sluice_sm2_key *sluice_sm2_certificate_key(const sluice_sm2_certificate *certificate) {
    EVP_PKEY *pkey = X509_get0_pubkey(certificate->x509);
    if (pkey == NULL || !is_sm2(pkey)) return NULL;
    uint8_t point[65];
    size_t length = 0;
    if (EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point), &length) != 1 || length != 65) return NULL;
    return sluice_sm2_from_public(point);
}

int sluice_sm2_certificate_verify(const sluice_sm2_certificate *certificate, const sluice_sm2_key *issuer, const uint8_t *id,
                                  size_t id_length) {
    if (X509_get_signature_nid(certificate->x509) != NID_SM2_with_SM3) return 0;
    ASN1_OCTET_STRING *distinguishing = ASN1_OCTET_STRING_new();
    if (distinguishing == NULL || ASN1_OCTET_STRING_set(distinguishing, id, (int)id_length) != 1) {
        ASN1_OCTET_STRING_free(distinguishing);
        return 0;
    }
    // The id is set on a copy, which takes it: the shared certificate is never changed, so
    // several threads may verify it at once.
    X509 *copy = X509_dup(certificate->x509);
    if (copy == NULL) {
        ASN1_OCTET_STRING_free(distinguishing);
        return 0;
    }
    X509_set0_distinguishing_id(copy, distinguishing);
    int ok = X509_verify(copy, issuer->pkey) == 1;
    X509_free(copy);
    return ok;
}

static int unix_time(const ASN1_TIME *time, int64_t *seconds) {
    struct tm parts;
    if (time == NULL || ASN1_TIME_to_tm(time, &parts) != 1) return 0;
    *seconds = (int64_t)timegm(&parts);
    return 1;
}

int sluice_sm2_certificate_validity(const sluice_sm2_certificate *certificate, int64_t *not_before, int64_t *not_after) {
    return unix_time(X509_get0_notBefore(certificate->x509), not_before) && unix_time(X509_get0_notAfter(certificate->x509), not_after);
}

int sluice_sm2_certificate_name(const sluice_sm2_certificate *certificate, int issuer, uint8_t *output, size_t capacity, size_t *written) {
    const X509_NAME *name = issuer ? X509_get_issuer_name(certificate->x509) : X509_get_subject_name(certificate->x509);
    const unsigned char *der = NULL;
    size_t length = 0;
    if (name == NULL || X509_NAME_get0_der((X509_NAME *)name, &der, &length) != 1 || length > capacity) return 0;
    memcpy(output, der, length);
    *written = length;
    return 1;
}

int sluice_sm2_certificate_subject_text(const sluice_sm2_certificate *certificate, int nid, char *output, size_t capacity,
                                        size_t *written) {
    X509_NAME *name = X509_get_subject_name(certificate->x509);
    int index = X509_NAME_get_index_by_NID(name, nid, -1);
    if (index < 0) return 0;
    ASN1_STRING *value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char *utf8 = NULL;
    int length = ASN1_STRING_to_UTF8(&utf8, value);
    int ok = length >= 0 && (size_t)length <= capacity;
    if (ok) {
        memcpy(output, utf8, (size_t)length);
        *written = (size_t)length;
    }
    OPENSSL_free(utf8);
    return ok;
}

int sluice_sm2_certificate_is_ca(const sluice_sm2_certificate *certificate) { return X509_check_ca(certificate->x509) == 1; }

uint32_t sluice_sm2_certificate_key_usage(const sluice_sm2_certificate *certificate) { return X509_get_key_usage(certificate->x509); }

int sluice_sm2_certificate_has_extended_usage(const sluice_sm2_certificate *certificate, const char *oid) {
    EXTENDED_KEY_USAGE *usages = X509_get_ext_d2i(certificate->x509, NID_ext_key_usage, NULL, NULL);
    if (usages == NULL) return -1;
    ASN1_OBJECT *wanted = OBJ_txt2obj(oid, 1);
    int found = 0;
    for (int index = 0; wanted != NULL && index < sk_ASN1_OBJECT_num(usages); index++) {
        if (OBJ_cmp(sk_ASN1_OBJECT_value(usages, index), wanted) == 0) found = 1;
    }
    ASN1_OBJECT_free(wanted);
    EXTENDED_KEY_USAGE_free(usages);
    return found;
}

int sluice_sm2_certificate_serial(const sluice_sm2_certificate *certificate, uint8_t *output, size_t capacity, size_t *written) {
    BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate->x509), NULL);
    if (serial == NULL) return 0;
    int length = BN_num_bytes(serial);
    int ok = length >= 0 && (size_t)length <= capacity && BN_bn2bin(serial, output) == length;
    if (ok) *written = (size_t)length;
    BN_free(serial);
    return ok;
}

static int add_extension(X509 *x509, X509V3_CTX *context, int nid, const char *value) {
    if (value == NULL) return 1;
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(NULL, context, nid, value);
    if (extension == NULL) return 0;
    int ok = X509_add_ext(x509, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return ok;
}

static int set_time(ASN1_TIME *field, int64_t seconds) { return ASN1_TIME_set(field, (time_t)seconds) != NULL; }

int sluice_sm2_certificate_issue(const sluice_sm2_key *subject_key, const char *common_name, const char *organization,
                                 const sluice_sm2_certificate *issuer, const sluice_sm2_key *issuer_key, const uint8_t *id,
                                 size_t id_length, const uint8_t *serial, size_t serial_length, int64_t not_before, int64_t not_after,
                                 int is_ca, const char *key_usage, const char *extended_key_usage, uint8_t *output, size_t capacity,
                                 size_t *written) {
    if (!issuer_key->has_private || serial_length == 0 || serial_length > 20 || serial_length > INT32_MAX) return 0;
    X509 *x509 = X509_new();
    X509_NAME *name = X509_NAME_new();
    BIGNUM *number = BN_bin2bn(serial, (int)serial_length, NULL);
    EVP_MD_CTX *signing = NULL;
    EVP_PKEY_CTX *signing_key = NULL;
    int ok = 0;
    if (x509 == NULL || name == NULL || number == NULL) goto done;
    if (X509_set_version(x509, 2) != 1 || BN_to_ASN1_INTEGER(number, X509_get_serialNumber(x509)) == NULL) goto done;
    if ((organization != NULL &&
         X509_NAME_add_entry_by_NID(name, NID_organizationName, MBSTRING_UTF8, (const unsigned char *)organization, -1, -1, 0) != 1) ||
        X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, (const unsigned char *)common_name, -1, -1, 0) != 1)
        goto done;
    if (X509_set_subject_name(x509, name) != 1 ||
        X509_set_issuer_name(x509, issuer != NULL ? X509_get_subject_name(issuer->x509) : name) != 1)
        goto done;
    if (!set_time(X509_getm_notBefore(x509), not_before) || !set_time(X509_getm_notAfter(x509), not_after)) goto done;
    if (X509_set_pubkey(x509, subject_key->pkey) != 1) goto done;
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer != NULL ? issuer->x509 : x509, x509, NULL, NULL, 0);
    if (!add_extension(x509, &context, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE") ||
        !add_extension(x509, &context, NID_key_usage, key_usage) ||
        !add_extension(x509, &context, NID_ext_key_usage, extended_key_usage) ||
        !add_extension(x509, &context, NID_subject_key_identifier, "hash") ||
        !add_extension(x509, &context, NID_authority_key_identifier, "keyid:always"))
        goto done;
    signing = EVP_MD_CTX_new();
    signing_key = EVP_PKEY_CTX_new(issuer_key->pkey, NULL);
    if (signing == NULL || signing_key == NULL || EVP_PKEY_CTX_set1_id(signing_key, id, id_length) != 1) goto done;
    EVP_MD_CTX_set_pkey_ctx(signing, signing_key);
    if (EVP_DigestSignInit(signing, NULL, EVP_sm3(), NULL, issuer_key->pkey) != 1 || X509_sign_ctx(x509, signing) <= 0) goto done;
    int length = i2d_X509(x509, NULL);
    if (length <= 0 || (size_t)length > capacity) goto done;
    unsigned char *cursor = output;
    if (i2d_X509(x509, &cursor) != length) goto done;
    *written = (size_t)length;
    ok = 1;
done:
    EVP_MD_CTX_free(signing);
    EVP_PKEY_CTX_free(signing_key);
    BN_free(number);
    X509_NAME_free(name);
    X509_free(x509);
    return ok;
}
