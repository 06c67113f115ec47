/// One stage as a steps template: one parallel group of its tasks (or
/// matrices), its own `parallelism` and `failFast`, and as outputs the
/// values later stages read.
extension ArgoBuild {
    /// A value one stage reads from an earlier one.
    enum Source: Hashable {
        case result(stage: String, task: String)
        /// Every instance's result of a matrix written as one looped step (Argo aggregates them as a JSON list).
        case results(stage: String, task: String)
        case output(stage: String, task: String, name: String)

        var stage: String {
            switch self {
            case .result(let stage, _), .results(let stage, _), .output(let stage, _, _): stage
            }
        }

        var task: String {
            switch self {
            case .result(_, let task), .results(_, let task), .output(_, let task, _): task
            }
        }
    }

    /// The parameter name of a value between stages: `STAGE--STEP`, `…--results`, `…--out-NAME`.
    func inputName(_ source: Source) -> String {
        let base = Self.dnsName(source.stage) + "--" + (stepNames[source.stage]?[source.task] ?? "")
        return switch source {
        case .result: base
        case .results: base + "--results"
        case .output(_, _, let name): base + "--out-" + Self.dnsName(name)
        }
    }

    /// The name of a stage's output parameter: the step's name for its result, with `--results` or `--out-NAME`;
    /// a global output (read by the exit handler) is named like the input, which is unique in the workflow.
    func outputName(_ source: Source) -> String {
        if global.contains(source) { return inputName(source) }
        let base = stepNames[source.stage]?[source.task] ?? ""
        return switch source {
        case .result: base
        case .results: base + "--results"
        case .output(_, _, let name): base + "--out-" + Self.dnsName(name)
        }
    }

    /// Where the stage template reads a value of one of its own steps.
    func ownTag(_ source: Source) -> String {
        let step = stepNames[source.stage]?[source.task] ?? ""
        return switch source {
        case .result(let stage, let task): "steps.\(resultExpression(stage, task))"
        case .results: "steps.\(step).outputs.parameters.result"
        case .output(_, _, let name): "steps.\(step).outputs.parameters.\(name)"
        }
    }

    mutating func stageTemplate(_ stage: PlannedStage, index: Int) -> ([(String, ManifestValue)], [ManifestValue], [Source]) {
        var taskSteps: [ManifestValue] = []
        var taskTemplates: [ManifestValue] = []
        var stageInputs: [Source] = []
        var generatorSteps: [ManifestValue] = []
        var generatorNames = Set(stepNames[stage.name]?.values.map { $0 } ?? [])
        for unit in units(of: stage) {
            let task = stage.tasks[unit[0]]
            let group = group(of: task)
            let displayName = group != nil ? (task.matrixTask ?? task.name) : task.name
            let templateName = Self.unique(Self.dnsName(stage.name) + "-" + Self.dnsName(displayName), in: &templateNames)
            let location = location(of: index, unit[0])
            guard let (template, inputs) = taskTemplate(task, name: templateName, at: location) else { continue }
            taskTemplates.append(template)
            var step: [(String, ManifestValue)] = [
                ("name", .string(stepNames[stage.name]?[displayName] ?? templateName)), ("template", .string(templateName)),
            ]
            var parameters: [ManifestValue] = []
            for (parameter, source) in inputs.sources.enumerated() {
                if !stageInputs.contains(source) { stageInputs.append(source) }
                parameters.append(.map([("name", .string("r\(parameter)")), ("value", .string("{{inputs.parameters.\(inputName(source))}}"))]))
            }
            for (parameter, key) in inputs.matrixKeys.enumerated() {
                parameters.append(.map([("name", .string("m\(parameter)")), ("value", .string("{{item.\(key)}}"))]))
            }
            if !parameters.isEmpty { step.append(("arguments", .map([("parameters", .list(parameters))]))) }
            if let items = group?.items { step.append(("withItems", .list(items))) }
            if let fanOut = task.fanOut {
                guard let (generator, generatorInputs) = matrixGenerator(task, fanOut, name: templateName + "-matrix", at: location) else { continue }
                taskTemplates.append(generator)
                let generatorStep = Self.unique((stepNames[stage.name]?[displayName] ?? templateName) + "-matrix", in: &generatorNames)
                var generatorArguments: [ManifestValue] = []
                for (parameter, source) in generatorInputs.sources.enumerated() {
                    if !stageInputs.contains(source) { stageInputs.append(source) }
                    generatorArguments.append(.map([("name", .string("r\(parameter)")), ("value", .string("{{inputs.parameters.\(inputName(source))}}"))]))
                }
                var generatorStepBody: [(String, ManifestValue)] = [("name", .string(generatorStep)), ("template", .string(templateName + "-matrix"))]
                if !generatorArguments.isEmpty { generatorStepBody.append(("arguments", .map([("parameters", .list(generatorArguments))]))) }
                generatorSteps.append(.map(generatorStepBody))
                step.append(("withParam", .string("{{steps.\(generatorStep).outputs.result}}")))
            }
            if let condition = task.condition {
                for source in Self.sources(condition) where !stageInputs.contains(source) { stageInputs.append(source) }
                let build = self
                let looped = group != nil
                let translator = ArgoCondition(tag: { reference in
                    switch reference {
                    case .taskResult(let from, let name): "inputs.parameters.\(build.inputName(.result(stage: from, task: name)))"
                    case .taskOutput(let from, let name, let output):
                        "inputs.parameters.\(build.inputName(.output(stage: from, task: name, name: output)))"
                    // The looped step's `when` is decided per item.
                    case .matrix(let key) where looped: "item.\(key)"
                    default: nil
                    }
                }, inExitHandler: false)
                do {
                    step.append(("when", .string(try translator.when(condition))))
                } catch {
                    problems.append(.error(.exportUnsupported(feature: error.feature, engine: "an Argo `when`"), at: error.location ?? location))
                }
            }
            if task.continueOnError { step.append(("continueOn", .map([("failed", .bool(true))]))) }
            taskSteps.append(.map(step))
        }
        var body: [(String, ManifestValue)] = [("name", .string(stageTemplates[stage.name] ?? "stage"))]
        if !stageInputs.isEmpty {
            body.append(("inputs", .map([("parameters", .list(stageInputs.map { .map([("name", .string(inputName($0)))]) }))])))
        }
        if let cap = stage.maxParallel { body.append(("parallelism", .int(cap))) }
        // Argo's failFast stops starting children after a failure; running siblings finish (documented gap).
        body.append(("failFast", .bool(stage.failFast)))
        // A dynamic matrix's instances are listed by a step of their own, first.
        body.append(("steps", .list((generatorSteps.isEmpty ? [] : [.list(generatorSteps)]) + [.list(taskSteps)])))
        let order = Dictionary(stage.tasks.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let rank = { (source: Source) in order[source.task] ?? stage.tasks.firstIndex { $0.matrixTask == source.task } ?? 0 }
        let outputs = (exported[stage.name] ?? []).enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        if !outputs.isEmpty {
            body.append(("outputs", .map([("parameters", .list(outputs.map { source in
                var valueFrom: [(String, ManifestValue)] = [("parameter", .string("{{\(ownTag(source))}}"))]
                // A looped step with no items has no aggregate: its results are none.
                if case .results = source { valueFrom.append(("default", .string("[]"))) }
                var parameter: [(String, ManifestValue)] = [("name", .string(outputName(source))), ("valueFrom", .map(valueFrom))]
                if global.contains(source) { parameter.append(("globalName", .string(inputName(source)))) }
                return .map(parameter)
            }))])))
        }
        return (body, taskTemplates, stageInputs)
    }
}
