#ifndef CFLOWRUN_SHIMS_H
#define CFLOWRUN_SHIMS_H

/// Makes the calling process a child subreaper (Linux `PR_SET_CHILD_SUBREAPER`):
/// orphaned descendants are re-parented to it instead of to init.
/// Returns 0, or -1 with errno set (ENOSYS where the call does not exist).
/// A wrapper because `prctl` is variadic, which Swift cannot call.
int flowrun_become_child_subreaper(void);

#endif
