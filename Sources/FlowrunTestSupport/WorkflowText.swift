/// Workflow files for tests, written out from their few varying parts.
public enum WorkflowText {
    /// One stage named `stage` whose tasks are unnamed `- run: COMMAND`
    /// entries, in order. Each command is a YAML plain scalar as written:
    /// one line, no `: ` or ` #`, not starting with a quote.
    public static func stage(_ stage: String, runs commands: [String]) -> String {
        "stages:\n  - name: \(stage)\n    tasks:\n" + commands.map { "      - run: \($0)\n" }.joined()
    }

    /// One stage named `stage` holding `tasks`: YAML list entries written
    /// from column 0 (`- name: t`, its keys below), indented into place.
    public static func stage(_ stage: String, tasks: String) -> String {
        let lines = tasks.split(separator: "\n", omittingEmptySubsequences: false)
        let body = lines.map { $0.isEmpty ? "" : "      " + $0 }.joined(separator: "\n")
        return "stages:\n  - name: \(stage)\n    tasks:\n" + body + (tasks.hasSuffix("\n") ? "" : "\n")
    }
}
