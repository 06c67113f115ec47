/// One task as an Argo template: `script` for `run`, `suspend` for `sleep`.
extension ArgoBuild {
    /// A result a task template takes as an input parameter.
    struct ResultInput {
        var stage: String
        var task: String
    }

    /// Collects a task's results as input parameters `r0`, `r1`, … (one per distinct result).
    struct Inputs {
        var results: [ResultInput] = []

        mutating func parameter(_ stage: String, _ task: String) -> String {
            if let index = results.firstIndex(where: { $0.stage == stage && $0.task == task }) { return "r\(index)" }
            results.append(ResultInput(stage: stage, task: task))
            return "r\(results.count - 1)"
        }
    }

    static let resultFile = "/tmp/flowrun-result"

    mutating func taskTemplate(
        _ task: PlannedTask, name: String, at location: SourceLocation?
    ) -> (ManifestValue, [(String, ResultInput)])? {
        var body: [(String, ManifestValue)] = [("name", .string(name))]
        var inputs = Inputs()
        // `if` → `when` is not written yet: say so rather than drop the condition.
        if task.condition != nil {
            problems.append(.error(.exportUnsupported(feature: "an `if` condition", engine: "this version's Argo export"), at: location))
            return nil
        }
        // Steps, dynamic matrices, outputs and interactive tasks have no Argo form yet: say so, never drop them.
        let matrixHole = Self.holes(task).contains { part in
            switch part {
            case .taskResults, .taskOutput, .matrix: true
            default: false
            }
        }
        let unsupported: String? = if case .steps = task.action { "`steps`" } else if task.fanOut != nil { "a dynamic `matrix`" }
            else if !task.outputs.isEmpty { "`outputs`" } else if task.interactive { "an interactive task" }
            else if matrixHole { "matrix results or task outputs" } else { nil }
        if let unsupported {
            problems.append(.error(.exportUnsupported(feature: unsupported, engine: "this version's Argo export"), at: location))
            return nil
        }
        switch task.action {
        case .sleep(let duration):
            for case .taskResult(let stage, let other) in plan.stages.flatMap(\.tasks).flatMap(Self.holes)
            where stage == task.stageName && other == task.name {
                problems.append(.error(.exportUnsupported(feature: "the result of a sleep task", engine: "Argo (a suspend step has no outputs)"), at: location))
                return nil
            }
            body.append(("suspend", .map([("duration", .string(Self.goDuration(duration)))])))
            return (.map(body), [])
        case .steps:
            return nil
        case .run(let command, let shell):
            guard shell.count >= 2, shell.last == "-c" else {
                problems.append(.error(.exportUnsupported(feature: "a list shell whose last element is not -c", engine: "Argo scripts"), at: location))
                return nil
            }
            var environment: [ManifestValue] = []
            var usedSecrets: [String] = []
            var source = render(command, inputs: &inputs, inScript: true, secrets: &usedSecrets)
            if let result = task.result {
                source = wrapped(source, shell: Array(shell.dropLast()), result: result, inputs: &inputs, secrets: &usedSecrets)
            }
            for entry in task.environment {
                let (variable, value) = (entry.name, entry.value)
                if secretEnvironment.contains(variable) {
                    environment.append(secretReference(variable, key: variable))
                } else if let secret = secretVariables.first(where: { value.parts == [.text($0.value)] }) {
                    environment.append(secretReference(variable, key: secret.name))
                } else {
                    var ignored: [String] = []
                    environment.append(.map([("name", .string(variable)), ("value", .string(render(value, inputs: &inputs, inScript: false, secrets: &ignored)))]))
                }
            }
            for secret in usedSecrets {
                environment.append(secretReference("FLOWRUN_SECRET_" + Self.envName(secret), key: secret))
            }
            for (index, _) in inputs.results.enumerated() {
                environment.append(.map([("name", .string("FLOWRUN_RESULT_\(index)")), ("value", .string("{{inputs.parameters.r\(index)}}"))]))
            }
            var script: [(String, ManifestValue)] = [
                ("image", .string(image)),
                ("command", .list(shell.dropLast().map { .string($0) })),
                ("source", .string(source)),
            ]
            if let directory = workingDirectory(task, inputs: &inputs) { script.append(("workingDir", .string(directory))) }
            if !environment.isEmpty { script.append(("env", .list(environment))) }
            if !inputs.results.isEmpty {
                body.append(("inputs", .map([("parameters", .list(inputs.results.indices.map { .map([("name", .string("r\($0)"))]) }))])))
            }
            if task.result != nil {
                body.append(("outputs", .map([("parameters", .list([.map([
                    ("name", .string("result")), ("valueFrom", .map([("path", .string(Self.resultFile))])),
                ])]))])))
            }
            if let timeout = task.timeout {
                let seconds = timeout.components.seconds + (timeout.components.attoseconds > 0 ? 1 : 0)
                body.append(("activeDeadlineSeconds", .string(String(max(1, seconds)))))
            }
            if task.retries > 0 {
                var strategy: [(String, ManifestValue)] = [("limit", .string(String(task.retries)))]
                if task.retryDelay > .zero {
                    strategy.append(("backoff", .map([("duration", .string(Self.goDuration(task.retryDelay)))])))
                }
                body.append(("retryStrategy", .map(strategy)))
            }
            body.append(("script", .map(script)))
            return (.map(body), inputs.results.enumerated().map { ("r\($0.offset)", $0.element) })
        }
    }

