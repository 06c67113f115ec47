/// The state of one Argo export: names handed out, values that cross
/// stages, problems found. Built and used by `ArgoExporter` only.
struct ArgoBuild {
    /// The plan, planned with `leavesMatrixHoles`; instances not grouped get their values bound here.
    var plan: Plan
    let workflow: Workflow
    let image: String
    var problems: [Diagnostic] = []
    var templateNames = Set<String>()
    /// Argo step name of each task (and of each matrix task grouped into one step), by stage then task name.
    var stepNames: [String: [String: String]] = [:]
    /// Template name of each stage.
    var stageTemplates: [String: String] = [:]
    /// Tasks whose result is written to a file (an output parameter, not `outputs.result`).
    var fileResults: [String: Set<String>] = [:]
    /// Values a later stage reads, by stage, in first-use order.
    var exported: [String: [Source]] = [:]
    /// Values the exit handler reads from a stage of the main template: made global.
    var global: Set<Source> = []
    /// Index of the first stage that runs in the exit handler (the first whose `if` calls `always()`, `failure()` or `cancelled()`).
    var exitStart = 0
    /// Static matrices written as one `withItems` step, by stage then matrix task name.
    var groups: [String: [String: MatrixGroup]] = [:]
    /// The Secret holding the workflow's secrets.
    let secretName: String
    /// Secret name → its value, for `vars` secrets (env secrets are matched by name).
    let secretVariables: [(name: String, value: String)]
    let secretEnvironment: Set<String>

    init(plan: Plan, workflow: Workflow, image: String) {
        self.plan = plan
        self.workflow = workflow
        self.image = image
        secretName = ArgoBuild.dnsName(workflow.name, limit: 200) + "-secrets"
        let secrets = Set(workflow.secrets)
        secretVariables = workflow.variables.filter { secrets.contains($0.name) }.map { ($0.name, $0.value) }
        secretEnvironment = secrets.subtracting(secretVariables.map(\.name))
    }

