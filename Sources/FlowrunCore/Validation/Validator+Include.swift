let includeKeys = ["include", "name", "vars"]

/// `- include: FILE` entries of `stages:`: read here, without reading the file.
extension Validator.Pass {
    /// Whether a `stages:` item is an include entry rather than a stage.
    static func isInclude(_ node: Node) -> Bool {
        if case .mapping(let entries) = node.value { entries.contains { $0.key == "include" } } else { false }
    }

    /// An include entry; `position` is how many of the file's own stages come before it.
    mutating func includeOf(_ node: Node, position: Int) -> Workflow.Include? {
        guard case .mapping(let entries) = node.value else { return nil }
        checkKeys(entries, allowed: includeKeys)
        let byKey = KeyedEntries(entries)
        guard let fileEntry = byKey["include"], let file = text(fileEntry.value, key: "include") else { return nil }
        if file.isEmpty {
            error(.includeFileMissing(file), at: fileEntry.value.location)
            return nil
        }
        var include = Workflow.Include(file: file, fileLocation: fileEntry.value.location, position: position)
        if let entry = byKey["name"], let prefix = text(entry.value, key: "name"),
           checkName(prefix, kind: .stage, at: entry.value.location) {
            include.prefix = prefix
            include.prefixLocation = entry.value.location
        }
        if let entry = byKey["vars"] { include.variables = variablesOf(entry.value) }
        return include
    }
}
