#ifdef __linux__
#define _GNU_SOURCE  // sync_file_range
#endif
#include "CFlowrunShims.h"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif
#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#endif

int flowrun_become_child_subreaper(void) {
#if defined(__linux__) && defined(PR_SET_CHILD_SUBREAPER)
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

static volatile sig_atomic_t forward_fd = -1;

static void forward_signal(int number) {
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    int fd = forward_fd;
    if (fd >= 0) {
        ssize_t ignored = write(fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int flowrun_forward_signals(const int *signals, int count, int write_fd) {
    forward_fd = write_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = forward_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    return 0;
}

int flowrun_default_reserved_signals(void) {
#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
    int reset = 0;
    for (int number = 32; number < SIGRTMIN; number++) {
        // The kernel's struct sigaction here: handler, flags, restorer, mask.
        // All zero is SIG_DFL with no flags and an empty mask.
        unsigned long old[4] = {0, 0, 0, 0};
        unsigned long fresh[4] = {0, 0, 0, 0};
        if (syscall(SYS_rt_sigaction, number, NULL, old, sizeof(unsigned long)) != 0) continue;
        if (old[0] != (unsigned long)SIG_IGN) continue;
        if (syscall(SYS_rt_sigaction, number, fresh, NULL, sizeof(unsigned long)) == 0) reset++;
    }
    return reset;
#else
    return 0;
#endif
}

int flowrun_start_writeback(int fd) {
    return flowrun_start_writeback_range(fd, 0, 0);
}

int flowrun_start_writeback_range(int fd, long long offset, long long length) {
#if defined(__linux__) && defined(SYNC_FILE_RANGE_WRITE)
    return sync_file_range(fd, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
    (void)offset;
    (void)length;
    return 0;
#endif
}

void flowrun_release_heap(int mmap_threshold) {
#if defined(__linux__) && defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
    // Fixing the mmap threshold also fixes the trim threshold at its 128 KiB
    // default: every free that left that much at the heap's top gave it back,
    // and the next 1 MiB output batch faulted it in again (100 MB of
    // prefixed output: 14,000 page faults became 96,000, CPU 2x).
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    malloc_trim(0);
#else
    (void)mmap_threshold;
#endif
}
