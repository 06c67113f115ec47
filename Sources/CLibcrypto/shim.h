// SHA-256 for fingerprints comes from the system's libcrypto (OpenSSL's EVP
// interface), as libyaml does for YAML: no hand-written digest in flowrun.
#include <openssl/evp.h>
