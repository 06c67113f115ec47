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

#endif
