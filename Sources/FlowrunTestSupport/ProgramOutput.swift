/// What a finished program printed and how it ended.
public struct ProgramOutput: Sendable, CustomStringConvertible {
    /// The exit status; 128 + the signal's number when a signal ended it.
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}
