// OpenSSL's libcrypto, for what swift-crypto does not offer in the shape we need.
// The SHA-256 context is a plain struct: copying one is how an HMAC key's pads are
// hashed once and reused without allocating. OpenSSL 3.0 marks that low-level API
// deprecated in favour of EVP, whose contexts live on the heap.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/sha.h>
