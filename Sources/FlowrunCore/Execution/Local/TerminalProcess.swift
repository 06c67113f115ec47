#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Runs an interactive task's process with flowrun's own stdin, stdout and
/// stderr, in a process group of its own that is made the terminal's
/// foreground group for as long as it runs (job control as a shell does it).
///
/// The terminal is given back to flowrun's group when the process exits, is
/// killed, or stops (Ctrl-Z): a stopped task is ended like a cancelled one,
/// since flowrun cannot resume it later. Without a terminal on stdin the
/// process simply inherits the descriptors. Nothing is captured.
enum TerminalProcess {
    static func run(_ request: ProcessRequest, executable: String, registry: ProcessGroupRegistry) async -> ProcessOutcome {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new group (pgid = pid); default dispositions and an empty mask, as for every task.
        var defaults = sigset_t()
        sigfillset(&defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setpgroup(&attributes, 0)
        var flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        #if canImport(Darwin)
        flags |= POSIX_SPAWN_CLOEXEC_DEFAULT  // only 0-2 and the script's 3 are inherited (below)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard let addChdir = Self.addChdir else {
            return ProcessOutcome(termination: .failedToStart(reason: "this C library cannot start a process in a working directory (no posix_spawn_file_actions_addchdir_np)"))
        }
        _ = addChdir(&actions, request.workingDirectory)
        let script = request.script.map(LocalSpawn.scriptDescriptor) ?? -1
        if request.script != nil, script < 0 {
            return ProcessOutcome(termination: .failedToStart(reason: "cannot hand the script to '\(executable)': \(String(cString: strerror(errno)))"))
        }
        defer { if script >= 0 { _ = close(script) } }
        if script >= 0 { posix_spawn_file_actions_adddup2(&actions, script, 3) }
        // Like every task, it gets 0-2 (and the script's 3) only, not what flowrun inherited.
        #if canImport(Darwin)
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addinherit_np(&actions, fd) }
        #else
        _ = Self.addClosefrom?(&actions, script >= 0 ? 4 : 3)
        #endif

        // Registered before the spawn, as the process runner does: until it is
        // attached the group has no leader, so the child subreaper knows a
        // spawn is in flight and does not take the new child (which may exit
        // at once) for an adopted orphan and reap it.
        let group = registry.makeGroup(task: request.groupLabel)
        registry.register(group)
        defer { registry.unregister(group) }
        var pid: pid_t = 0
        let status: Int32 = LocalSpawn.withCStrings([executable] + Array(request.arguments.dropFirst())) { argv in
            LocalSpawn.withCStrings(LocalSpawn.environmentEntries(request.environment)) { envp in
                posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
            }
        }
        guard status == 0 else {
            return ProcessOutcome(termination: .failedToStart(reason: "cannot start '\(executable)': \(String(cString: strerror(status)))"))
        }
        let terminal: Int32 = isatty(STDIN_FILENO) == 1 ? STDIN_FILENO : -1
        let ownGroup = getpgrp()
        if terminal >= 0 { handTerminal(terminal, to: pid) }
        // It may have read before the hand-over and been stopped by SIGTTIN.
        killpg(pid, SIGCONT)

        group.attach(pid)
        let termination = await withTaskCancellationHandler {
            await wait(for: pid, group: group)
        } onCancel: {
            group.terminate(grace: request.killGrace)
        }
        if terminal >= 0 { handTerminal(terminal, to: ownGroup) }
        // What is left of its group once the leader is gone does not keep the terminal.
        killpg(pid, SIGKILL)
        group.release()
        return ProcessOutcome(termination: termination)
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29, macOS 10.15), looked
    /// up at run time because the Glibc module does not export it.
    private static let addChdir: AddChdir? = SystemLibrary.symbol("posix_spawn_file_actions_addchdir_np").map {
        unsafeBitCast($0, to: AddChdir.self)
    }

    private typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34). Without it (an
    /// older glibc) the descriptors flowrun itself inherited without
    /// close-on-exec reach an interactive task too.
    private static let addClosefrom: AddClosefrom? = SystemLibrary.symbol("posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddClosefrom.self)
    }

    /// Makes `group` the terminal's foreground group. flowrun is in the
    /// background while the task runs, so SIGTTOU is ignored for the call.
    private static func handTerminal(_ terminal: Int32, to group: pid_t) {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTTOU)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        _ = tcsetpgrp(terminal, group)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    /// Waits on a thread of its own for `pid` to exit; a stop (Ctrl-Z) ends it.
    private static func wait(for pid: pid_t, group: ProcessGroup) async -> ProcessOutcome.Termination {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var status: Int32 = 0
                while true {
                    let result = waitpid(pid, &status, WUNTRACED)
                    if result < 0 {
                        if errno == EINTR { continue }
                        continuation.resume(returning: .failedToStart(reason: "lost the process: \(String(cString: strerror(errno)))"))
                        return
                    }
                    let low = status & 0x7F
                    if low == 0x7F {
                        // Stopped: take it down (SIGTERM, SIGCONT so it sees it, SIGKILL after the grace).
                        group.terminate(grace: .seconds(1))
                        killpg(pid, SIGCONT)
                        continue
                    }
                    if low == 0 {
                        continuation.resume(returning: .exited((status >> 8) & 0xFF))
                    } else {
                        continuation.resume(returning: .signaled(low))
                    }
                    return
                }
            }
        }
    }
}
