/// The syntax a workflow file is written in.
public enum InputFormat: String, Sendable, CaseIterable {
    case yaml
    case json

    /// The format a path's extension implies: `.json` is JSON, anything else YAML.
    public static func implied(by path: String) -> InputFormat {
        path.lowercased().hasSuffix(".json") ? .json : .yaml
    }
}

/// Reads, parses, validates and expands a workflow file and the files it
/// includes: the front half of the pipeline.
public struct WorkflowLoader: Sendable {
    /// What loading produced, the one shape every command reads: the source
    /// (for rendering snippets), the workflow when it may be used, and every
    /// diagnostic in file order.
    public struct Outcome: Sendable {
        public var source: SourceText?
        /// Other files read for it (included files, dotenv files), for rendering their snippets.
        public var included: [SourceText] = []
        /// The expanded workflow; nil when there are errors (with `strict`, any diagnostic).
        public var workflow: Workflow?
        public var diagnostics: [Diagnostic]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// The deepest nesting of includes: the file loaded includes files of depth 1.
    public static let maxIncludeDepth = 16

    public var limits: ReaderLimits
    /// The names in flowrun's own environment, to warn of `env.NAME` that
    /// nothing sets (as `plan` and `run` would); nil skips that check.
    public var environment: Set<String>?
    /// Warnings count as errors (`validate --strict`): they are reported as errors and give no workflow.
    public var strict: Bool

    public init(limits: ReaderLimits = ReaderLimits(), environment: Set<String>? = nil, strict: Bool = false) {
        self.limits = limits
        self.environment = environment
        self.strict = strict
    }

    /// Loads `path` (`-` for standard input) in `format`, or the format its extension implies.
    public func load(path: String, format: InputFormat? = nil) -> Outcome {
        var files = WorkflowSources(limits: limits)
        switch files.read(path: path) {
        case .failure(let diagnostic):
            return finish(Outcome(source: nil, workflow: nil, diagnostics: [diagnostic]))
        case .success(let source):
            // WorkflowSources has checked the encoding already.
            return load(source, format: format ?? InputFormat.implied(by: path), files: files)
        }
    }

    /// Parses and validates text already read; files it includes are read relative to its path.
    public func load(_ source: SourceText, format: InputFormat) -> Outcome {
        if let problem = SourceReader.encodingProblem(source) {
            return finish(Outcome(source: source, workflow: nil, diagnostics: [problem]))
        }
        var files = WorkflowSources(limits: limits)
        _ = files.charge(source.bytes.count)
        return load(source, format: format, files: files)
    }

    /// Loads text whose encoding is known to be valid UTF-8, then the files it includes.
    private func load(_ source: SourceText, format: InputFormat, files: WorkflowSources) -> Outcome {
        var reading = IncludeReading(loader: self, files: files)
        let (source, tree) = reading.file(
            source, format: format, canonical: WorkflowSources.canonical(source.path) ?? source.path, environment: environment)
        var diagnostics = reading.diagnostics
        var workflow: Workflow?
        if let tree, !diagnostics.contains(where: { $0.severity == .error }) {
            let (expanded, problems) = IncludeExpander().expand(tree)
            workflow = expanded
            diagnostics += problems
        }
        return finish(Outcome(source: source, included: reading.sources, workflow: workflow, diagnostics: diagnostics))
    }

    /// Applies `strict` and puts the diagnostics in file order; no workflow when there is an error.
    private func finish(_ outcome: Outcome) -> Outcome {
        var outcome = outcome
        if strict { outcome.diagnostics = outcome.diagnostics.map { var d = $0; d.severity = .error; return d } }
        outcome.diagnostics = sorted(outcome.diagnostics)
        if outcome.hasErrors { outcome.workflow = nil }
        return outcome
    }

    /// Parses one file's text into located nodes.
    func parse(_ source: SourceText, format: InputFormat) -> (Node?, [Diagnostic]) {
        switch format {
        case .yaml: YAMLReader(limits: limits).read(source)
        case .json: JSONReader(limits: limits).read(source)
        }
    }

    /// Validates and matrix-expands one file's nodes, reading its dotenv files;
    /// `includedStages` are the stages its include entries bring.
    func check(
        _ root: consuming Node, source: SourceText, includedStages: [Validator.IncludedStage], environment: Set<String>?,
        files: inout WorkflowSources, sources: inout [SourceText]
    ) -> (workflow: Workflow?, diagnostics: [Diagnostic]) {
        let directory = Self.directory(of: source.path)
        var (workflow, diagnostics) = Validator(environment: environment, includedStages: includedStages).validate(
            consume root, directory: directory, defaultName: Self.defaultName(of: source.path), source: source)
        if var loaded = workflow, !loaded.dotenvFiles.isEmpty {
            let dotenv = readDotenv(loaded.dotenvFiles, directory: directory, files: &files)
            loaded.dotenv = dotenv.values
            sources += dotenv.sources
            // A name a dotenv file sets is set: the validator could not know it.
            diagnostics.removeAll {
                if case .environmentVariableUnset(let name) = $0.message { return dotenv.values[name] != nil }
                return false
            }
            diagnostics += dotenv.diagnostics
            workflow = loaded
        }
        var expanded = workflow
        var expansionDiagnostics: [Diagnostic] = []
        if let valid = workflow, !diagnostics.contains(where: { $0.severity == .error }) {
            (expanded, expansionDiagnostics) = MatrixExpander().expand(valid)
        }
        let all = diagnostics + expansionDiagnostics
        return (all.contains { $0.severity == .error } ? nil : expanded, all)
    }

    /// Reads the dotenv files in order, a later file's value winning.
    private func readDotenv(
        _ dotenvFiles: [Workflow.DotenvFile], directory: String, files: inout WorkflowSources
    ) -> (values: [String: String], sources: [SourceText], diagnostics: [Diagnostic]) {
        var values: [String: String] = [:]
        var sources: [SourceText] = []
        var diagnostics: [Diagnostic] = []
        for file in dotenvFiles {
            switch files.read(path: WorkflowSources.resolve(file.path, from: directory)) {
            case .failure(let problem):
                if case .fileNotFound = problem.message {
                    if file.required { diagnostics.append(.error(.dotenvFileMissing(file.path), at: file.location)) }
                } else if case .fileTooLarge = problem.message, files.overBudget {
                    diagnostics.append(.error(.includesTooLarge(limit: limits.maxFileBytes), at: file.location))
                } else {
                    // Located at the `dotenv` entry that names the file, and at the spot in it if there is one.
                    diagnostics.append(Diagnostic(problem.severity, problem.message, at: problem.location ?? file.location))
                }
            case .success(let text):
                sources.append(text)
                let (entries, problems) = DotenvReader().read(text)
                diagnostics += problems
                for entry in entries { values[entry.name] = entry.value }
            }
        }
        return (values, sources, diagnostics)
    }

    private func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        // Stable: equal locations keep the order they were found in.
        // A diagnostic without a location (the file could not be read) comes first.
        diagnostics.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case let (la?, lb?): la != lb ? la < lb : a.offset < b.offset
            case (nil, .some): true
            case (.some, nil): false
            case (nil, nil): a.offset < b.offset
            }
        }.map(\.element)
    }

    /// The folder of a workflow file; `.` for standard input or a bare file name.
    static func directory(of path: String) -> String {
        guard path != "<stdin>", let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// The file name without folder and extension; `stdin` for standard input.
    static func defaultName(of path: String) -> String {
        guard path != "<stdin>" else { return "stdin" }
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return name
    }
}
