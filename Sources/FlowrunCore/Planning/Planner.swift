/// Turns a `Workflow` and the command line's choices into a `Plan`.
///
/// Pure and total: the same inputs give the same plan, and every valid
/// workflow has one. The environment is passed in, never read here.
public struct Planner: Sendable {
    /// What the command line adds to a workflow.
    public struct Options: Sendable {
        /// `--var NAME=VALUE`, in command-line order; later wins.
        public var variables: [VariableOverride]
        /// `--jobs N`: a cap on tasks running at once.
        public var jobs: Int?
        public var killGrace: Duration
        /// The environment flowrun was started with, for `env.NAME`.
        public var environment: [String: String]
        /// The current directory, to make the workflow's folder absolute.
        public var currentDirectory: String

        public init(
            variables: [VariableOverride] = [], jobs: Int? = nil, killGrace: Duration = Plan.defaultKillGrace,
            environment: [String: String] = [:], currentDirectory: String = "/"
        ) {
            self.variables = variables
            self.jobs = jobs
            self.killGrace = killGrace
            self.environment = environment
            self.currentDirectory = currentDirectory
        }
    }

    /// One `--var NAME=VALUE`.
    public struct VariableOverride: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init() {}

    /// Plans `workflow`. Fails only when `--var` names a variable the workflow does not declare.
    public func plan(_ workflow: Workflow, sourcePath: String, options: Options) -> Result<(Plan, [Diagnostic]), Diagnostic> {
        var values: [String: String] = [:]
        for variable in workflow.variables { values[variable.name] = variable.value }
        for override in options.variables {
            let name = override.name
            guard values[name] != nil else {
                let suggestion = Spelling.closest(to: name, among: workflow.variables.map(\.name))
                return .failure(.error(.unknownVariableOverride(name, suggestion: suggestion), at: nil))
            }
            values[name] = override.value
        }
        var resolver = Resolver(workflow: workflow, variables: values, environment: options.environment)
        let directory = absolute(workflow.directory, in: options.currentDirectory)
        let workflowCap = [workflow.maxParallel, options.jobs].compactMap { $0 }.min()

        var stages: [PlannedStage] = []
        for (stageIndex, stage) in workflow.stages.enumerated() {
            var tasks: [PlannedTask] = []
            for (taskIndex, task) in stage.tasks.enumerated() {
                let names = Resolver.Names(stage: stage.name, task: task.name)
                let action: PlannedTask.Action = switch task.action {
                case .run(let command): .run(command: resolver.resolve(command, names: names, quoting: true), shell: task.shell)
                case .sleep(let duration): .sleep(duration)
                }
                var environment: [PlannedTask.EnvironmentVariable] = []
                for entry in workflow.environment + stage.environment + task.environment {
                    let value = resolver.resolve(entry.value, names: names, quoting: false)
                    if let existing = environment.firstIndex(where: { $0.name == entry.name }) {
                        environment[existing].value = value
                    } else {
                        environment.append(.init(name: entry.name, value: value))
                    }
                }
                var workingDirectory = PlannedText(literal: directory)
                if let template = task.workingDirectory {
                    workingDirectory = resolver.resolve(template, names: names, quoting: false)
                    // `.` and `./x` name the workflow's folder and `x` in it, not `folder/.`.
                    while case .text(var first)? = workingDirectory.parts.first, first == "." || first.hasPrefix("./") {
                        first = first == "." ? "" : String(first.dropFirst(2))
                        if first.isEmpty { workingDirectory.parts.removeFirst() } else { workingDirectory.parts[0] = .text(first) }
                    }
                    if workingDirectory.parts.isEmpty {
                        workingDirectory = PlannedText(literal: directory)
                    } else if case .text(let first)? = workingDirectory.parts.first, first.hasPrefix("/") {
                    } else {
                        workingDirectory.parts.insert(.text(directory + "/"), at: 0)
                    }
                }
                var planned = PlannedTask(
                    id: TaskID(stage: stageIndex, task: taskIndex), stageName: stage.name, name: task.name,
                    action: action, environment: environment, workingDirectory: workingDirectory,
                    timeout: task.timeout, retries: task.retries, retryDelay: task.retryDelay,
                    continueOnError: task.continueOnError,
                    result: task.result.map { resolver.resolve($0, names: names, quoting: false) })
                planned.shellIsExplicit = task.shellIsExplicit
                tasks.append(planned)
            }
            let cap = [stage.maxParallel, workflowCap].compactMap { $0 }.min()
            stages.append(PlannedStage(
                index: stageIndex, name: stage.name, description: stage.description, maxParallel: cap,
                failFast: stage.failFast, tasks: tasks))
        }
        let plan = Plan(
            workflowName: workflow.name, description: workflow.description, sourcePath: sourcePath, stages: stages,
            killGrace: options.killGrace, secretValues: secretValues(workflow, variables: values, resolver: &resolver))
        return .success((plan, resolver.warnings))
    }