    mutating func manifest() -> ManifestValue {
        exitStart = plan.stages.firstIndex { $0.condition.map(ArgoCondition.runsAfterFailure) == true } ?? plan.stages.count
        findGroups()
        for stage in plan.stages {
            var names = Set<String>()
            for unit in units(of: stage) {
                let task = stage.tasks[unit[0]]
                let name = group(of: task) != nil ? (task.matrixTask ?? task.name) : task.name
                let step = Self.unique(Self.dnsName(name), in: &names)
                stepNames[stage.name, default: [:]][name] = step
                for index in unit { stepNames[stage.name, default: [:]][stage.tasks[index].name] = step }
            }
        }
        let stageIndex = Dictionary(plan.stages.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, stage) in plan.stages.enumerated() {
            var sources = stage.condition.map(Self.sources) ?? []
            for task in stage.tasks { sources += references(task) }
            for source in sources where source.stage != stage.name {
                if !(exported[source.stage]?.contains(source) ?? false) { exported[source.stage, default: []].append(source) }
                if index >= exitStart, let from = stageIndex[source.stage], from < exitStart { global.insert(source) }
            }
        }
        _ = Self.unique("main", in: &templateNames)
        for stage in plan.stages {
            stageTemplates[stage.name] = Self.unique("stage-" + Self.dnsName(stage.name), in: &templateNames)
            for task in stage.tasks {
                if case .run = task.action, task.result != nil { fileResults[stage.name, default: []].insert(task.name) }
                if case .steps = task.action { fileResults[stage.name, default: []].insert(task.name) }
                if group(of: task) != nil { fileResults[stage.name, default: []].insert(task.name) }
            }
        }
        var templates: [ManifestValue] = []
        var mainGroups: [ManifestValue] = []
        var exitGroups: [ManifestValue] = []
        var exitSteps: [String] = []
        for (index, stage) in plan.stages.enumerated() {
            let inExit = index >= exitStart
            let (stageBody, taskTemplates, stageInputs) = stageTemplate(stage, index: index)
            templates.append(.map(stageBody))
            templates += taskTemplates
            let stageTemplate = stageTemplates[stage.name] ?? "stage"
            var step: [(String, ManifestValue)] = [("name", .string(stageTemplate)), ("template", .string(stageTemplate))]
            if !stageInputs.isEmpty {
                step.append(("arguments", .map([("parameters", .list(stageInputs.map { source in
                    .map([("name", .string(inputName(source))), ("value", .string("{{\(stageOutputTag(source, from: inExit))}}"))])
                }))])))
            }
            if let when = stageWhen(stage, index: index, earlier: exitSteps) { step.append(("when", .string(when))) }
            if inExit {
                // A failed clean-up stage does not stop the next one (a `failure()` stage runs after it) ...
                step.append(("continueOn", .map([("failed", .bool(true))])))
                exitGroups.append(.list([.map(step)]))
                exitSteps.append(stageTemplate)
            } else {
                mainGroups.append(.list([.map(step)]))
            }
        }
        var main: [(String, ManifestValue)] = [("name", .string("main"))]
        main.append(("steps", .list(mainGroups)))
        var spec: [(String, ManifestValue)] = [("entrypoint", .string("main"))]
        var all: [ManifestValue] = [.map(main)]
        if !exitGroups.isEmpty {
            let exit = Self.unique("exit-handler", in: &templateNames)
            // ... but it still fails the workflow, as it fails a flowrun run.
            let status = Self.unique("exit-status", in: &templateNames)
            exitGroups.append(.list([.map([
                ("name", .string(status)), ("template", .string(status)), ("when", .string(ArgoCondition.anyFailed(exitSteps))),
            ])]))
            spec.append(("onExit", .string(exit)))
            all.append(.map([("name", .string(exit)), ("steps", .list(exitGroups))]))
            all.append(.map([("name", .string(status)), ("script", .map([
                ("image", .string(image)), ("command", .list([.string("sh")])),
                ("source", .string("echo 'a stage of the exit handler failed' >&2\nexit 1\n")),
            ]))]))
        }
        if let cap = workflow.maxParallel { spec.append(("parallelism", .int(cap))) }
        spec.append(("templates", .list(all + templates)))
        var metadata: [(String, ManifestValue)] = [("generateName", .string(Self.dnsName(workflow.name, limit: 200) + "-"))]
        if let description = workflow.description {
            metadata.append(("annotations", .map([("workflows.argoproj.io/description", .string(description))])))
        }
        return .map([
            ("apiVersion", .string("argoproj.io/v1alpha1")), ("kind", .string("Workflow")),
            ("metadata", .map(metadata)), ("spec", .map(spec)),
        ])
    }

    /// Where a stage's output is read by the template that calls the stage:
    /// a step of the same template, or a global output for the exit handler.
    func stageOutputTag(_ source: Source, from exitHandler: Bool) -> String {
        if exitHandler, global.contains(source) { return "workflow.outputs.parameters.\(inputName(source))" }
        return "steps.\(stageTemplates[source.stage] ?? "").outputs.parameters.\(outputName(source))"
    }

    /// The stage step's `when`: its `if:`, and in the exit handler flowrun's
    /// implicit `success()` for a stage whose `if` calls no status function.
    /// - Parameter earlier: the steps of the exit handler's stages before this one.
    mutating func stageWhen(_ stage: PlannedStage, index: Int, earlier: [String]) -> String? {
        let inExit = index >= exitStart
        let build = self
        var translator = ArgoCondition(tag: { reference in
            switch reference {
            case .taskResult(let from, let task): build.stageOutputTag(.result(stage: from, task: task), from: inExit)
            case .taskOutput(let from, let task, let name): build.stageOutputTag(.output(stage: from, task: task, name: name), from: inExit)
            case .stageState(let from) where !inExit || build.stageIndex(from).map({ $0 >= build.exitStart }) == true:
                "steps.\(build.stageTemplates[from] ?? "").status"
            default: nil
            }
        }, inExitHandler: inExit)
        translator.earlierHandlerSteps = earlier
        guard let condition = stage.condition else { return inExit ? translator.success : nil }
        do {
            let when = try translator.when(condition)
            if inExit, !condition.callsStatusFunction { return "\(translator.success) && \(when)" }
            return when == "true" ? nil : when
        } catch {
            problems.append(.error(.exportUnsupported(feature: error.feature, engine: "an Argo `when`"), at: error.location ?? location(ofStage: index)))
            return nil
        }
    }

