/// One load's walk over the files a workflow includes: each is read through
/// the load's `WorkflowSources` (its bytes counted at every inclusion),
/// checked by `WorkflowLoader.check`, and its problems located in it with an
/// `included from here` note for every include that led there, innermost first.
///
/// Cycles and nesting deeper than `WorkflowLoader.maxIncludeDepth` are
/// errors at the `include:` that would close or deepen them. A file included
/// again is checked once; the later inclusions reuse its tree and count its bytes.
struct IncludeReading {
    /// A file on the way from the loaded file to the one being read.
    struct Inclusion {
        /// Its resolved path: two names of one file are one file.
        var canonical: String
        /// Its file name, for the cycle message.
        var name: String
        /// The `include:` value that named it; nil for the file loaded.
        var site: SourceLocation?
    }

    let loader: WorkflowLoader
    var files: WorkflowSources
    /// Every file read besides the one loaded, as its snippets are shown.
    var sources: [SourceText] = []
    var diagnostics: [Diagnostic] = []
    /// The files checked so far, by resolved path: their tree (nil when
    /// invalid) and the bytes an inclusion of them and their includes costs.
    private var checked: [String: (tree: IncludeTree?, bytes: Int)] = [:]

    init(loader: WorkflowLoader, files: WorkflowSources) {
        self.loader = loader
        self.files = files
    }

    /// Checks the loaded file and what it includes. Returns the text as its
    /// locations count lines, and the tree when the file itself is valid.
    mutating func file(
        _ source: SourceText, format: InputFormat, canonical: String, environment: Set<String>?
    ) -> (SourceText, IncludeTree?) {
        let name = source.path.split(separator: "/").last.map(String.init) ?? source.path
        return file(source, format: format, path: [Inclusion(canonical: canonical, name: name, site: nil)],
                    environment: environment)
    }

    private mutating func file(
        _ source: SourceText, format: InputFormat, path: [Inclusion], environment: Set<String>?
    ) -> (SourceText, IncludeTree?) {
        // libyaml's locations count NEL, U+2028 and U+2029 as line breaks; so must the snippets.
        let source = format == .yaml ? source.counting(.yaml) : source
        let notes = path.reversed().compactMap(\.site).map { Diagnostic.Note(location: $0, message: .includedFromHere) }
        func note(_ found: [Diagnostic]) -> [Diagnostic] { found.map { var d = $0; d.notes += notes; return d } }
        let (parsed, readProblems) = loader.parse(source, format: format)
        diagnostics += note(readProblems)
        // Handed on, not kept: the validator lets the tree go stage by stage.
        guard let root = consume parsed else { return (source, nil) }
        // The included files first: the file's references to their stages are checked with it.
        let includes = Validator.includeEntries(root)
        let directory = WorkflowLoader.directory(of: source.path)
        let childProblems = diagnostics.count
        let children = includes.map { child($0, directory: directory, path: path, notes: notes, environment: environment) }
        var includedStages: [Validator.IncludedStage] = []
        for (include, tree) in zip(includes, children) {
            if let tree { includedStages += IncludeExpander().stages(of: tree, by: include) }
        }
        let (workflow, found) = loader.check(
            consume root, source: source, includedStages: includedStages, environment: environment, files: &files, sources: &sources)
        if let workflow, !workflow.environment.isEmpty || !workflow.dotenv.isEmpty {
            // What this file's env and dotenv set is set for the files it includes.
            diagnostics[childProblems...].removeAll {
                guard case .environmentVariableUnset(let name) = $0.message else { return false }
                return workflow.dotenv[name] != nil || workflow.environment.contains { $0.name == name }
            }
        }
        diagnostics += note(found)
        guard var workflow else { return (source, nil) }
        workflow.includes = includes
        return (source, IncludeTree(workflow: workflow, file: source.path, children: children))
    }

    /// The tree of one `include:` entry; nil (and a located error) when it cannot be had.
    private mutating func child(
        _ include: Workflow.Include, directory: String, path: [Inclusion], notes: [Diagnostic.Note],
        environment: Set<String>?
    ) -> IncludeTree? {
        func fail(_ message: DiagnosticMessage) -> IncludeTree? {
            diagnostics.append(.error(message, at: include.fileLocation, notes: notes))
            return nil
        }
        let target = WorkflowSources.resolve(include.file, from: directory)
        let canonical = WorkflowSources.canonical(target) ?? target
        let name = include.file.split(separator: "/").last.map(String.init) ?? include.file
        if let start = path.firstIndex(where: { $0.canonical == canonical }) {
            return fail(.includeCycle(path[start...].map(\.name) + [name]))
        }
        if path.count > WorkflowLoader.maxIncludeDepth { return fail(.includeTooDeep(limit: WorkflowLoader.maxIncludeDepth)) }
        if let known = checked[canonical] {
            return files.charge(known.bytes) ? known.tree : fail(.includesTooLarge(limit: files.limits.maxFileBytes))
        }
        let before = files.remaining
        switch files.read(path: target) {
        case .failure(let problem):
            switch problem.message {
            case .fileNotFound: return fail(.includeFileMissing(include.file))
            case .fileTooLarge where files.overBudget: return fail(.includesTooLarge(limit: files.limits.maxFileBytes))
            case .fileUnreadable(let reason): return fail(.includeFileUnreadable(include.file, reason: reason))
            case .isDirectory, .notRegularFile: return fail(.includeFileUnreadable(include.file, reason: problem.message.text))
            default:
                // An encoding problem: located in the file, where it was included noted.
                guard problem.location != nil else { return fail(problem.message) }
                let site = Diagnostic.Note(location: include.fileLocation, message: .includedFromHere)
                diagnostics.append(Diagnostic(problem.severity, problem.message, at: problem.location, notes: [site] + notes))
                return nil
            }
        case .success(let text):
            let inclusion = Inclusion(canonical: canonical, name: name, site: include.fileLocation)
            let (counted, tree) = file(text, format: InputFormat.implied(by: target), path: path + [inclusion], environment: environment)
            sources.append(counted)
            checked[canonical] = (tree, before - files.remaining)
            return tree
        }
    }
}
