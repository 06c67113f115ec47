/// Matrices and the name templates that name their instances.
extension Validator.Pass {
    /// The fixed start of a matrix task's name template (`test-${{ matrix.os }}` is
    /// `test`): the name `results` and references use for the matrix task.
    static func matrixBaseName(_ text: String) -> String? {
        guard let opening = text.firstRange(of: "${{") else { return text }
        var base = String(text[..<opening.lowerBound])
        while let last = base.last, last == "-" || last == "_" || last == "." || last == " " { base.removeLast() }
        return base.isEmpty ? nil : base
    }

    mutating func nameTemplateOf(_ text: String, node: Node, stageIndex: Int, matrixKeys: [String]?) -> Template? {
        let parsed = template(text, node: node, scope: TemplateScope(key: "name", stageIndex: stageIndex, matrixKeys: matrixKeys))
        for part in parsed.parts {
            switch part {
            case .literal(let literal):
                if !NameRules.isValid(literal, as: .stageOrTask) {
                    error(.invalidName(kind: .task, name: DisplayText.escaped(literal)), at: node.location)
                    return nil
                }
            case .reference(.matrix, _):
                break
            case .reference(_, let location):
                error(.nameTemplateNotMatrix, at: location)
                return nil
            }
        }
        return parsed
    }

    mutating func matrixOf(_ node: Node, stageIndex: Int) -> Workflow.Matrix? {
        guard let entries = mapping(node, key: "matrix") else { return nil }
        var axes: [Workflow.Matrix.Axis] = []
        for entry in entries where entry.key != "exclude" && entry.key != "include" {
            guard checkIdentifier(entry.key, at: entry.keyLocation, isEnvironment: false) else { continue }
            switch entry.value.value {
            case .sequence(let items):
                if items.isEmpty { error(.emptyList(key: "matrix.\(entry.key)"), at: entry.value.location) }
                let values = items.compactMap { text($0, key: "matrix.\(entry.key)") }
                axes.append(.init(name: entry.key, values: .list(values), location: entry.keyLocation))
            case .scalar(let scalar) where scalar.text.contains("${{"):
                let dynamic = template(scalar.text, node: entry.value, scope: TemplateScope(key: "matrix", stageIndex: stageIndex))
                axes.append(.init(name: entry.key, values: .dynamic(dynamic), location: entry.keyLocation))
            default:
                var found = DiagnosticMessage.Found.kind(entry.value.kind)
                if case .scalar(let scalar) = entry.value.value { found = .scalar(DisplayText.escaped(scalar.text, limit: 40), entry.value.kind) }
                error(.matrixValuesWrongType(key: entry.key, found: found), at: entry.value.location)
                // Still a key: its uses are not errors of their own.
                axes.append(.init(name: entry.key, values: .list([]), location: entry.keyLocation))
            }
        }
        if axes.isEmpty, !entries.contains(where: { $0.key != "exclude" && $0.key != "include" }) {
            error(.emptyList(key: "matrix"), at: node.location)
        }
        let keys = axes.map(\.name)
        var matrix = Workflow.Matrix(axes: axes, location: node.location)
        for entry in entries where entry.key == "exclude" || entry.key == "include" {
            guard let items = sequence(entry.value, key: "matrix.\(entry.key)") else { continue }
            for item in items {
                guard let pairs = mapping(item, key: "matrix.\(entry.key)[]") else {
                    continue
                }
                var combination: [String: String] = [:]
                for pair in pairs {
                    if !keys.contains(pair.key) {
                        error(.matrixEntryUnknownKey(entry: entry.key, key: pair.key, suggestion: Spelling.closest(to: pair.key, among: keys)),
                              at: pair.keyLocation)
                        continue
                    }
                    if let value = text(pair.value, key: "matrix.\(entry.key).\(pair.key)") { combination[pair.key] = value }
                }
                if entry.key == "include" {
                    for key in keys where combination[key] == nil && !pairs.contains(where: { $0.key == key }) {
                        error(.matrixIncludeMissingKey(key: key), at: item.location)
                    }
                    matrix.include.append(combination)
                } else {
                    matrix.exclude.append(combination)
                }
            }
        }
        return matrix
    }
}
