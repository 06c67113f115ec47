import CFlowrunShims
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reliability battery of issue 6. One serialized suite, so that its
/// timing bounds do not compete with each other for the CPU.
@Suite(.serialized)
enum Reliability {}

/// The built `flowrun` binary: `$FLOWRUN_BINARY`, else next to the test
/// bundle, else `.build*/debug/flowrun` under the package root.
enum FlowrunBinary {
    static let path: String? = {
        let files = FileManager.default
        if let given = ProcessInfo.processInfo.environment["FLOWRUN_BINARY"], files.isExecutableFile(atPath: given) {
            return given
        }
        var candidates: [String] = []
        // The test bundle lives in the build products folder, beside the executable.
        for bundle in Bundle.allBundles + [Bundle.main] {
            var folder = URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent()
            candidates.append(folder.appendingPathComponent("flowrun").path)
            folder = folder.deletingLastPathComponent()
            candidates.append(folder.appendingPathComponent("flowrun").path)
        }
        #if os(Linux)
        if let exe = try? files.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("flowrun").path)
        }
        #endif
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for scratch in [".build", ".build-rel"] {
            candidates.append(root.appendingPathComponent("\(scratch)/debug/flowrun").path)
        }
        return candidates.first { files.isExecutableFile(atPath: $0) }
    }()

    /// The path, or a recorded failure that says how to get one.
    static func require() throws -> String {
        guard let path else {
            Issue.record("flowrun binary not found: run `swift build` first, or set FLOWRUN_BINARY")
            throw Missing()
        }
        return path
    }

    struct Missing: Error {}
}

/// A fresh folder for one test's workflow files and marker files.
final class Scratch: Sendable {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-rel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    func read(_ name: String) -> String { (try? String(contentsOfFile: file(name), encoding: .utf8)) ?? "" }

    /// How many entries of the folder start with `prefix`.
    func count(prefix: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix(prefix) }.count
    }
}

/// How a launched flowrun ended.
struct Ending: CustomStringConvertible {
    /// The exit status, or nil when killed by a signal.
    var status: Int32?
    var signal: Int32?
    /// From launch to reaping.
    var elapsed: Duration
    /// Peak resident set size, bytes (from `wait4`).
    var maxRSS: Int
    /// User + system CPU time: the work done, whatever else the machine was doing.
    var cpuTime: Duration

    var description: String {
        let how = status.map { "exit \($0)" } ?? "signal \(signal ?? -1)"
        return "\(how) after \(elapsed) (CPU \(cpuTime), peak RSS \(maxRSS >> 20) MB)"
    }
}

/// Where a launched flowrun's stdout or stderr goes.
enum Destination {
    /// A file in the scratch folder (read back with `Launched.stdout`).
    case file
    case devNull
    /// An open descriptor, duplicated into the child.
    case descriptor(CInt)
}

/// A running flowrun started by a test: its own process group (so a signal
/// to the group reaches flowrun and nothing of the test), stdin /dev/null,
/// a unique marker variable in its environment that every task inherits.
final class Launched: @unchecked Sendable {
    // @unchecked: `ending` is set once by `wait`, which tests call from one task.
    let pid: pid_t
    let marker: String
    let started: ContinuousClock.Instant
    private let scratch: Scratch
    private let tag: String
    private var ending: Ending?

    static let markerName = "FLOWRUN_RELIABILITY_MARKER"

