/// A dynamic matrix's instances, listed when its stage starts: a script
/// template that splits each templated key's text into lines (empty lines
/// dropped, as flowrun does), crosses the keys (first key slowest), drops
/// the `exclude` combinations, appends `include`, and prints the JSON list
/// `withParam` reads, each item with its flowrun instance name.
extension ArgoBuild {
    mutating func matrixGenerator(
        _ task: PlannedTask, _ fanOut: PlannedFanOut, name: String, at location: SourceLocation?
    ) -> (ManifestValue, Inputs)? {
        var inputs = Inputs()
        var environment: [ManifestValue] = []
        var lines = [
            #"flowrun_json() { printf '"'; printf '%s' "$1" | awk '{ o = ""; for (i = 1; i <= length($0); i++) { c = substr($0, i, 1); if (c == "\\" || c == "\"") c = "\\" c; else if (c == "\t") c = "\\t"; else if (c == "\r") c = "\\r"; o = o c } printf "%s%s", (NR > 1 ? "\\n" : ""), o }'; printf '"'; }"#,
            #"flowrun_name() { printf '%s' "$1" | tr -c 'A-Za-z0-9_.-' '_'; }"#,
            "{",
        ]
        let keys = fanOut.axes.map(\.name)
        let withName = !keys.contains("instance")
        for (index, axis) in fanOut.axes.enumerated() {
            let feed: String
            switch axis {
            case .list(_, let values):
                if values.contains(where: { $0.contains("\n") || $0.contains("\r") }) {
                    problems.append(.error(.exportUnsupported(feature: "a matrix value with a line break beside a dynamic key", engine: "Argo's withParam"), at: location))
                    return nil
                }
                feed = "printf '%s\\n' " + values.map(ShellQuote.word).joined(separator: " ")
            case .lines(_, let text):
                var ignored: [String] = []
                guard let value = renderOutsideScript(text, inputs: &inputs, secrets: &ignored, at: location) else { return nil }
                environment.append(.map([("name", .string("FLOWRUN_AXIS_\(index)")), ("value", .string(value))]))
                feed = "printf '%s\\n' \"$FLOWRUN_AXIS_\(index)\""
            }
            lines.append(String(repeating: "  ", count: index + 1) + "\(feed) | while IFS= read -r v\(index); do")
            let pad = String(repeating: "  ", count: index + 2)
            if case .lines = axis { lines.append(pad + "case \"$v\(index)\" in *[!\\ \\\t]*) ;; *) continue ;; esac") }
        }
        let pad = String(repeating: "  ", count: keys.count + 1)
        for entry in fanOut.exclude {
            let tests = entry.sorted { $0.key < $1.key }.compactMap { key, value in
                keys.firstIndex(of: key).map { "[ \"$v\($0)\" = \(ShellQuote.word(value)) ]" }
            }
            if !tests.isEmpty { lines.append(pad + "if \(tests.joined(separator: " && ")); then continue; fi") }
        }
        var nameWords = ""
        if let pattern = fanOut.namePattern {
            for part in pattern {
                switch part {
                case .text(let text): nameWords += ShellQuote.word(text)
                case .key(let key): nameWords += "\"$(flowrun_name \"$v\(keys.firstIndex(of: key) ?? 0)\")\""
                }
            }
        } else {
            nameWords = ShellQuote.word(task.name) + keys.indices.map { "-\"$(flowrun_name \"$v\($0)\")\"" }.joined()
        }
        var fields: [String] = withName ? ["\"instance\":%s"] : []
        var arguments: [String] = withName ? ["\"$(flowrun_json \(nameWords.isEmpty ? "''" : nameWords))\""] : []
        for (index, key) in keys.enumerated() {
            fields.append(JSONText.quoted(key) + ":%s")
            arguments.append("\"$(flowrun_json \"$v\(index)\")\"")
        }
        lines.append(pad + "printf " + ShellQuote.word("{" + fields.joined(separator: ",") + "}\\n") + " " + arguments.joined(separator: " "))
        for index in keys.indices.reversed() { lines.append(String(repeating: "  ", count: index + 1) + "done") }
        for entry in fanOut.include {
            let values = keys.map { Workflow.MatrixValue(name: $0, value: entry[$0] ?? "") }
            var item: [String] = withName
                ? ["\"instance\":" + JSONText.quoted(MatrixExpansion.instanceName(task: task.name, values: values, pattern: fanOut.namePattern))] : []
            for value in values { item.append(JSONText.quoted(value.name) + ":" + JSONText.quoted(value.value)) }
            lines.append("  printf '%s\\n' " + ShellQuote.word("{" + item.joined(separator: ",") + "}"))
        }
        lines.append(#"} | awk 'BEGIN { printf "[" } { printf "%s%s", (NR > 1 ? "," : ""), $0 } END { print "]" }'"#)
        var body: [(String, ManifestValue)] = [("name", .string(name))]
        if !inputs.sources.isEmpty {
            body.append(("inputs", .map([("parameters", .list(inputs.sources.indices.map { .map([("name", .string("r\($0)"))]) }))])))
        }
        var script: [(String, ManifestValue)] = [
            ("image", .string(image)), ("command", .list([.string("sh"), .string("-e")])), ("source", .string(lines.joined(separator: "\n") + "\n")),
        ]
        if !environment.isEmpty { script.append(("env", .list(environment))) }
        body.append(("script", .map(script)))
        return (.map(body), inputs)
    }
}
