// libFuzzer entry point over flowrun's front half: reader (YAML or JSON),
// validator, planner, the diagnostic renderer and the plan renderer. Built by
// `fuzz/run.sh` together with the FlowrunCore sources it needs, as one module.
//
// The first input byte picks the syntax (odd, e.g. `Y`: YAML; even, e.g. `J`:
// JSON) so one corpus covers both readers; the rest is the file.
//
// Beyond "no crash, no leak, no timeout", each input must satisfy:
// - every diagnostic in the file points inside it (line, and column within its line);
// - a workflow comes back only without errors, and planning it succeeds;
// - rendered diagnostics and plans (text, DOT, Mermaid, JSON) hold no raw
//   control or bidi character, whatever the file contained;
// - loading is deterministic (a second load gives the same diagnostics).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let format: InputFormat = data[0] & 1 == 1 ? .yaml : .json
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let path = format == .yaml ? "fuzz/input.yaml" : "fuzz/input.json"
    // The loader counts U+2028, U+2029 and NEL as YAML line breaks; so must the checks.
    let source = SourceText(path: path, bytes: bytes).counting(format == .yaml ? .yaml : .standard)
    var limits = ReaderLimits()
    limits.maxFileBytes = 1 << 20
    let loader = WorkflowLoader(limits: limits)
    let outcome = loader.load(source, format: format)

    let lineCount = source.location(ofByte: source.bytes.count).line
    let renderer = DiagnosticRenderer(colored: false)
    for diagnostic in outcome.diagnostics {
        // A diagnostic in a file the input includes (if one exists beside it) points into that file.
        if let location = diagnostic.location, location.file == source.path {
            check(location.line >= 1 && location.line <= max(lineCount, 1) + 1,
                         "\(diagnostic.message.code): line \(location.line) of \(lineCount)")
            let width = source.line(location.line).map { $0.unicodeScalars.count } ?? 0
            check(location.column >= 1 && location.column <= width + 2,
                         "\(diagnostic.message.code): column \(location.column) of a \(width)-character line")
        }
        checkDisplayable(renderer.text(diagnostic, path: path, source: source), "diagnostic \(diagnostic.message.code)")
        checkDisplayable(renderer.github(diagnostic, path: path), "github annotation")
    }
    checkDisplayable(renderer.json([(path, outcome.diagnostics)]), "diagnostics JSON")
    check(outcome.workflow == nil || !outcome.hasErrors, "a workflow came back together with errors")

    let again = loader.load(source, format: format)
    check(again.diagnostics.map(\.message.text) == outcome.diagnostics.map(\.message.text),
                 "loading the same input twice gave different diagnostics")

    if let workflow = outcome.workflow {
        let options = Planner.Options(
            variables: [], jobs: nil, killGrace: .seconds(5),
            environment: ["HOME": "/home/fuzz", "DEPLOY_TOKEN": "s3cr3t"], currentDirectory: "/work")
        guard case .success(let (plan, _)) = Planner().plan(workflow, sourcePath: path, options: options) else {
            check(false, "planning a valid workflow without --var failed")
            return 0
        }
        for planFormat in PlanRenderer.Format.allCases {
            checkDisplayable(PlanRenderer().render(plan, as: planFormat), "plan as \(planFormat)")
        }
    }
    return 0
}

/// `precondition` that keeps its message in an optimized build, for the crash report.
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard !condition else { return }
    let text = "flowrun-fuzz: invariant broken: \(message())\n"
    _ = text.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
    abort()
}

/// Text flowrun prints must not carry raw control characters (other than
/// newline and tab) or bidi overrides: they would drive or reorder the terminal.
private func checkDisplayable(_ text: String, _ what: String) {
    for scalar in text.unicodeScalars {
        let value = scalar.value
        let control = (value < 0x20 && value != 0x0A && value != 0x09) || (0x7F..<0xA0).contains(value)
        let bidi = value == 0x200E || value == 0x200F || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
        check(!control && !bidi, "\(what) shows raw U+\(String(value, radix: 16, uppercase: true))")
    }
}
