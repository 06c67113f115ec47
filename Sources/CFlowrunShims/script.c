// The descriptor a task's script reaches its shell through (issue 16):
// never a command-line argument, never a named file once the shell runs.
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "CFlowrunShims.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/mman.h>
#include <sys/syscall.h>
#endif

static int write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        bytes += written;
        length -= (size_t)written;
    }
    return 0;
}

static int fail_closing(int fd) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
}

#if defined(__linux__) && defined(SYS_memfd_create) && defined(F_ADD_SEALS)
static int memfd_script(const char *bytes, size_t length) {
    int fd = (int)syscall(SYS_memfd_create, "flowrun-script", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) return -1;
    if (write_all(fd, bytes, length) != 0) return fail_closing(fd);
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) return fail_closing(fd);
    if (lseek(fd, 0, SEEK_SET) != 0) return fail_closing(fd);
    return fd;
}
#endif

static int temp_file_script(const char *bytes, size_t length, const char *directory) {
    char path[PATH_MAX];
    const char *base = directory && directory[0] ? directory : "/tmp";
    if (snprintf(path, sizeof path, "%s/flowrun-script-XXXXXX", base) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    // mkstemp creates the file 0600; it is unlinked before the script is
    // written, so no run, timeout or kill of flowrun can leave it behind.
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    if (unlink(path) != 0) return fail_closing(fd);
    (void)fchmod(fd, S_IRUSR | S_IWUSR);
    (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (write_all(fd, bytes, length) != 0) return fail_closing(fd);
    if (lseek(fd, 0, SEEK_SET) != 0) return fail_closing(fd);
    return fd;
}

int flowrun_script_descriptor(const char *bytes, size_t length, const char *directory, int temp_file) {
#if defined(__linux__) && defined(SYS_memfd_create) && defined(F_ADD_SEALS)
    if (!temp_file) {
        int fd = memfd_script(bytes, length);
        if (fd >= 0 || (errno != ENOSYS && errno != EINVAL)) return fd;
    }
#endif
    return temp_file_script(bytes, length, directory);
}
