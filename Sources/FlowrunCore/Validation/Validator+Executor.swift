/// `executor:` at the top of a workflow (a name, or a mapping of settings),
/// and `executor: local` on a stage or task.
extension Validator.Pass {
    static let executorKeys = ["name", "partition", "account", "qos", "allocation", "srun-args"]

    mutating func executorOf(_ node: Node) -> ExecutorSettings? {
        if case .scalar = node.value {
            return executorKindOf(node, key: "executor").map { ExecutorSettings(kind: $0) }
        }
        guard let entries = mapping(node, key: "executor") else { return nil }
        checkKeys(entries, allowed: Self.executorKeys)
        var settings = ExecutorSettings()
        let byKey = KeyedEntries(entries)
        if let entry = byKey["name"], let kind = executorKindOf(entry.value, key: "executor.name") {
            settings.kind = kind
        } else if byKey["name"] == nil, !isMisspelled("name", in: entries, allowed: Self.executorKeys) {
            error(.missingKey(key: "name", in: .executor), at: node.location)
        }
        settings.partition = byKey["partition"].flatMap { slurmWord($0.value, key: "executor.partition") }
        settings.account = byKey["account"].flatMap { slurmWord($0.value, key: "executor.account") }
        settings.qos = byKey["qos"].flatMap { slurmWord($0.value, key: "executor.qos") }
        if let entry = byKey["allocation"], let text = text(entry.value, key: "executor.allocation") {
            if let allocation = ExecutorSettings.Allocation(rawValue: text) {
                settings.allocation = allocation
            } else {
                error(.wrongType(key: "executor.allocation", expected: .allocationMode, found: .scalar(text, .string)), at: entry.value.location)
            }
        }
        if let entry = byKey["srun-args"], let items = sequence(entry.value, key: "executor.srun-args") {
            settings.srunArguments = items.compactMap { text($0, key: "executor.srun-args") }
        }
        return settings
    }

    /// `local` or `slurm`.
    mutating func executorKindOf(_ node: Node, key: String) -> ExecutorSettings.Kind? {
        guard let text = text(node, key: key) else { return nil }
        if let kind = ExecutorSettings.Kind(rawValue: text) { return kind }
        let names = ExecutorSettings.Kind.allCases.map(\.rawValue)
        error(.unknownExecutor(text, suggestion: Spelling.closest(to: text, among: names)), at: node.location)
        return nil
    }

    /// A partition, account or QOS name: one word, no spaces or commas (Slurm would split it).
    mutating func slurmWord(_ node: Node, key: String) -> String? {
        guard let text = text(node, key: key) else { return nil }
        if text.isEmpty || text.contains(where: { $0.isWhitespace || $0 == "," || $0.asciiValue.map { $0 < 0x20 } ?? false }) {
            error(.wrongType(key: key, expected: .oneWord, found: .scalar(text, .string)), at: node.location)
            return nil
        }
        return text
    }
}
