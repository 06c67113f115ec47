#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFlowrunShims

/// Starts one task process through `flowrun_spawn` (CFlowrunShims), which
/// never forks flowrun's address space: on Linux a `clone(CLONE_VM|CLONE_VFORK)`
/// child sets itself up and execs; elsewhere `posix_spawn` with
/// `POSIX_SPAWN_SETSID`. The child gets a new session (pgid == sid == pid, no
/// controlling terminal), stdin `/dev/null`, only fds 0–2 (and the script on
/// 3 when the request has one), an empty signal
/// mask, every disposition at default (32 and 33 too), the working directory
/// and flowrun's environment with the request's variables on top.
enum LocalSpawn {
    struct Started {
        var pid: pid_t
        /// -1 where the kernel has no pidfd (the loop then polls with `waitid`).
        var pidfd: CInt
    }

    enum Failure: Error {
        case directory(errno: CInt)
        case exec(errno: CInt)
        case spawn(errno: CInt)
    }

    /// Which method `flowrun_spawn` uses: 0 clone/vfork (Linux default), 1 posix_spawn.
    /// `FLOWRUN_SPAWN=posix_spawn` selects the latter, for the benchmark's comparison.
    static let method: CInt = {
        #if os(Linux)
        if let value = getenv("FLOWRUN_SPAWN"), String(cString: value) == "posix_spawn" { return 1 }
        return 0
        #else
        return 1
        #endif
    }()

    /// `/dev/null`, opened once for every child's stdin.
    private static let devNull: CInt = open("/dev/null", O_RDONLY | O_CLOEXEC)

    /// flowrun's own environment as `NAME=VALUE` entries, read once.
    private static let inherited: [(name: Substring, entry: String)] = {
        var entries: [(Substring, String)] = []
        #if canImport(Darwin)
        guard var cursor = _NSGetEnviron()?.pointee else { return [] }
        #else
        var cursor = environ
        #endif
        while let pointer = cursor.pointee {
            let entry = String(cString: pointer)
            let name = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            entries.append((name, entry))
            cursor += 1
        }
        return entries
    }()

    /// A child's environment as `NAME=VALUE` entries: `environment` over
    /// flowrun's own, a later entry of a name winning over an earlier one.
    static func environmentEntries(_ environment: [(name: String, value: String)]) -> [String] {
        var overridden = Set<String>()
        var entries: [String] = []
        for (name, value) in environment.reversed() where overridden.insert(name).inserted {
            entries.append(name + "=" + value)
        }
        for (name, entry) in inherited where !overridden.contains(String(name)) {
            entries.append(entry)
        }
        return entries
    }

    static func spawn(
        path: String, arguments: [String], environment: [(name: String, value: String)],
        workingDirectory: String, stdout: CInt, stderr: CInt, script: CInt = -1
    ) -> Result<Started, Failure> {
        return withCStrings(arguments) { argv in
            withCStrings(environmentEntries(environment)) { envp in
                var request = flowrun_spawn_request()
                var pidfd: CInt = -1
                var failedErrno: CInt = 0
                var failedStage: CInt = 0
                let pid = path.withCString { cPath in
                    workingDirectory.withCString { cDirectory in
                        request.path = cPath
                        request.argv = UnsafePointer(argv)
                        request.envp = UnsafePointer(envp)
                        request.cwd = cDirectory
                        request.stdin_fd = devNull
                        request.stdout_fd = stdout
                        request.stderr_fd = stderr
                        request.script_fd = script
                        request.method = method
                        return flowrun_spawn(&request, &pidfd, &failedErrno, &failedStage)
                    }
                }
                if pid > 0 { return .success(Started(pid: pid, pidfd: pidfd)) }
                switch failedStage {
                case 1: return .failure(.directory(errno: failedErrno))
                case 2: return .failure(.exec(errno: failedErrno))
                default: return .failure(.spawn(errno: failedErrno))
                }
            }
        }
    }

    /// A close-on-exec descriptor holding `bytes` at offset 0 and named
    /// nowhere (`flowrun_script_descriptor`), for a child's fd 3; -1 with errno set.
    static func scriptDescriptor(_ bytes: [UInt8]) -> CInt {
        let directory = SystemLibrary.temporaryFolder
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                flowrun_script_descriptor(chars.baseAddress, chars.count, directory, ScriptFileForm.mode == .tempFile ? 1 : 0)
            }
        }
    }

    /// Calls `body` with a NULL-terminated C array of `strings`, all in one allocation.
    static func withCStrings<T>(
        _ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T
    ) -> T {
        var total = 0
        for string in strings { total += string.utf8.count + 1 }
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: max(total, 1))
        let pointers = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        defer {
            storage.deallocate()
            pointers.deallocate()
        }
        var offset = 0
        for (index, string) in strings.enumerated() {
            pointers[index] = storage + offset
            for byte in string.utf8 {
                storage[offset] = CChar(bitPattern: byte)
                offset += 1
            }
            storage[offset] = 0
            offset += 1
        }
        pointers[strings.count] = nil
        return body(pointers)
    }
}
