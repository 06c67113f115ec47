/// One task as an Argo template: `script` for `run` and `steps`, `suspend` for `sleep`.
extension ArgoBuild {
    /// Collects what a task template takes as input parameters: values of
    /// earlier stages `r0`, `r1`, … and matrix keys `m0`, `m1`, ….
    struct Inputs {
        var sources: [Source] = []
        var matrixKeys: [String] = []

        mutating func parameter(_ source: Source) -> Int {
            if let index = sources.firstIndex(of: source) { return index }
            sources.append(source)
            return sources.count - 1
        }

        mutating func matrix(_ key: String) -> Int {
            if let index = matrixKeys.firstIndex(of: key) { return index }
            matrixKeys.append(key)
            return matrixKeys.count - 1
        }
    }

    static let resultFile = "/tmp/flowrun-result"
    static let outputsFolder = "/tmp/flowrun-outputs"

    mutating func taskTemplate(
        _ task: PlannedTask, name: String, at location: SourceLocation?
    ) -> (ManifestValue, Inputs)? {
        var body: [(String, ManifestValue)] = [("name", .string(name))]
        var inputs = Inputs()
        if task.interactive {
            problems.append(.error(.exportUnsupported(feature: "an interactive task", engine: "Argo (a pod has no terminal)"), at: location))
            return nil
        }
        let shell: [String]
        switch task.action {
        case .sleep(let duration):
            for stage in plan.stages {
                for other in stage.tasks where references(other).contains(.result(stage: task.stageName, task: task.name)) {
                    problems.append(.error(.exportUnsupported(feature: "the result of a sleep task", engine: "Argo (a suspend step has no outputs)"), at: location))
                    return nil
                }
            }
            body.append(("suspend", .map([("duration", .string(Self.goDuration(duration)))])))
            return (.map(body), inputs)
        case .run(_, let taskShell): shell = taskShell
        case .steps(let steps):
            shell = steps.lazy.compactMap { if case .run(_, let stepShell) = $0.action { stepShell } else { nil } }.first ?? ["sh", "-e", "-c"]
        }
        guard shell.count >= 2, shell.last == "-c" else {
            problems.append(.error(.exportUnsupported(feature: "a list shell whose last element is not -c", engine: "Argo scripts"), at: location))
            return nil
        }
        var environment: [ManifestValue] = []
        var usedSecrets: [String] = []
        guard let source = scriptSource(task, shell: Array(shell.dropLast()), inputs: &inputs, secrets: &usedSecrets, at: location) else { return nil }
        for entry in task.environment {
            let (variable, value) = (entry.name, entry.value)
            if secretEnvironment.contains(variable) {
                environment.append(secretReference(variable, key: variable))
            } else if let secret = secretVariables.first(where: { value.parts == [.text($0.value)] }) {
                environment.append(secretReference(variable, key: secret.name))
            } else {
                var ignored: [String] = []
                guard let rendered = renderOutsideScript(value, inputs: &inputs, secrets: &ignored, at: location) else { return nil }
                environment.append(.map([("name", .string(variable)), ("value", .string(rendered))]))
            }
        }
        for secret in usedSecrets {
            environment.append(secretReference("FLOWRUN_SECRET_" + Self.envName(secret), key: secret))
        }
        for index in inputs.sources.indices {
            environment.append(.map([("name", .string("FLOWRUN_RESULT_\(index)")), ("value", .string("{{inputs.parameters.r\(index)}}"))]))
        }
        for index in inputs.matrixKeys.indices {
            environment.append(.map([("name", .string("FLOWRUN_MATRIX_\(index)")), ("value", .string("{{inputs.parameters.m\(index)}}"))]))
        }
        var script: [(String, ManifestValue)] = [
            ("image", .string(image)),
            ("command", .list(shell.dropLast().map { .string($0) })),
            ("source", .string(source)),
        ]
        guard let directory = workingDirectory(task.workingDirectory, inputs: &inputs, at: location) else { return nil }
        if !directory.isEmpty { script.append(("workingDir", .string(directory))) }
        if !environment.isEmpty { script.append(("env", .list(environment))) }
        if let resources = Self.containerResources(task.resources) { script.append(("resources", resources)) }
        let parameters = inputs.sources.indices.map { "r\($0)" } + inputs.matrixKeys.indices.map { "m\($0)" }
        if !parameters.isEmpty {
            body.append(("inputs", .map([("parameters", .list(parameters.map { .map([("name", .string($0))]) }))])))
        }
        var outputs: [ManifestValue] = []
        if fileResults[task.stageName]?.contains(task.name) == true {
            outputs.append(.map([("name", .string("result")), ("valueFrom", .map([("path", .string(Self.resultFile))]))]))
        }
        for output in task.outputs {
            outputs.append(.map([("name", .string(output)), ("valueFrom", .map([("path", .string(Self.outputsFolder + "/" + output))]))]))
        }
        if !outputs.isEmpty { body.append(("outputs", .map([("parameters", .list(outputs))]))) }
        // `resources.time` is Slurm's backstop to `timeout`; with no `timeout` it is the deadline.
        if let timeout = task.timeout ?? task.resources.time {
            body.append(("activeDeadlineSeconds", .string(String(Self.seconds(timeout)))))
        }
        if task.retries > 0 {
            var strategy: [(String, ManifestValue)] = [("limit", .string(String(task.retries)))]
            if task.retryDelay > .zero {
                strategy.append(("backoff", .map([("duration", .string(Self.goDuration(task.retryDelay)))])))
            }
            body.append(("retryStrategy", .map(strategy)))
        }
        body.append(("script", .map(script)))
        return (.map(body), inputs)
    }

