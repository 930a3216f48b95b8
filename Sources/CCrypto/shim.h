// OpenSSL's libcrypto: SHA-256 through the EVP digest interface (cache keys and entry checksums)
// and, for a future Jupyter kernel, HMAC-SHA256 for signing messages.
#include <openssl/evp.h>
#include <openssl/hmac.h>
