extension PlannedTask {
    /// What the task would do, its run-time templates filled by `render`: its
    /// fingerprint's input, without source files (`StateTaskCache` adds them).
    public func fingerprintInput(render: (PlannedText) -> String) -> FingerprintInput {
        var words: [String]
        var shell: [String] = []
        switch action {
        case .run(let command, let taskShell):
            words = ["run", render(command)]
            shell = taskShell
        case .sleep(let duration):
            words = ["sleep", DurationFormat.written(duration)]
        case .steps(let steps):
            // Every step's command, environment and directory: changing any of them reruns the task.
            words = ["steps"]
            for step in steps {
                words += ["step", step.name]
                switch step.action {
                case .run(let command, let stepShell): words += ["run", render(command)] + stepShell
                case .sleep(let duration): words += ["sleep", DurationFormat.written(duration)]
                case .steps: break
                }
                for variable in step.environment { words += ["env", variable.name, render(variable.value)] }
                words += ["working-directory", render(step.workingDirectory)]
            }
        }
        // The result template decides the value that flows on, so it is part of what the task does.
        if let result { words += ["result", render(result)] }
        return FingerprintInput(
            action: words, shell: shell, environment: environment.map { ($0.name, render($0.value)) },
            workingDirectory: render(workingDirectory))
    }
}