    func stageIndex(_ name: String) -> Int? { plan.stages.firstIndex { $0.name == name } }

    func location(ofStage stage: Int) -> SourceLocation? {
        stage < workflow.stages.count ? workflow.stages[stage].location : nil
    }

    func location(of stage: Int, _ task: Int) -> SourceLocation? {
        guard stage < workflow.stages.count, task < workflow.stages[stage].tasks.count else { return nil }
        return workflow.stages[stage].tasks[task].location
    }

    /// Every run-time hole of a task: command or steps, environment, directory, result.
    static func holes(_ task: PlannedTask) -> [PlannedText.Part] {
        var texts = task.environment.map(\.value) + [task.workingDirectory]
        switch task.action {
        case .run(let command, _): texts.append(command)
        case .sleep: break
        case .steps(let steps):
            for step in steps {
                if case .run(let command, _) = step.action { texts.append(command) }
                texts += step.environment.map(\.value) + [step.workingDirectory]
            }
        }
        if let result = task.result { texts.append(result) }
        if let fanOut = task.fanOut {
            for case .lines(_, let text) in fanOut.axes { texts.append(text) }
        }
        return texts.flatMap(\.parts).filter { if case .text = $0 { false } else { true } }
    }

    /// What a task reads from earlier stages (a matrix task's `results` as each instance's result when not grouped).
    func references(_ task: PlannedTask) -> [Source] {
        var sources: [Source] = []
        for part in Self.holes(task) {
            switch part {
            case .taskResult(let stage, let name): sources.append(.result(stage: stage, task: name))
            case .taskOutput(let stage, let name, let output): sources.append(.output(stage: stage, task: name, name: output))
            case .taskResults(let stage, let name): sources += resultsSources(stage, name)
            case .text, .ownOutput, .matrix: break
            }
        }
        return sources + Self.conditions(task).flatMap(Self.sources)
    }

    /// The task's `if` and its steps'.
    static func conditions(_ task: PlannedTask) -> [Condition] {
        var conditions = task.condition.map { [$0] } ?? []
        if case .steps(let steps) = task.action { conditions += steps.compactMap(\.condition) }
        return conditions
    }

    /// `stages.S.tasks.T.results`: the group's aggregated results, or each instance's.
    func resultsSources(_ stage: String, _ task: String) -> [Source] {
        if groups[stage]?[task] != nil { return [.results(stage: stage, task: task)] }
        // A dynamic matrix keeps its name in the plan: it is its own group.
        let instances = plan.stages.first { $0.name == stage }?.tasks.filter { $0.matrixTask == task } ?? []
        return instances.map { .result(stage: stage, task: $0.name) }
    }

    static func sources(_ condition: Condition) -> [Source] {
        condition.references.compactMap { reference, _ in
            switch reference {
            case .taskResult(let stage, let task): .result(stage: stage, task: task)
            case .taskOutput(let stage, let task, let name): .output(stage: stage, task: task, name: name)
            case .variable, .environment, .hostOS, .hostArch, .taskState, .stageState, .matrix: nil
            }
        }
    }

    /// Where a task's result is read after it ran, after `steps.STEP.`.
    func resultExpression(_ stage: String, _ task: String) -> String {
        let step = stepNames[stage]?[task] ?? ""
        return fileResults[stage]?.contains(task) == true ? "\(step).outputs.parameters.result" : "\(step).outputs.result"
    }

    /// A name Argo and Kubernetes accept: lower-case letters, digits and `-`,
    /// starting and ending with a letter or digit.
    static func dnsName(_ name: String, limit: Int = 50) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            let ok = scalar.isASCII && (("a"..."z").contains(scalar) || ("0"..."9").contains(scalar))
            if ok { out.unicodeScalars.append(scalar) } else if !out.isEmpty, out.last != "-" { out += "-" }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.isEmpty { out = "x" }
        return String(out.prefix(limit))
    }

    static func unique(_ name: String, in used: inout Set<String>) -> String {
        var candidate = name
        var number = 2
        while used.contains(candidate) {
            candidate = "\(name)-\(number)"
            number += 1
        }
        used.insert(candidate)
        return candidate
    }
}