    /// `resources:` as the container's: CPUs and memory requested (memory also
    /// the limit, as Slurm's `--mem` is), GPUs as an `nvidia.com/gpu` limit.
    static func containerResources(_ resources: TaskResources) -> ManifestValue? {
        var requests: [(String, ManifestValue)] = []
        var limits: [(String, ManifestValue)] = []
        if let cpus = resources.cpus { requests.append(("cpu", .string(String(cpus)))) }
        if let megabytes = resources.memoryMegabytes {
            requests.append(("memory", .string("\(megabytes)Mi")))
            limits.append(("memory", .string("\(megabytes)Mi")))
        }
        if let gpus = resources.gpus { limits.append(("nvidia.com/gpu", .string(String(gpus)))) }
        let parts = [("requests", requests), ("limits", limits)].filter { !$0.1.isEmpty }.map { ($0.0, ManifestValue.map($0.1)) }
        return parts.isEmpty ? nil : .map(parts)
    }

    /// `text` with its holes filled for a script: a value of an earlier
    /// stage is `"$FLOWRUN_RESULT_N"` and a matrix key `"$FLOWRUN_MATRIX_N"`
    /// (one shell word, as flowrun quotes it); secret values become variables.
    func render(_ text: PlannedText, inputs: inout Inputs, secrets: inout [String]) -> String {
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
                out += "\"$FLOWRUN_RESULT_\(inputs.parameter(.result(stage: stage, task: task)))\""
            case .taskOutput(let stage, let task, let name):
                out += "\"$FLOWRUN_RESULT_\(inputs.parameter(.output(stage: stage, task: task, name: name)))\""
            case .taskResults(let stage, let task):
                let sources = resultsSources(stage, task)
                if sources.count == 1, case .results = sources[0] {
                    out += "\"$FLOWRUN_RESULT_\(inputs.parameter(sources[0]))\""
                } else {
                    let words = sources.map { "\"$FLOWRUN_RESULT_\(inputs.parameter($0))\"" }.joined(separator: " ")
                    out += words.isEmpty ? "''" : "\"$(printf '%s\\n' \(words))\""
                }
            case .ownOutput(let which):
                out += "${{ \(which.rawValue) }}"
            case .matrix(let key):
                out += "\"$FLOWRUN_MATRIX_\(inputs.matrix(key))\""
            }
        }
        return out
    }

    /// `text` where Argo fills it in (an env value, a directory):
    /// `{{inputs.parameters.rN}}`, or nil (reported) for a value that needs a script.
    mutating func renderOutsideScript(_ text: PlannedText, inputs: inout Inputs, secrets: inout [String], at location: SourceLocation?) -> String? {
        var out = ""
        for part in text.parts {
            switch part {
            case .text(let literal): out += literal
            case .taskResult(let stage, let task): out += "{{inputs.parameters.r\(inputs.parameter(.result(stage: stage, task: task)))}}"
            case .taskOutput(let stage, let task, let name):
                out += "{{inputs.parameters.r\(inputs.parameter(.output(stage: stage, task: task, name: name)))}}"
            case .matrix(let key): out += "{{inputs.parameters.m\(inputs.matrix(key))}}"
            case .ownOutput(let which): out += "${{ \(which.rawValue) }}"
            case .taskResults:
                problems.append(.error(.exportUnsupported(feature: "a matrix task's `results` outside `run`", engine: "Argo (only a script can split them into lines)"), at: location))
                return nil
            }
        }
        return out
    }

    /// A directory inside the container: the workflow's folder is the
    /// image's working directory (""); anything else is under `/workdir`.
    mutating func workingDirectory(_ text: PlannedText, inputs: inout Inputs, at location: SourceLocation?) -> String? {
        guard let base = baseDirectory else { return "" }
        var ignored: [String] = []
        guard let path = renderOutsideScript(text, inputs: &inputs, secrets: &ignored, at: location) else { return nil }
        if path == base { return "" }
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

    /// Whole seconds, rounded up, at least 1.
    static func seconds(_ duration: Duration) -> Int64 {
        max(1, duration.components.seconds + (duration.components.attoseconds > 0 ? 1 : 0))
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
