/// The state of one Argo export: names handed out, results that cross
/// stages, problems found. Built and used by `ArgoExporter` only.
struct ArgoBuild {
    let plan: Plan
    let workflow: Workflow
    let image: String
    var problems: [Diagnostic] = []
    private var templateNames = Set<String>()
    /// Argo step name of each task, by stage then task name.
    var stepNames: [String: [String: String]] = [:]
    /// Template name of each stage.
    private var stageTemplates: [String: String] = [:]
    /// Tasks whose `result:` template is written to a file (an output parameter, not `outputs.result`).
    var fileResults: [String: Set<String>] = [:]
    /// Results referenced from a later stage, by stage then task.
    private var exported: [String: Set<String>] = [:]
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
        for stage in plan.stages {
            var names = Set<String>()
            for task in stage.tasks {
                stepNames[task.stageName, default: [:]][task.name] = Self.unique(Self.dnsName(task.name), in: &names)
            }
        }
        for stage in plan.stages {
            for task in stage.tasks {
                for case .taskResult(let from, let name) in Self.holes(task) where from != stage.name {
                    exported[from, default: []].insert(name)
                }
            }
        }
        _ = Self.unique("main", in: &templateNames)
        for stage in plan.stages {
            stageTemplates[stage.name] = Self.unique("stage-" + Self.dnsName(stage.name), in: &templateNames)
            for task in stage.tasks where task.result != nil {
                if case .run = task.action { fileResults[stage.name, default: []].insert(task.name) }
            }
        }
        var templates: [ManifestValue] = []
        var mainGroups: [ManifestValue] = []
        for (index, stage) in plan.stages.enumerated() {
            let stageTemplate = stageTemplates[stage.name] ?? "stage"
            if stage.condition != nil {
                problems.append(.error(.exportUnsupported(feature: "an `if` condition", engine: "this version's Argo export"),
                                       at: index < workflow.stages.count ? workflow.stages[index].location : nil))
            }
            var taskSteps: [ManifestValue] = []
            var taskTemplates: [ManifestValue] = []
            var stageInputs: [String] = []
            var inputSources: [String: (String, String)] = [:]
            for (taskIndex, task) in stage.tasks.enumerated() {
                let templateName = Self.unique(Self.dnsName(stage.name) + "-" + Self.dnsName(task.name), in: &templateNames)
                let location = location(of: index, taskIndex)
                guard let (template, arguments) = taskTemplate(task, name: templateName, at: location) else { continue }
                taskTemplates.append(template)
                var step: [(String, ManifestValue)] = [("name", .string(stepNames[stage.name]?[task.name] ?? templateName)), ("template", .string(templateName))]
                var parameters: [ManifestValue] = []
                for (parameter, result) in arguments {
                    let value: String
                    if result.stage == stage.name {
                        value = "{{steps.\(resultExpression(result.stage, result.task))}}"
                    } else {
                        let input = Self.dnsName(result.stage) + "--" + (stepNames[result.stage]?[result.task] ?? "")
                        if !stageInputs.contains(input) { stageInputs.append(input) }
                        inputSources[input] = (result.stage, result.task)
                        value = "{{inputs.parameters.\(input)}}"
                    }
                    parameters.append(.map([("name", .string(parameter)), ("value", .string(value))]))
                }
                if !parameters.isEmpty { step.append(("arguments", .map([("parameters", .list(parameters))]))) }
                if task.continueOnError { step.append(("continueOn", .map([("failed", .bool(true))]))) }
                taskSteps.append(.map(step))
            }
            var body: [(String, ManifestValue)] = [("name", .string(stageTemplate))]
            if !stageInputs.isEmpty {
                body.append(("inputs", .map([("parameters", .list(stageInputs.map { .map([("name", .string($0))]) }))])))
            }
            if let cap = stage.maxParallel { body.append(("parallelism", .int(cap))) }
            // Argo's failFast stops starting children after a failure; running siblings finish (documented gap).
            body.append(("failFast", .bool(stage.failFast)))
            body.append(("steps", .list([.list(taskSteps)])))
            let outputs = stage.tasks.filter { exported[stage.name]?.contains($0.name) == true }
            if !outputs.isEmpty {
                body.append(("outputs", .map([("parameters", .list(outputs.map { task in
                    .map([("name", .string(stepNames[stage.name]?[task.name] ?? "")),
                          ("valueFrom", .map([("parameter", .string("{{steps.\(resultExpression(stage.name, task.name))}}"))]))])
                }))])))
            }
            templates.append(.map(body))
            templates += taskTemplates
            var mainStep: [(String, ManifestValue)] = [("name", .string(stageTemplate)), ("template", .string(stageTemplate))]
            if !stageInputs.isEmpty {
                mainStep.append(("arguments", .map([("parameters", .list(stageInputs.map { input in
                    let (from, task) = inputSources[input] ?? ("", "")
                    let step = stageTemplates[from] ?? ""
                    return .map([("name", .string(input)),
                                 ("value", .string("{{steps.\(step).outputs.parameters.\(stepNames[from]?[task] ?? "")}}"))])
                }))])))
            }
            mainGroups.append(.list([.map(mainStep)]))
        }
        var main: [(String, ManifestValue)] = [("name", .string("main"))]
        main.append(("steps", .list(mainGroups)))
        var spec: [(String, ManifestValue)] = [("entrypoint", .string("main"))]
        if let cap = workflow.maxParallel { spec.append(("parallelism", .int(cap))) }
        spec.append(("templates", .list([.map(main)] + templates)))
        var metadata: [(String, ManifestValue)] = [("generateName", .string(Self.dnsName(workflow.name, limit: 200) + "-"))]
        if let description = workflow.description {
            metadata.append(("annotations", .map([("workflows.argoproj.io/description", .string(description))])))
        }
        return .map([
            ("apiVersion", .string("argoproj.io/v1alpha1")), ("kind", .string("Workflow")),
            ("metadata", .map(metadata)), ("spec", .map(spec)),
        ])
    }

    private func location(of stage: Int, _ task: Int) -> SourceLocation? {
        guard stage < workflow.stages.count, task < workflow.stages[stage].tasks.count else { return nil }
        return workflow.stages[stage].tasks[task].location
    }

    /// Every run-time hole of a task: command, environment, directory, result.
    static func holes(_ task: PlannedTask) -> [PlannedText.Part] {
        var texts = task.environment.map(\.value) + [task.workingDirectory]
        if case .run(let command, _) = task.action { texts.append(command) }
        if let result = task.result { texts.append(result) }
        return texts.flatMap(\.parts).filter { if case .text = $0 { false } else { true } }
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

    private static func unique(_ name: String, in used: inout Set<String>) -> String {
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
