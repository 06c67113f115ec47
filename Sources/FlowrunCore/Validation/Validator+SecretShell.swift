/// Issue 16.4: a secret templated into `run` under a shell that cannot read
/// its script from a descriptor (`ScriptFileForm`) would sit on that shell's
/// command line, so loading says so at the reference.
extension Validator.Pass {
    mutating func warnSecretsOnCommandLines(_ stages: [Workflow.Stage], secrets: [String]) {
        guard !secrets.isEmpty else { return }
        let secret = Set(secrets)
        for stage in stages {
            for task in stage.tasks where !ScriptFileForm.accepts(task.shell) {
                for template in Self.runTemplates(of: task.action) {
                    for case .reference(let reference, let location) in template.parts {
                        switch reference {
                        case .variable(let name) where secret.contains(name), .environment(let name) where secret.contains(name):
                            diagnostics.append(.warning(.secretOnCommandLine(name, shell: task.shell), at: location))
                        default:
                            break
                        }
                    }
                }
            }
        }
    }

    private static func runTemplates(of action: Workflow.Task.Action) -> [Template] {
        switch action {
        case .run(let template): [template]
        case .sleep: []
        case .steps(let steps): steps.compactMap { if case .run(let template) = $0.action { template } else { nil } }
        }
    }
}
