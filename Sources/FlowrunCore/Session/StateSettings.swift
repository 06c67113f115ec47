/// What a run keeps between runs, from `--state-dir`, `--force` and `--resume`.
public struct StateSettings: Sendable, Equatable {
    /// The state folder, absolute.
    public var directory: String
    /// The workflow file, absolute: stored so that `flowrun log` can name it.
    public var source: String
    public var force: Bool
    public var resume: Bool
    /// Test hook (`FLOWRUN_TEST_STATE_WRITE_PAUSE_MS`): pause inside each state write, to be killed there.
    public var writePause: Duration

    public init(directory: String, source: String, force: Bool = false, resume: Bool = false, writePause: Duration = .zero) {
        self.directory = directory
        self.source = source
        self.force = force
        self.resume = resume
        self.writePause = writePause
    }

    /// `--state-dir`, else `FLOWRUN_STATE_DIR`, else `.flowrun` beside the workflow
    /// file; nil for a workflow read from standard input with neither given.
    /// Relative paths are taken from `currentDirectory`.
    public static func directory(
        option: String?, environment: [String: String], workflow: String, currentDirectory: String
    ) -> String? {
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : (currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/") + path
        }
        if let option, !option.isEmpty { return absolute(option) }
        if let variable = environment["FLOWRUN_STATE_DIR"], !variable.isEmpty { return absolute(variable) }
        guard workflow != "-" else { return nil }
        let file = absolute(workflow)
        let folder = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
        return (folder.isEmpty ? "" : folder) + "/.flowrun"
    }
}
