/// Names: stage and task headers read first, keys, and the name rules.
extension Validator.Pass {
    /// A stage's name and the names of its tasks, read before anything else.
    struct StageHeader {
        var name: String
        var taskNames: [String?]
    }

    mutating func stageHeaders(_ nodes: [Node]) -> [StageHeader] {
        var firstSeen: [String: SourceLocation] = [:]
        var headers: [StageHeader] = []
        for (index, node) in nodes.enumerated() {
            // Named by its place in the list as written, include entries counted.
            let place = index < writtenPlaces.count ? writtenPlaces[index] : index
            var name = String(place + 1)
            var nameLocation = node.location
            var taskNodes: Node.Items?
            switch node.value {
            case .sequence(let items):
                taskNodes = items
            case .mapping(let entries):
                if let entry = entries.first(where: { $0.hasKey("name") }) {
                    nameLocation = entry.value.location
                    if let text = text(entry.value, key: "name"), checkName(text, kind: .stage, at: entry.value.location) {
                        name = text
                    }
                } else {
                    // Only the list shorthand is named by position; a written-out stage names itself.
                    error(.missingKey(key: "name", in: .stageAt(place + 1)), at: node.location)
                }
                if let tasks = entries.first(where: { $0.hasKey("tasks") }), case .sequence(let items) = tasks.value.value {
                    taskNodes = items
                }
            case .scalar:
                break
            }
            if let first = firstSeen[name] {
                error(.duplicateName(kind: .stage, name: name), at: nameLocation,
                      notes: [.init(location: first, message: .firstDefinedHere)])
            } else {
                firstSeen[name] = nameLocation
                stageIndexByName[name] = index
            }
            let tasks = taskNodes.map { taskHeaderNames($0) }
            headers.append(StageHeader(name: name, taskNames: tasks?.names ?? []))
            if tasks?.hasMatrix == true { stagesWithMatrix.insert(index) }
            taskNamesByStage.append(tasks?.firstSeen ?? [:])
        }
        return headers
    }

    /// Task names by position (nil where the name is invalid), duplicates
    /// reported; where each name is first; whether a task has a matrix.
    mutating func taskHeaderNames(_ nodes: Node.Items) -> (names: [String?], firstSeen: [String: Int32], hasMatrix: Bool) {
        // The task each name is first given to (kept for the stage), and where.
        var firstSeen: [String: Int32] = [:]
        firstSeen.reserveCapacity(nodes.count)
        var locations: [SourceLocation] = []
        locations.reserveCapacity(nodes.count)
        var names: [String?] = []
        names.reserveCapacity(nodes.count)
        var anyMatrix = false
        for (index, node) in nodes.enumerated() {
            var name: String? = String(index + 1)
            var location = node.location
            var nameEntry: MappingEntry?
            var hasMatrix = false
            if case .mapping(let entries) = node.value {
                // One walk over the keys for both.
                for entry in entries {
                    if nameEntry == nil, entry.hasKey("name") { nameEntry = entry } else if entry.hasKey("matrix") { hasMatrix = true }
                }
                anyMatrix = anyMatrix || hasMatrix
            }
            if let entry = nameEntry {
                location = entry.value.location
                if hasMatrix, case .scalar(let scalar) = entry.value.value, scalar.text.contains("${{") {
                    // A name template: checked with the task; its fixed start names the matrix task.
                    name = Self.matrixBaseName(scalar.text) ?? String(index + 1)
                } else if let text = text(entry.value, key: "name"), checkName(text, kind: .task, at: entry.value.location) {
                    name = text
                } else {
                    name = nil
                }
            }
            if let name {
                if let first = firstSeen[name] {
                    let first = locations[Int(first)]
                    error(.duplicateName(kind: .task, name: name), at: location,
                          notes: [.init(location: first, message: .firstDefinedHere)])
                } else {
                    firstSeen[name] = Int32(index)
                }
            }
            names.append(name)
            locations.append(location)
        }
        return (names, firstSeen, anyMatrix)
    }

    /// `checkKeys` for keys already made strings.
    mutating func checkKeys(_ keys: KeyedEntries, allowed: KeyList) {
        keys.forEach { key in
            if !allowed.contains(key, of: keys) {
                let text = keys.text(of: key)
                error(.unknownKey(key: text, allowed: allowed.keys, suggestion: Spelling.closest(to: text, among: allowed.keys)),
                      at: keys.location(of: key))
            }
        }
    }

    mutating func checkKeys(_ entries: some Collection<MappingEntry>, allowed: [String]) {
        for entry in entries where !Self.isAllowed(entry, allowed) {
            error(.unknownKey(key: entry.key, allowed: allowed, suggestion: Spelling.closest(to: entry.key, among: allowed)),
                  at: entry.keyLocation)
        }
    }

    /// Whether an unknown key of `entries` is a likely misspelling of `key`;
    /// its "did you mean" already explains why `key` is missing.
    func isMisspelled(_ key: String, in entries: some Collection<MappingEntry>, allowed: [String]) -> Bool {
        entries.contains { entry in !Self.isAllowed(entry, allowed) && Spelling.closest(to: entry.key, among: allowed) == key }
    }

    /// Whether an entry's key is one of `allowed`, compared as bytes, lengths first.
    static func isAllowed(_ entry: MappingEntry, _ allowed: [String]) -> Bool {
        let arena = entry.arena
        return arena.withText(arena.target(entry.keyIndex)) { key in
            allowed.contains { word in
                guard word.utf8.count == key.count else { return false }
                var word = word
                return word.withUTF8 { $0.elementsEqual(key) }
            }
        }
    }

    /// Checks a stage or task name; returns whether it is usable.
    mutating func checkName(_ name: String, kind: DiagnosticMessage.NameKind, at location: SourceLocation) -> Bool {
        // No more scalars than bytes: most names need no count.
        if name.utf8.count > Validator.maxNameLength, name.unicodeScalars.count > Validator.maxNameLength {
            error(.nameTooLong(kind: kind, limit: Validator.maxNameLength), at: location)
            return false
        }
        let valid = NameRules.isValid(name, as: .stageOrTask)
        if name.isEmpty {
            error(.emptyName(kind: kind), at: location)
        } else if !valid {
            error(.invalidName(kind: kind, name: DisplayText.escaped(name)), at: location)
        }
        return valid
    }

    /// Checks an `env` or `vars` key; returns whether it is usable.
    mutating func checkIdentifier(_ name: String, at location: SourceLocation, isEnvironment: Bool) -> Bool {
        let valid = NameRules.isValid(name, as: isEnvironment ? .environment : .variable)
        if !valid {
            error(isEnvironment ? .invalidEnvironmentName(DisplayText.escaped(name)) : .invalidName(kind: .variable, name: DisplayText.escaped(name)), at: location)
        }
        return valid
    }
}
