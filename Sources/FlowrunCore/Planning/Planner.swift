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
        /// `flowrun run WORKFLOW -- ARG…`: the words `${{ args }}` stands for.
        public var arguments: [String] = []
        /// `--executor`; wins over `FLOWRUN_EXECUTOR` (read from `environment`) and the file's `executor:`.
        public var executor: ExecutorSettings.Kind? = nil
        /// Leaves `matrix.KEY` of static matrix instances as holes, as for a
        /// dynamic matrix: for `export`, which writes a matrix's template once.
        public var leavesMatrixHoles = false

        public init(
            variables: [VariableOverride] = [], jobs: Int? = nil, killGrace: Duration = Plan.defaultKillGrace,
            environment: [String: String] = [:], currentDirectory: String = "/", executor: ExecutorSettings.Kind? = nil
        ) {
            self.executor = executor
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
        resolver.arguments = options.arguments
        resolver.leavesMatrixHoles = options.leavesMatrixHoles
        var secrets = SecretValues(names: Set(workflow.secrets))
        // dotenv values under the workflow's env; flowrun's own environment wins over them.
        let dotenv = workflow.dotenv.filter { options.environment[$0.key] == nil }.sorted { $0.key < $1.key }
        for name in workflow.secrets { if let value = values[name] { secrets.add(value) } }
        let directory = Self.absolute(workflow.directory, in: options.currentDirectory)
        let workflowCap = [workflow.maxParallel, options.jobs].compactMap { $0 }.min()

        var stages: [PlannedStage] = []
        for (stageIndex, stage) in workflow.stages.enumerated() {
            // A stage of an included file: that file's folder, dotenv, env and caps.
            let scope = StageScope(stage, workflow: workflow, topDirectory: directory, topDotenv: dotenv, options: options)
            var tasks: [PlannedTask] = []
            tasks.reserveCapacity(stage.tasks.count)  // no doubling copies: 100,000 planned tasks are ~38 MB
            // A stage's `if` sees the workflow's and the stage's env.
            var stageScope = EnvironmentScope()
            if stage.condition != nil {
                for (name, value) in scope.dotenv { stageScope.set(name, PlannedText(literal: value)) }
                for level in scope.levels + [stage.environment] {
                    resolver.push(level, names: .init(stage: stage.name, task: ""), onto: &stageScope)
                }
            }
            for (taskIndex, task) in stage.tasks.enumerated() {
                let id = TaskID(stage: stageIndex, task: taskIndex)
                var planned = planTask(task, id: id, stage: stage, scope: scope, resolver: resolver, secrets: &secrets)
                // Neighbours with the same working directory, env and limits share one box of them.
                if let previous = tasks.last { planned.shareDetails(with: previous) }
                tasks.append(planned)
            }
            let cap = [stage.maxParallel, stage.origin?.maxParallel, workflowCap].compactMap { $0 }.min()
            var plannedStage = PlannedStage(
                index: stageIndex, name: stage.name, description: stage.description, maxParallel: cap,
                failFast: stage.failFast, tasks: tasks)
            plannedStage.condition = stage.condition.map { resolver.resolve($0, environment: stageScope) }
            plannedStage.conditionText = stage.condition?.text
            plannedStage.origin = stage.origin.map { PlannedStage.Origin(file: $0.file, includedAt: $0.includedAt) }
            stages.append(plannedStage)
        }
        var plan = Plan(
            workflowName: workflow.name, description: workflow.description, sourcePath: sourcePath, stages: stages,
            killGrace: options.killGrace, secretValues: secrets.sorted)
        plan.executor = workflow.executor ?? ExecutorSettings()
        switch Self.executorKind(options) {
        case .success(let kind?): plan.executor.kind = kind
        case .success(nil): break
        case .failure(let diagnostic): return .failure(diagnostic)
        }
        return .success((plan, []))
    }

    private func planTask(
        _ task: Workflow.Task, id: TaskID, stage: Workflow.Stage, scope stageScope: StageScope, resolver: Resolver,
        secrets: inout SecretValues
    ) -> PlannedTask {
        let directory = stageScope.directory
        let names = Resolver.Names(stage: stage.name, task: task.name, matrix: task.matrix == nil ? task.matrixValues : nil)
        // `env.NAME` sees each level as it stands: flowrun's own, the workflow's
        // (and each including one's), the stage's, the task's.
        var scope = EnvironmentScope()
        for (name, value) in stageScope.dotenv { scope.set(name, PlannedText(literal: value)) }
        for level in stageScope.levels + [stage.environment, task.environment] {
            resolver.push(level, names: names, onto: &scope)
        }
        let environment = scope.added
        secrets.add(environment)
        let workingDirectory = task.workingDirectory.map {
            planDirectory(resolver.resolve($0, names: names, quoting: false, environment: scope), in: directory)
        } ?? stageScope.directoryText
        let action: PlannedTask.Action
        switch task.action {
        case .run(let command):
            action = .run(command: resolver.resolve(command, names: names, quoting: true, environment: scope), shell: task.shell)
        case .sleep(let duration):
            action = .sleep(duration)
        case .steps(let steps):
            var planned: [PlannedStep] = []
            for step in steps {
                // A step's env is one more level on top of the task's.
                var stepScope = scope
                resolver.push(step.environment, names: names, onto: &stepScope)
                secrets.add(stepScope.added)
                let stepAction: PlannedTask.Action = switch step.action {
                case .run(let command): .run(command: resolver.resolve(command, names: names, quoting: true, environment: stepScope), shell: task.shell)
                case .sleep(let duration): .sleep(duration)
                }
                planned.append(PlannedStep(
                    name: step.name, action: stepAction, environment: stepScope.added,
                    workingDirectory: step.workingDirectory.map {
                        planDirectory(resolver.resolve($0, names: names, quoting: false, environment: stepScope), in: directory)
                    } ?? workingDirectory,
                    timeout: step.timeout, continueOnError: step.continueOnError))
                planned[planned.count - 1].condition = step.condition.map {
                    resolver.resolve($0, environment: stepScope, matrix: names.matrix)
                }
                planned[planned.count - 1].conditionText = step.condition?.text
            }
            action = .steps(planned)
        }
        var plannedTask = PlannedTask(
            id: id, stageName: stage.name, name: task.name,
            action: action, environment: environment, workingDirectory: workingDirectory,
            timeout: task.timeout, retries: task.retries, retryDelay: task.retryDelay,
            continueOnError: task.continueOnError,
            result: task.result.map { resolver.resolve($0, names: names, quoting: false, environment: scope) },
            sources: task.sources, generates: task.generates)
        plannedTask.condition = task.condition.map { resolver.resolve($0, environment: scope, matrix: names.matrix) }
        plannedTask.conditionText = task.condition?.text
        plannedTask.shellIsExplicit = task.shellIsExplicit
        plannedTask.resources = task.resources
        plannedTask.executor = task.executor ?? stage.executor
        plannedTask.location = task.location
        plannedTask.outputs = task.outputs
        plannedTask.interactive = task.interactive
        plannedTask.matrixTask = task.matrixTask
        if let matrix = task.matrix {
            plannedTask.fanOut = PlannedFanOut(
                axes: matrix.axes.map { axis in
                    switch axis.values {
                    case .list(let values): .list(name: axis.name, values: values)
                    case .dynamic(let template): .lines(name: axis.name, text: resolver.resolve(template, names: names, quoting: false, environment: scope))
                    }
                },
                exclude: matrix.exclude, include: matrix.include, namePattern: task.nameTemplate.map(Self.namePattern))
        }
        return plannedTask
    }

    /// What a stage sees of the workflow level: the loaded file's, or for a
    /// stage of an included file, that file's over those of the files including it.
    private struct StageScope {
        var directory: String
        var dotenv: [(key: String, value: String)]
        var levels: [[Workflow.EnvironmentEntry]]
        /// `directory` as the working directory of the stage's tasks that name none:
        /// one value shared by them all, not an array per task (8.8 MB at 100,000 tasks).
        var directoryText: PlannedText

        init(
            _ stage: Workflow.Stage, workflow: Workflow, topDirectory: String, topDotenv: [(key: String, value: String)],
            options: Options
        ) {
            guard let origin = stage.origin else {
                (directory, dotenv, levels) = (topDirectory, topDotenv, [workflow.environment])
                directoryText = PlannedText(literal: directory)
                return
            }
            directory = Planner.absolute(origin.directory, in: options.currentDirectory)
            dotenv = origin.dotenv.filter { options.environment[$0.key] == nil }.sorted { $0.key < $1.key }
            levels = [workflow.environment] + origin.environmentLevels
            directoryText = PlannedText(literal: directory)
        }
    }

    /// A working directory made absolute against the workflow's folder:
    /// `.` and `./x` name the workflow's folder and `x` in it, not `folder/.`.
    private func planDirectory(_ resolved: PlannedText, in directory: String) -> PlannedText {
        var workingDirectory = resolved
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
        return workingDirectory
    }

    /// A `name` template as instance-name parts (the validator allows only text and `matrix.KEY` there).
    static func namePattern(_ template: Template) -> [MatrixExpansion.NamePart] {
        template.parts.map { part in
            switch part {
            case .literal(let text): .text(text)
            case .reference(.matrix(let key), _): .key(key)
            case .reference(let other, _): .text(other.description)
            }
        }
    }

    /// `--executor`, else `FLOWRUN_EXECUTOR`; nil when neither is given.
    static func executorKind(_ options: Options) -> Result<ExecutorSettings.Kind?, Diagnostic> {
        if let kind = options.executor { return .success(kind) }
        guard let value = options.environment["FLOWRUN_EXECUTOR"], !value.isEmpty else { return .success(nil) }
        guard let kind = ExecutorSettings.Kind(rawValue: value) else {
            return .failure(.error(.unknownExecutorSetting(value, variable: "FLOWRUN_EXECUTOR"), at: nil))
        }
        return .success(kind)
    }

    private static func absolute(_ path: String, in current: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = current.hasSuffix("/") ? String(current.dropLast()) : current
        return path == "." ? base : base + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }
}
