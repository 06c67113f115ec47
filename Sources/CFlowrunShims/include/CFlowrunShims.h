#ifndef CFLOWRUN_SHIMS_H
#define CFLOWRUN_SHIMS_H

/// Makes the calling process a child subreaper (Linux `PR_SET_CHILD_SUBREAPER`):
/// orphaned descendants are re-parented to it instead of to init.
/// Returns 0, or -1 with errno set (ENOSYS where the call does not exist).
/// A wrapper because `prctl` is variadic, which Swift cannot call.
int flowrun_become_child_subreaper(void);

/// Installs, for each of `signals`, a handler that writes the signal number as
/// one byte to `write_fd` (which should be non-blocking) and does nothing
/// else, so it is async-signal-safe and works on whichever thread the kernel
/// picks. Returns 0, or -1 with errno set.
///
/// Why not Dispatch signal sources: on Linux they read a signalfd, which only
/// sees a signal if every thread blocks it; the main thread parked by
/// `dispatch_main` (and Subprocess's monitor thread in `epoll_pwait`) wait
/// with an empty mask, so a signal delivered there was lost.
int flowrun_forward_signals(const int *signals, int count, int write_fd);

/// Sets glibc's reserved signals (32 up to SIGRTMIN, which its `sigaction`
/// refuses to touch) back to SIG_DFL where they are ignored, through the raw
/// system call. glibc's posix_spawn (<= 2.36) leaves them ignored in the
/// programs it starts, an ignored signal stays ignored across exec, and
/// flowrun's own fork/exec cannot reset them: a flowrun started by such a
/// parent would hand "SigIgn: 80000000" on to every task.
/// Returns how many were reset (0 elsewhere than Linux x86_64/arm64).
int flowrun_default_reserved_signals(void);

#include <stddef.h>
#include <sys/types.h>

/// What `flowrun_spawn` starts. Every pointer must stay valid for the call only.
typedef struct {
    /// Absolute path of the program (no PATH search happens here).
    const char *path;
    /// NULL-terminated argument and environment vectors.
    char *const *argv;
    char *const *envp;
    /// Working directory of the child.
    const char *cwd;
    /// Descriptors that become the child's 0, 1 and 2. Every other descriptor
    /// is closed, except `script_fd`.
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    /// A descriptor that becomes the child's fd 3 (the task's script, see
    /// `flowrun_script_descriptor`), or -1 for none.
    int script_fd;
    /// 0: clone(CLONE_VM|CLONE_VFORK) (Linux), 1: posix_spawn with POSIX_SPAWN_SETSID.
    int method;
} flowrun_spawn_request;

/// Starts a child in a new session (so its own process group, without a
/// controlling terminal), with stdin/stdout/stderr from the request, no other
/// descriptor, an empty signal mask and every signal at its default
/// disposition (glibc's reserved 32 and 33 included), in `cwd`, without
/// forking the calling process's address space.
///
/// Returns the pid, or -1 with `*failed_errno` set and `*failed_stage` saying
/// what failed: 1 chdir, 2 exec, 3 the spawn itself. `*pidfd` receives a
/// pidfd for the child (close-on-exec), or -1 where the kernel has none.
pid_t flowrun_spawn(const flowrun_spawn_request *request, int *pidfd, int *failed_errno, int *failed_stage);

/// A descriptor holding the `length` bytes of `bytes`, at offset 0,
/// close-on-exec, with no name on any file system once this returns: on
/// Linux a sealed `memfd_create` file (no write, grow, shrink or new seal);
/// elsewhere, or where memfd is missing or `temp_file` is nonzero, a 0600
/// `mkstemp` file in `directory` that is unlinked before any byte is written.
/// Returns the descriptor, or -1 with errno set.
int flowrun_script_descriptor(const char *bytes, size_t length, const char *directory, int temp_file);

/// Installs a SIGCHLD handler that writes one byte to `write_fd` (non-blocking),
/// so an event loop learns that some child (an adopted orphan, say) exited.
int flowrun_notify_child_exits(int write_fd);

/// epoll for the process event loop, through wrappers because `epoll_event`
/// is packed on x86_64, which Swift cannot lay out. Linux only (-1/ENOSYS elsewhere).
int flowrun_epoll_create(void);
int flowrun_epoll_add(int epoll_fd, int fd, unsigned long long token);
int flowrun_epoll_remove(int epoll_fd, int fd);
/// Waits up to `timeout_ms` (-1: no limit); writes up to `capacity` ready tokens. Returns their count.
int flowrun_epoll_wait(int epoll_fd, unsigned long long *tokens, int capacity, int timeout_ms);

/// `F_SETPIPE_SZ` where it exists; returns the new size or -1.
int flowrun_set_pipe_size(int fd, int size);
/// `F_GETPIPE_SZ` where it exists: the pipe's capacity, or -1 (not a pipe, or no such call).
int flowrun_pipe_size(int fd);

/// A pipe with both ends close-on-exec (pipe2 where it exists). Returns 0 or -1.
int flowrun_cloexec_pipe(int fds[2]);

/// SHA-256 (task fingerprints): libcrypto's EVP, loaded at the first call on
/// Linux; CommonCrypto on macOS. nil when every SHA-256 source is missing;
/// then `flowrun_sha256_new` returns NULL.
const char *flowrun_sha256_unavailable(void);
/// Starts loading the library on a thread of its own, so that the first
/// digest does not wait for it; nothing on macOS.
void flowrun_sha256_preload(void);
typedef struct flowrun_sha256 flowrun_sha256;
/// A new digest, or NULL (no library, or out of memory).
flowrun_sha256 *flowrun_sha256_new(void);
void flowrun_sha256_update(flowrun_sha256 *digest, const void *bytes, size_t count);
/// Writes the 32 bytes of the digest and frees it.
void flowrun_sha256_finish(flowrun_sha256 *digest, unsigned char out[32]);

/// Starts the write-back of `fd`'s dirty pages without waiting
/// (`sync_file_range(SYNC_FILE_RANGE_WRITE)` on Linux; nothing elsewhere), so
/// the fsyncs of several files that follow share one journal commit.
int flowrun_start_writeback(int fd);
/// The same for `length` bytes from `offset`: a big file's pages are sent to
/// the disk while the rest of it is still being written.
int flowrun_start_writeback_range(int fd, long long offset, long long length);

/// glibc: gives free heap pages back to the system (`malloc_trim`) and keeps
/// blocks of `mmap_threshold` bytes and more in mappings of their own from
/// now on (`M_MMAP_THRESHOLD`, which also ends its growing), and trims only
/// beyond 64 MiB free at the heap's top (`M_TRIM_THRESHOLD`); nothing elsewhere.
void flowrun_release_heap(int mmap_threshold);

#endif
