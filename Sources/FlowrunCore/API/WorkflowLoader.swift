/// The syntax a workflow file is written in.
public enum InputFormat: String, Sendable, CaseIterable {
    case yaml
    case json

    /// The format a path's extension implies: `.json` is JSON, anything else YAML.
    public static func implied(by path: String) -> InputFormat {
        path.lowercased().hasSuffix(".json") ? .json : .yaml
    }
}

/// Reads, parses and validates a workflow file: the front half of the pipeline.
public struct WorkflowLoader: Sendable {
    /// What loading produced: the source (for rendering snippets), the
    /// workflow when valid, and every diagnostic in file order.
    public struct Outcome: Sendable {
        public var source: SourceText?
        /// Other files read for it (dotenv files), for rendering their snippets.
        public var included: [SourceText] = []
        public var workflow: Workflow?
        public var diagnostics: [Diagnostic]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    public var limits: ReaderLimits
    /// The names in flowrun's own environment, to warn of `env.NAME` that
    /// nothing sets (as `plan` and `run` would); nil skips that check.
    public var environment: Set<String>?

    public init(limits: ReaderLimits = ReaderLimits(), environment: Set<String>? = nil) {
        self.limits = limits
        self.environment = environment
    }

    /// Loads `path` (`-` for standard input) in `format`, or the format its extension implies.
    public func load(path: String, format: InputFormat? = nil) -> Outcome {
        switch SourceReader(limits: limits).read(path: path) {
        case .failure(let diagnostic):
            return Outcome(source: nil, workflow: nil, diagnostics: [diagnostic])
        case .success(let source):
            // SourceReader has checked the encoding already.
            return parse(source, format: format ?? InputFormat.implied(by: path))
        }
    }

    /// Parses and validates text already read.
    public func load(_ source: SourceText, format: InputFormat) -> Outcome {
        if let problem = SourceReader.encodingProblem(source) {
            return Outcome(source: source, workflow: nil, diagnostics: [problem])
        }
        return parse(source, format: format)
    }

    /// Parses and validates text whose encoding is known to be valid UTF-8.
    private func parse(_ source: SourceText, format: InputFormat) -> Outcome {
        // libyaml's locations count NEL, U+2028 and U+2029 as line breaks; so must the snippets.
        let source = format == .yaml ? source.counting(.yaml) : source
        let (root, readDiagnostics) = switch format {
        case .yaml: YAMLReader(limits: limits).read(source)
        case .json: JSONReader(limits: limits).read(source)
        }
        guard let root else {
            return Outcome(source: source, workflow: nil, diagnostics: sorted(readDiagnostics))
        }
        let directory = Self.directory(of: source.path)
        var (workflow, diagnostics) = Validator(environment: environment).validate(
            root, directory: directory, defaultName: Self.defaultName(of: source.path), source: source)
        var included: [SourceText] = []
        if var loaded = workflow, !loaded.dotenvFiles.isEmpty {
            let dotenv = readDotenv(loaded.dotenvFiles, directory: directory)
            loaded.dotenv = dotenv.values
            included = dotenv.sources
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
        let all = sorted(readDiagnostics + diagnostics + expansionDiagnostics)
        let hasErrors = all.contains { $0.severity == .error }
        return Outcome(source: source, included: included, workflow: hasErrors ? nil : expanded, diagnostics: all)
    }

    /// Reads the dotenv files in order, a later file's value winning.
    private func readDotenv(
        _ files: [Workflow.DotenvFile], directory: String
    ) -> (values: [String: String], sources: [SourceText], diagnostics: [Diagnostic]) {
        var values: [String: String] = [:]
        var sources: [SourceText] = []
        var diagnostics: [Diagnostic] = []
        for file in files {
            let path = file.path.hasPrefix("/") || directory == "." ? file.path : directory + "/" + file.path
            switch SourceReader(limits: limits).read(path: path) {
            case .failure(let problem):
                if case .fileNotFound = problem.message {
                    if file.required { diagnostics.append(.error(.dotenvFileMissing(file.path), at: file.location)) }
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
