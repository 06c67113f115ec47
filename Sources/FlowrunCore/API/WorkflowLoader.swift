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
        let (workflow, diagnostics) = Validator(environment: environment).validate(
            root, directory: Self.directory(of: source.path), defaultName: Self.defaultName(of: source.path),
            source: source)
        let all = sorted(readDiagnostics + diagnostics)
        let hasErrors = all.contains { $0.severity == .error }
        return Outcome(source: source, workflow: hasErrors ? nil : workflow, diagnostics: all)
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
