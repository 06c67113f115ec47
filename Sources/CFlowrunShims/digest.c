// SHA-256 for task fingerprints, from the system's libcrypto (OpenSSL's EVP
// interface), loaded the first time a digest is asked for rather than linked:
// linking it cost every start of flowrun about 0.6 ms of relocations (see the
// commit), though only runs with a state folder ever hash. On macOS it is
// CommonCrypto, which is part of libSystem. No hand-written digest.
#include "CFlowrunShims.h"

#include <stdlib.h>
#include <string.h>

#if defined(__APPLE__)
#include <CommonCrypto/CommonDigest.h>

struct flowrun_sha256 { CC_SHA256_CTX context; };

const char *flowrun_sha256_unavailable(void) { return NULL; }

void flowrun_sha256_preload(void) {}

flowrun_sha256 *flowrun_sha256_new(void) {
    flowrun_sha256 *digest = malloc(sizeof *digest);
    if (digest) CC_SHA256_Init(&digest->context);
    return digest;
}

void flowrun_sha256_update(flowrun_sha256 *digest, const void *bytes, size_t count) {
    while (count > 0) {
        CC_LONG piece = count > 0x40000000 ? 0x40000000 : (CC_LONG)count;
        CC_SHA256_Update(&digest->context, bytes, piece);
        bytes = (const unsigned char *)bytes + piece;
        count -= piece;
    }
}

void flowrun_sha256_finish(flowrun_sha256 *digest, unsigned char out[32]) {
    CC_SHA256_Final(out, &digest->context);
    free(digest);
}

#else
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>

typedef void *(*md_ctx_new_fn)(void);
typedef void (*md_ctx_free_fn)(void *);
typedef const void *(*md_fn)(void);
typedef int (*digest_init_fn)(void *, const void *, void *);
typedef int (*digest_update_fn)(void *, const void *, size_t);
typedef int (*digest_final_fn)(void *, unsigned char *, unsigned int *);

static struct {
    md_ctx_new_fn ctx_new;
    md_ctx_free_fn ctx_free;
    md_fn sha256;
    digest_init_fn init;
    digest_update_fn update;
    digest_final_fn final;
    const char *unavailable;
} crypto;

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;

static void load_crypto(void) {
    // OpenSSL 3, then the development link, then 1.1 (which has the same EVP
    // calls); FLOWRUN_LIBCRYPTO names another file instead.
    static const char *const names[] = {"libcrypto.so.3", "libcrypto.so", "libcrypto.so.1.1"};
    const char *chosen = getenv("FLOWRUN_LIBCRYPTO");
    void *library = NULL;
    if (chosen && *chosen) {
        library = dlopen(chosen, RTLD_NOW | RTLD_LOCAL);
    } else {
        for (size_t i = 0; i < sizeof names / sizeof names[0] && !library; i++) {
            library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        }
    }
    if (!library) {
        crypto.unavailable = chosen && *chosen
            ? "cannot load the libcrypto that FLOWRUN_LIBCRYPTO names, for the SHA-256 of task fingerprints"
            : "cannot load libcrypto (libcrypto.so.3, OpenSSL) for the SHA-256 of task fingerprints; install OpenSSL's library (Debian: libssl3)";
        return;
    }
    // No openssl.cnf: a SHA-256 needs no configured provider, and reading
    // the file was half of the first digest's ~1 ms (OpenSSL 3 here). No
    // atexit clean-up either: flowrun may exit (a workflow with errors) while
    // `flowrun_sha256_preload`'s thread is still in libcrypto, and the
    // clean-up would free what that thread uses. The process's end frees it all.
    typedef int (*init_crypto_fn)(uint64_t, const void *);
    init_crypto_fn init_crypto = (init_crypto_fn)dlsym(library, "OPENSSL_init_crypto");
    if (init_crypto) (void)init_crypto(0x00000080ULL /* OPENSSL_INIT_NO_LOAD_CONFIG */ | 0x00080000ULL /* OPENSSL_INIT_NO_ATEXIT */, NULL);
    crypto.ctx_new = (md_ctx_new_fn)dlsym(library, "EVP_MD_CTX_new");
    crypto.ctx_free = (md_ctx_free_fn)dlsym(library, "EVP_MD_CTX_free");
    crypto.sha256 = (md_fn)dlsym(library, "EVP_sha256");
    crypto.init = (digest_init_fn)dlsym(library, "EVP_DigestInit_ex");
    crypto.update = (digest_update_fn)dlsym(library, "EVP_DigestUpdate");
    crypto.final = (digest_final_fn)dlsym(library, "EVP_DigestFinal_ex");
    if (!crypto.ctx_new || !crypto.ctx_free || !crypto.sha256 || !crypto.init || !crypto.update || !crypto.final) {
        crypto.unavailable = "the libcrypto found lacks OpenSSL's EVP SHA-256 calls (OpenSSL 1.1 or later is needed for task fingerprints)";
    }
}

const char *flowrun_sha256_unavailable(void) {
    pthread_once(&crypto_once, load_crypto);
    return crypto.unavailable;
}

static void *preload_crypto(void *unused) {
    (void)unused;
    pthread_once(&crypto_once, load_crypto);
    // The first EVP_DigestInit_ex fetches the default provider (~0.4 ms
    // here, after the dlopen's ~0.6 ms): done once, then every digest reuses it.
    if (!crypto.unavailable) {
        void *context = crypto.ctx_new();
        if (context) {
            (void)crypto.init(context, crypto.sha256(), NULL);
            crypto.ctx_free(context);
        }
    }
    return NULL;
}

void flowrun_sha256_preload(void) {
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) return;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    // Without a thread, the first digest loads it, as before.
    (void)pthread_create(&thread, &attributes, preload_crypto, NULL);
    pthread_attr_destroy(&attributes);
}

struct flowrun_sha256 { void *context; };

flowrun_sha256 *flowrun_sha256_new(void) {
    if (flowrun_sha256_unavailable()) return NULL;
    flowrun_sha256 *digest = malloc(sizeof *digest);
    if (!digest) return NULL;
    digest->context = crypto.ctx_new();
    if (!digest->context || crypto.init(digest->context, crypto.sha256(), NULL) != 1) {
        if (digest->context) crypto.ctx_free(digest->context);
        free(digest);
        return NULL;
    }
    return digest;
}

void flowrun_sha256_update(flowrun_sha256 *digest, const void *bytes, size_t count) {
    crypto.update(digest->context, bytes, count);
}

void flowrun_sha256_finish(flowrun_sha256 *digest, unsigned char out[32]) {
    unsigned int length = 0;
    crypto.final(digest->context, out, &length);
    crypto.ctx_free(digest->context);
    free(digest);
}
#endif
