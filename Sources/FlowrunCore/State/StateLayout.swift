/// Where each file of a state folder lives. Names from the workflow become
/// file names through `component(_:)`, so none can point outside the folder.
public struct StateLayout: Sendable, Hashable {
    public let root: String

    public init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    public var gitignore: String { root + "/.gitignore" }
    public var lock: String { root + "/lock" }
    /// Digests of source files, shared by all workflows using the folder.
    public var files: String { root + "/files.tsv" }
    public var workflows: String { root + "/workflows" }
    public var runs: String { root + "/runs" }

    public func workflow(_ name: String) -> String { workflows + "/" + Self.component(name) + ".json" }

    public func tasks(workflow: String) -> String { root + "/tasks/" + Self.component(workflow) }

    /// `tasks/WORKFLOW/STAGE/TASK.json` for `task` written `stage/task`.
    public func task(workflow: String, task: String) -> String {
        let slash = task.firstIndex(of: "/") ?? task.endIndex
        let stage = String(task[..<slash])
        let name = slash == task.endIndex ? "" : String(task[task.index(after: slash)...])
        return tasks(workflow: workflow) + "/" + Self.component(stage) + "/" + Self.component(name) + ".json"
    }

    public func runReport(_ runID: String, ext: String) -> String { runs + "/" + Self.component(runID) + "." + ext }

    /// The files a finished run keeps in `runs/`: its JSON and text reports and its tasks.
    public static let runReportExtensions = ["json", "txt", "tasks.json"]

    /// A name as one safe path component: `[A-Za-z0-9_.-]` kept, every other
    /// byte (and a leading `.`, so no `..` and no hidden file) as `%XX`.
    public static func component(_ name: String) -> String {
        var out = ""
        for (index, byte) in name.utf8.enumerated() {
            let keep = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x5F || byte == 0x2D || (byte == 0x2E && index > 0)
            if keep {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out.isEmpty ? "%" : out
    }
}
