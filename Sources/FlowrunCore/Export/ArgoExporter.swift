/// Writes a plan as an Argo Workflows manifest (`flowrun export argo`).
///
/// Argo's `steps` is flowrun's model: the main template runs one step per
/// stage, in order; each stage is a steps template whose one parallel group
/// holds its tasks (so a stage keeps its own `parallelism` and `failFast`);
/// each `run` task is a `script` template and each `sleep` a `suspend`.
/// A result flows as a parameter: `{{steps.T.outputs.result}}` inside its
/// stage, an output parameter of the stage, an input of a later stage, and an
/// environment variable of the task that uses it (so it stays one shell word,
/// as flowrun quotes it). Secret values never appear: a secret becomes a
/// `secretKeyRef` into the Kubernetes Secret `NAME-secrets`.
///
/// `if` becomes `when` (`ArgoCondition`); the stages from the first
/// `always()`/`failure()` one on form the `onExit` handler; a static
/// matrix is one `withItems` step, a dynamic one a `withParam` step over
/// a generator's JSON list; `steps` and `outputs` are done by the script
/// (`ArgoBuild+Script`). The plan must be made with
/// `Planner.Options.leavesMatrixHoles`, so that a matrix's template is
/// written once; without it every instance is a step of its own.
public struct ArgoExporter: Sendable {
    /// The container image of every script template.
    public var image: String

    public init(image: String = "alpine:3.20") {
        self.image = image
    }

    /// The manifest for `plan`, or why it cannot be written (located at the task).
    /// - Parameter workflow: the checked workflow the plan came from, for locations and secret names.
    public func export(_ plan: Plan, workflow: Workflow) -> Result<String, ExportFailure> {
        var build = ArgoBuild(plan: plan, workflow: workflow, image: image)
        let manifest = build.manifest()
        if !build.problems.isEmpty { return .failure(ExportFailure(diagnostics: build.problems)) }
        let text = manifest.yaml
        // The invariant, checked rather than trusted: no secret value is in the text.
        for value in plan.secretValues where value.count >= 3 && text.contains(value) {
            return .failure(ExportFailure(diagnostics: [.error(.exportUnsupported(feature: "a secret value outside env and vars", engine: "Argo"), at: nil)]))
        }
        return .success(text)
    }
}

/// Why a workflow cannot be exported: located diagnostics.
public struct ExportFailure: Error, Sendable {
    public var diagnostics: [Diagnostic]
}
