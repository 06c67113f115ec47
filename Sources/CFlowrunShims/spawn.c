// Starting a task's process without forking flowrun (see flowrun_spawn in
// CFlowrunShims.h). Two methods, measured against each other in
// Benchmarks/RESULTS.md: a clone(CLONE_VM|CLONE_VFORK) child that does its
// own setup (Linux), and posix_spawn with POSIX_SPAWN_SETSID (everywhere).
#ifdef __linux__
#define _GNU_SOURCE
#endif
#include "CFlowrunShims.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>
#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#endif

extern char **environ;

int flowrun_notify_child_exits(int write_fd);

static volatile sig_atomic_t child_exit_fd = -1;

static void note_child_exit(int number) {
    (void)number;
    int saved = errno;
    unsigned char byte = 1;
    int fd = child_exit_fd;
    if (fd >= 0) {
        ssize_t ignored = write(fd, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int flowrun_notify_child_exits(int write_fd) {
    child_exit_fd = write_fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = note_child_exit;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    return sigaction(SIGCHLD, &action, NULL);
}

#ifdef __linux__
int flowrun_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int flowrun_epoll_add(int epoll_fd, int fd, unsigned long long token) {
    struct epoll_event event;
    memset(&event, 0, sizeof event);
    event.events = EPOLLIN;
    event.data.u64 = token;
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

int flowrun_epoll_remove(int epoll_fd, int fd) {
    struct epoll_event unused;
    return epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, &unused);
}

int flowrun_epoll_wait(int epoll_fd, unsigned long long *tokens, int capacity, int timeout_ms) {
    struct epoll_event events[256];
    if (capacity > 256) capacity = 256;
    int count = epoll_wait(epoll_fd, events, capacity, timeout_ms);
    for (int index = 0; index < count; index++) tokens[index] = events[index].data.u64;
    return count;
}
#else
int flowrun_epoll_create(void) { errno = ENOSYS; return -1; }
int flowrun_epoll_add(int epoll_fd, int fd, unsigned long long token) { (void)epoll_fd; (void)fd; (void)token; errno = ENOSYS; return -1; }
int flowrun_epoll_remove(int epoll_fd, int fd) { (void)epoll_fd; (void)fd; errno = ENOSYS; return -1; }
int flowrun_epoll_wait(int epoll_fd, unsigned long long *tokens, int capacity, int timeout_ms) {
    (void)epoll_fd; (void)tokens; (void)capacity; (void)timeout_ms; errno = ENOSYS; return -1;
}
#endif

int flowrun_pipe_size(int fd) {
#if defined(__linux__) && defined(F_GETPIPE_SZ)
    return fcntl(fd, F_GETPIPE_SZ);
#else
    (void)fd;
    errno = ENOSYS;
    return -1;
#endif
}

int flowrun_set_pipe_size(int fd, int size) {
#if defined(__linux__) && defined(F_SETPIPE_SZ)
    return fcntl(fd, F_SETPIPE_SZ, size);
#else
    (void)fd;
    (void)size;
    errno = ENOSYS;
    return -1;
#endif
}

int flowrun_cloexec_pipe(int fds[2]) {
#ifdef __linux__
    return pipe2(fds, O_CLOEXEC);
#else
    if (pipe(fds) != 0) return -1;
    (void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    (void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

// MARK: - posix_spawn

static pid_t spawn_posix(const flowrun_spawn_request *request, int *failed_errno, int *failed_stage) {
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    if (posix_spawnattr_init(&attributes) != 0) {
        *failed_errno = ENOMEM;
        *failed_stage = 3;
        return -1;
    }
    posix_spawn_file_actions_init(&actions);
    sigset_t all, none;
    sigfillset(&all);
#ifdef __linux__
    // glibc's sigfillset leaves out its reserved 32 and 33, and then
    // SETSIGDEF leaves them ignored if they were: set their bits by hand.
    ((unsigned long *)&all)[0] |= (1UL << 31) | (1UL << 32);
#endif
    sigemptyset(&none);
    short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID;
#ifdef __APPLE__
    flags |= POSIX_SPAWN_CLOEXEC_DEFAULT;
#endif
    posix_spawnattr_setflags(&attributes, flags);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawn_file_actions_adddup2(&actions, request->stdin_fd, 0);
    posix_spawn_file_actions_adddup2(&actions, request->stdout_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, request->stderr_fd, 2);
    if (request->script_fd >= 0) posix_spawn_file_actions_adddup2(&actions, request->script_fd, 3);
#ifdef __linux__
    posix_spawn_file_actions_addclosefrom_np(&actions, request->script_fd >= 0 ? 4 : 3);
#endif
    posix_spawn_file_actions_addchdir_np(&actions, request->cwd);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, request->path, &actions, &attributes, request->argv, request->envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) {
        *failed_errno = rc;
        // posix_spawn does not say which step failed: tell a missing
        // directory from a missing program here.
        *failed_stage = access(request->cwd, X_OK) != 0 ? 1 : 2;
        return -1;
    }
    return pid;
}

// MARK: - clone(CLONE_VM|CLONE_VFORK)

#ifdef __linux__
struct child_setup {
    const flowrun_spawn_request *request;
    // Written by the child (same memory) when a step fails; read by the
    // parent once the child has exec'd or exited (CLONE_VFORK).
    volatile int failed_errno;
    volatile int failed_stage;
};

// The kernel's sigaction for rt_sigaction: handler, flags, restorer, mask.
struct kernel_sigaction {
    unsigned long handler;
    unsigned long flags;
    unsigned long restorer;
    unsigned long mask;
};

// Runs in the child, on its own stack, sharing flowrun's memory until exec:
// only raw system calls, no allocation, no lock.
static int child_main(void *argument) {
    struct child_setup *setup = argument;
    const flowrun_spawn_request *request = setup->request;
    // Every handler back to SIG_DFL while all signals are still blocked
    // (the parent blocked them before clone), so no handler of flowrun's
    // can run on this shared memory. Raw calls reach 32 and 33 too.
    struct kernel_sigaction fresh;
    memset(&fresh, 0, sizeof fresh);
    for (int number = 1; number < 65; number++) {
        if (number == SIGKILL || number == SIGSTOP) continue;
        syscall(SYS_rt_sigaction, number, &fresh, NULL, 8);
    }
    if (setsid() < 0) {
        setup->failed_errno = errno;
        setup->failed_stage = 3;
        _exit(127);
    }
    // Move the three sources above 2 first, so that one already sitting at
    // 0-2 is not overwritten before it is used.
    int in = fcntl(request->stdin_fd, F_DUPFD, 3);
    int out = fcntl(request->stdout_fd, F_DUPFD, 3);
    int err = fcntl(request->stderr_fd, F_DUPFD, 3);
    // F_DUPFD clears close-on-exec: the script's copy is the only one kept
    // above 2 (at 3), and the shell closes it before the script runs.
    int script = request->script_fd >= 0 ? fcntl(request->script_fd, F_DUPFD, 3) : -1;
    if (in < 0 || out < 0 || err < 0 || (request->script_fd >= 0 && script < 0)
        || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0 || (script > 3 && dup2(script, 3) < 0)) {
        setup->failed_errno = errno;
        setup->failed_stage = 3;
        _exit(127);
    }
    unsigned int first_closed = script >= 0 ? 4U : 3U;
    if (syscall(SYS_close_range, first_closed, ~0U, 0U) != 0) {
        for (int fd = (int)first_closed; fd < 65536; fd++) close(fd);
    }
    if (chdir(request->cwd) != 0) {
        setup->failed_errno = errno;
        setup->failed_stage = 1;
        _exit(127);
    }
    unsigned long empty = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &empty, NULL, 8);
    execve(request->path, request->argv, request->envp);
    setup->failed_errno = errno;
    setup->failed_stage = 2;
    _exit(127);
}

enum { child_stack_size = 64 * 1024 };

// One child stack per spawning thread, kept until the thread exits: with
// CLONE_VFORK the thread is suspended until its child has exec'd or exited,
// so the stack is free again when clone returns. Mapping and unmapping one
// per spawn cost a TLB shootdown across flowrun's threads each time.
static pthread_key_t stack_key;
static pthread_once_t stack_key_once = PTHREAD_ONCE_INIT;

static void release_stack(void *stack) { munmap(stack, child_stack_size); }

static void make_stack_key(void) { (void)pthread_key_create(&stack_key, release_stack); }

static void *thread_child_stack(void) {
    pthread_once(&stack_key_once, make_stack_key);
    void *stack = pthread_getspecific(stack_key);
    if (stack) return stack;
    stack = mmap(NULL, child_stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return NULL;
    if (pthread_setspecific(stack_key, stack) != 0) {
        munmap(stack, child_stack_size);
        return NULL;
    }
    return stack;
}

static pid_t spawn_clone(const flowrun_spawn_request *request, int *pidfd, int *failed_errno, int *failed_stage) {
    void *stack = thread_child_stack();
    if (!stack) {
        *failed_errno = errno;
        *failed_stage = 3;
        return -1;
    }
    struct child_setup setup = {request, 0, 0};
    unsigned long all = ~0UL, old = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
    int fd = -1;
    // SIGCHLD as exit signal: a child that exec'd gets SIGCHLD from the
    // kernel anyway (measured: clone without it still signalled every task).
    int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
#ifdef CLONE_PIDFD
    pid_t pid = clone(child_main, (char *)stack + child_stack_size, flags | CLONE_PIDFD, &setup, &fd);
    if (pid < 0 && errno == EINVAL) {
        fd = -1;
        pid = clone(child_main, (char *)stack + child_stack_size, flags, &setup);
    }
#else
    pid_t pid = clone(child_main, (char *)stack + child_stack_size, flags, &setup);
#endif
    int clone_errno = errno;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
    if (pid < 0) {
        *failed_errno = clone_errno;
        *failed_stage = 3;
        return -1;
    }
    if (setup.failed_stage != 0) {
        // The child exited before exec: reap it here, it was never a task.
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        if (fd >= 0) close(fd);
        *failed_errno = setup.failed_errno;
        *failed_stage = setup.failed_stage;
        return -1;
    }
#ifdef SYS_pidfd_open
    if (fd < 0) fd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
    if (fd >= 0) (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    *pidfd = fd;
    return pid;
}
#endif

pid_t flowrun_spawn(const flowrun_spawn_request *request, int *pidfd, int *failed_errno, int *failed_stage) {
    *pidfd = -1;
    *failed_errno = 0;
    *failed_stage = 0;
#ifdef __linux__
    if (request->method == 0) return spawn_clone(request, pidfd, failed_errno, failed_stage);
#endif
    pid_t pid = spawn_posix(request, failed_errno, failed_stage);
#if defined(__linux__) && defined(SYS_pidfd_open)
    if (pid > 0) {
        *pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        if (*pidfd >= 0) (void)fcntl(*pidfd, F_SETFD, FD_CLOEXEC);
    }
#endif
    return pid;
}