    /// `text` with its holes filled for Argo: in a script a result is
    /// `"$FLOWRUN_RESULT_N"` (one shell word, as flowrun quotes it);
    /// elsewhere `{{inputs.parameters.rN}}`. Secret values become variables.
    func render(_ text: PlannedText, inputs: inout Inputs, inScript: Bool, secrets: inout [String]) -> String {
        var out = ""
        for part in text.parts {
            switch part {
            case .text(var literal):
                for secret in secretVariables where literal.contains(secret.value) && !secret.value.isEmpty {
                    let variable = "FLOWRUN_SECRET_" + Self.envName(secret.name)
                    literal = literal.replacingAll(ShellQuote.word(secret.value), with: "\"$\(variable)\"")
                        .replacingAll(secret.value, with: "${\(variable)}")
                    if !secrets.contains(secret.name) { secrets.append(secret.name) }
                }
                out += literal
            case .taskResult(let stage, let task):
                let parameter = inputs.parameter(stage, task)
                out += inScript ? "\"$FLOWRUN_RESULT_\(parameter.dropFirst())\"" : "{{inputs.parameters.\(parameter)}}"
            case .ownOutput(let which):
                out += "${{ \(which.rawValue) }}"
            case .taskResults, .taskOutput, .matrix:
                // Refused before rendering (see above).
                break
            }
        }
        return out
    }

    /// A script whose `result:` template is written to `resultFile`: the
    /// task's script runs first (its stdout shown and kept), then the result
    /// is rendered with `${{ stdout }}`, `${{ stderr }}` and `${{ exit-code }}` filled.
    func wrapped(_ script: String, shell: [String], result: PlannedText, inputs: inout Inputs, secrets: inout [String]) -> String {
        var rendered = ""
        for part in result.parts {
            switch part {
            case .text(let literal): rendered += ShellQuote.word(literal)
            case .taskResult(let stage, let task): rendered += "\"$FLOWRUN_RESULT_\(inputs.parameter(stage, task).dropFirst())\""
            case .ownOutput(.stdout): rendered += "\"$(cat /tmp/flowrun-stdout)\""
            case .ownOutput(.stderr): rendered += "\"$(cat /tmp/flowrun-stderr)\""
            case .ownOutput(.exitCode): rendered += "\"$flowrun_exit\""
            case .taskResults, .taskOutput, .matrix: break
            }
        }
        let delimiter = "FLOWRUN_SCRIPT_END"
        return """
            cat > /tmp/flowrun-script <<'\(delimiter)'
            \(script)
            \(delimiter)
            set +e
            \(shell.map(ShellQuote.word).joined(separator: " ")) /tmp/flowrun-script > /tmp/flowrun-stdout 2> /tmp/flowrun-stderr
            flowrun_exit=$?
            cat /tmp/flowrun-stdout
            cat /tmp/flowrun-stderr >&2
            printf '%s' \(rendered.isEmpty ? "''" : rendered) > \(Self.resultFile)
            exit "$flowrun_exit"
            """
    }

    /// The task's directory inside the container: the workflow's folder is
    /// the image's working directory; anything else is under `/workdir`.
    func workingDirectory(_ task: PlannedTask, inputs: inout Inputs) -> String? {
        guard let base = baseDirectory else { return nil }
        var ignored: [String] = []
        let path = render(task.workingDirectory, inputs: &inputs, inScript: false, secrets: &ignored)
        if path == base { return nil }
        if path.hasPrefix(base + "/") { return "/workdir/" + path.dropFirst(base.count + 1) }
        return path
    }

    /// The folder of the workflow, as the plan spells it (the directory of a task that names none).
    var baseDirectory: String? {
        for (stage, checked) in zip(plan.stages, workflow.stages) {
            for (task, source) in zip(stage.tasks, checked.tasks) where source.workingDirectory == nil {
                if task.workingDirectory.isResolved { return task.workingDirectory.render { _ in "" } }
            }
        }
        return nil
    }

    func secretReference(_ variable: String, key: String) -> ManifestValue {
        .map([("name", .string(variable)), ("valueFrom", .map([("secretKeyRef", .map([
            ("name", .string(secretName)), ("key", .string(key)),
        ]))]))])
    }

    static func envName(_ name: String) -> String {
        String(name.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    /// A duration as Go writes it (`3s`, `1.5s`, `100ms`), which Argo reads.
    static func goDuration(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