    /// The values to mask: each secret's value, and each line of a multi-line value.
    private func secretValues(_ workflow: Workflow, variables: [String: String], resolver: inout Resolver) -> [String] {
        var values: Set<String> = []
        let secrets = Set(workflow.secrets)
        func add(_ value: String) {
            guard !value.isEmpty else { return }
            values.insert(value)
            for line in value.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) where line.count >= 3 {
                values.insert(String(line))
            }
        }
        for name in secrets { if let value = variables[name] { add(value) } }
        var entries = workflow.environment
        for stage in workflow.stages {
            entries += stage.environment
            for task in stage.tasks { entries += task.environment }
        }
        for entry in entries where secrets.contains(entry.name) {
            let text = resolver.resolve(entry.value, names: .init(stage: "", task: ""), quoting: false)
            add(text.render { _ in "" })
        }
        // Longest first, so that a secret containing another is masked whole.
        return values.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    private func absolute(_ path: String, in current: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = current.hasSuffix("/") ? String(current.dropLast()) : current
        return path == "." ? base : base + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }
}

/// Fills templates with what is known before running.
private struct Resolver {
    /// The names `stage.name` and `task.name` stand for.
    struct Names {
        var stage: String
        var task: String
    }

    let workflow: Workflow
    let variables: [String: String]
    let environment: [String: String]
    var warnings: [Diagnostic] = []
    private var warned: Set<String> = []

    init(workflow: Workflow, variables: [String: String], environment: [String: String]) {
        self.workflow = workflow
        self.variables = variables
        self.environment = environment
    }

    mutating func resolve(_ template: Template, names: Names, quoting: Bool) -> PlannedText {
        var parts: [PlannedText.Part] = []
        func append(_ text: String) {
            if case .text(let previous)? = parts.last {
                parts[parts.count - 1] = .text(previous + text)
            } else if !text.isEmpty {
                parts.append(.text(text))
            }
        }
        for part in template.parts {
            switch part {
            case .literal(let text):
                append(text)
            case .reference(let reference, let location):
                let value: String
                switch reference {
                case .variable(let name): value = variables[name] ?? ""
                case .environment(let name):
                    if let found = environment[name] {
                        value = found
                    } else {
                        value = ""
                        if warned.insert(name).inserted {
                            warnings.append(.warning(.environmentVariableUnset(name), at: location))
                        }
                    }
                case .workflowName: value = workflow.name
                case .stageName: value = names.stage
                case .taskName: value = names.task
                case .taskResult(let stage, let task):
                    parts.append(.taskResult(stage: stage, task: task))
                    continue
                case .ownOutput(let output):
                    parts.append(.ownOutput(output))
                    continue
                }
                append(quoting ? ShellQuote.word(value) : value)
            }
        }
        return PlannedText(parts: parts, quotesValues: quoting)
    }
}