    /// Starts `flowrun ARGS` (paths in ARGS absolute: the current folder is the test's).
    init(_ arguments: [String], in scratch: Scratch, stdin: String = "/dev/null", stdout: Destination = .file,
         stderr: Destination = .file, extraEnvironment: [String: String] = [:]) throws {
        let binary = try FlowrunBinary.require()
        self.scratch = scratch
        tag = UUID().uuidString.prefix(8).lowercased()
        marker = "m-\(UUID().uuidString)"
        var environment = ProcessInfo.processInfo.environment
        environment[Self.markerName] = marker
        environment["NO_COLOR"] = "1"
        // Under GitHub Actions, flowrun would add its annotations to the output these tests read.
        environment["GITHUB_ACTIONS"] = nil
        for (name, value) in extraEnvironment { environment[name] = value }

        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        for (fd, destination, name) in [(CInt(1), stdout, "stdout"), (CInt(2), stderr, "stderr")] {
            switch destination {
            case .file:
                posix_spawn_file_actions_addopen(
                    &actions, fd, scratch.file("\(tag).\(name)"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .devNull:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            case .descriptor(let source):
                posix_spawn_file_actions_adddup2(&actions, source, fd)
            }
        }

        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        started = .now
        if Self.viaForkingLauncher {
            // `setsid -f` forks and exits; its child (a shell that writes its pid
            // to a file and execs flowrun), orphaned, is adopted by this process
            // (a subreaper) and reaped by `wait` below. Why the hop: a child
            // started with posix_spawn (or fork) inherits this process's memory
            // high-water mark into its ru_maxrss; one forked by a small, freshly
            // exec'd program does not, so `maxRSS` is flowrun's own. flowrun then
            // leads its own session and group, as with SETPGROUP.
            let pidFile = scratch.file("\(tag).pid")
            let script = "echo $$ > \"$0.tmp\" && mv \"$0.tmp\" \"$0\" && exec \"$@\""
            let launcher = ([Self.setsid, "-f", "/bin/sh", "-c", script, pidFile, binary] + arguments).map { strdup($0) }
                + [nil]
            defer { for pointer in launcher { free(pointer) } }
            var launcherPID: pid_t = 0
            let rc = posix_spawn(&launcherPID, Self.setsid, &actions, &attributes, launcher, envp)
            guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
            var status: CInt = 0
            _ = waitpid(launcherPID, &status, 0)
            pid = try Self.readPID(pidFile)
        } else {
            let rc = posix_spawn(&child, binary, &actions, &attributes, argv, envp)
            guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
            pid = child
        }
    }

    private static let setsid = "/usr/bin/setsid"

    /// True on Linux when `setsid` is there and this process could become a subreaper.
    private static let viaForkingLauncher: Bool = {
        #if os(Linux)
        return FileManager.default.isExecutableFile(atPath: setsid) && flowrun_become_child_subreaper() == 0
        #else
        return false
        #endif
    }()

    /// The pid the launcher's shell wrote (renamed into place, so never half
    /// written); waits for it at most 5 s.
    private static func readPID(_ file: String) throws -> pid_t {
        let deadline = ContinuousClock.now + .seconds(5)
        repeat {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            usleep(200)
        } while ContinuousClock.now < deadline
        throw POSIXError(.ESRCH)
    }

    deinit {
        // A test that failed half-way must not leave flowrun (or its tasks) running.
        if ending == nil {
            _ = kill(-pid, SIGKILL)
            var status: CInt = 0
            _ = waitpid(pid, &status, 0)
        }
        Descendants.kill(marker: marker)
    }

    func signal(_ number: CInt) { _ = kill(pid, number) }
    func signalGroup(_ number: CInt) { _ = kill(-pid, number) }

    /// Waits for flowrun to exit (polling `wait4`), at most `limit`; nil on timeout.
    func wait(atMost limit: Duration = .seconds(20)) async -> Ending? {
        if let ending { return ending }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            var status: CInt = 0
            var usage = rusage()
            let rc = wait4(pid, &status, WNOHANG, &usage)
            if rc == pid {
                let elapsed = ContinuousClock.now - started
                let low = status & 0x7f
                #if os(Linux)
                let rss = Int(usage.ru_maxrss) * 1024
                #else
                let rss = Int(usage.ru_maxrss)
                #endif
                let cpu = Duration.seconds(Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec))
                    + .microseconds(Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec))
                let result = low == 0
                    ? Ending(status: (status >> 8) & 0xff, signal: nil, elapsed: elapsed, maxRSS: rss, cpuTime: cpu)
                    : Ending(status: nil, signal: low, elapsed: elapsed, maxRSS: rss, cpuTime: cpu)
                ending = result
                return result
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    var stdout: String { scratch.read("\(tag).stdout") }
    var stderr: String { scratch.read("\(tag).stderr") }
    var stdoutPath: String { scratch.file("\(tag).stdout") }

    /// Live processes carrying this run's marker, flowrun itself excluded.
    var descendants: [Descendants.Process] { Descendants.find(marker: marker).filter { $0.pid != pid } }
}

/// Finds processes by the marker variable in their environment (Linux `/proc`).
enum Descendants {
    struct Process: CustomStringConvertible {
        var pid: pid_t
        var commandLine: String
        var description: String { "\(pid) \(commandLine)" }
    }

    /// True where leftovers can be found (`/proc/*/environ`).
    static var canInspect: Bool {
        #if os(Linux)
        return FileManager.default.fileExists(atPath: "/proc/self/environ")
        #else
        return false
        #endif
    }

    /// Live (non-zombie) processes whose environment holds `MARKER=marker`,
    /// or whose command line contains `commandLine` when given.
    static func find(marker: String? = nil, commandLine needle: String? = nil) -> [Process] {
        #if os(Linux)
        let entry = marker.map { Array("\(Launched.markerName)=\($0)".utf8) }
        var found: [Process] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(name), pid != getpid() else { continue }
            if let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
               let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { continue }
            let commandData = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") ?? Data()
            let commandLine = String(decoding: commandData.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            var matches = false
            if let entry, let environ = FileManager.default.contents(atPath: "/proc/\(name)/environ") {
                matches = environ.split(separator: 0).contains { Array($0) == entry }
            }
            if let needle, commandLine.contains(needle) { matches = true }
            if matches { found.append(Process(pid: pid, commandLine: commandLine)) }
        }
        return found
        #else
        return []
        #endif
    }

    /// Waits until nothing carries `marker` any more (SIGKILL delivery and
    /// reaping take a moment); returns what is left at `limit`.
    static func awaitNone(marker: String? = nil, commandLine: String? = nil, within limit: Duration = .seconds(1)) async
        -> [Process] {
        let deadline = ContinuousClock.now + limit
        while true {
            let left = find(marker: marker, commandLine: commandLine)
            if left.isEmpty || ContinuousClock.now >= deadline { return left }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Cleanup after a failed test: SIGKILL whatever carries the marker.
    static func kill(marker: String) {
        for process in find(marker: marker) { _ = posixKill(process.pid, SIGKILL) }
    }
}

private func posixKill(_ pid: pid_t, _ number: CInt) -> CInt { kill(pid, number) }

/// A pseudo-terminal pair: flowrun gets `terminal`, the test holds `controller`.
enum PseudoTerminal {
    static func open() -> (controller: CInt, terminal: CInt)? {
        #if os(Linux)
        let controller = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard controller >= 0 else { return nil }
        // posix_openpt/grantpt/ptsname are not in the Glibc module, nor are
        // the _IOW-style macros; these are the asm-generic values (x86_64, arm64).
        let setLock: UInt = 0x4004_5431  // TIOCSPTLCK
        let getNumber: UInt = 0x8004_5430  // TIOCGPTN
        var unlock: CInt = 0
        var number: CUnsignedInt = 0
        guard ioctl(controller, setLock, &unlock) == 0, ioctl(controller, getNumber, &number) == 0 else {
            close(controller)
            return nil
        }
        let terminal = Glibc.open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        #else
        let controller = posix_openpt(O_RDWR | O_NOCTTY)
        guard controller >= 0, grantpt(controller) == 0, unlockpt(controller) == 0, let name = ptsname(controller) else {
            return nil
        }
        let terminal = Darwin.open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        #endif
        guard terminal >= 0 else {
            close(controller)
            return nil
        }
        return (controller, terminal)
    }
}

/// Polls `condition` every 5 ms until it holds or `limit` passes; returns whether it held.
func eventually(within limit: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while true {
        if condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(5))
    }
}

/// Seconds as a `Double`, for readable comparisons.
extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The parsed `--format json` report.
struct JSONRun {
    let object: [String: Any]

    init?(_ text: String) {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        self.object = object
    }

    var exitCode: Int? { object["exitCode"] as? Int }
    var tasks: [[String: Any]] { object["tasks"] as? [[String: Any]] ?? [] }

    func task(_ name: String) -> [String: Any]? { tasks.first { $0["name"] as? String == name } }
}
