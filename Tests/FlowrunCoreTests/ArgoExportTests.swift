import Foundation
@testable import FlowrunCore
import Testing

/// `flowrun export argo` (issue 13): a golden manifest for every file in
/// `workflows/`, each valid against Argo's published schema (vendored in
/// Fixtures/argo with its notice) and using only keys that schema defines.
@Suite struct ArgoExportTests {
    static let folder = Checkout.root.appendingPathComponent("Tests/FlowrunCoreTests/Fixtures/argo")

    static func export(_ file: URL) throws -> Result<String, ExportFailure> {
        let outcome = WorkflowLoader().load(path: file.path)
        let workflow = try #require(outcome.workflow, "\(outcome.diagnostics)")
        var options = Planner.Options(currentDirectory: Checkout.root.path)
        options.leavesMatrixHoles = true
        let (plan, _) = try Planner().plan(workflow, sourcePath: file.lastPathComponent, options: options).get()
        return ArgoExporter().export(plan, workflow: workflow)
    }

    static func golden(_ file: URL) -> URL {
        folder.appendingPathComponent(file.deletingPathExtension().lastPathComponent + "." + file.pathExtension + ".argo.yaml")
    }

    /// A workflow Argo cannot hold yet has a golden of its errors (`.argo.errors`), one per line.
    @Test(arguments: Checkout.workflowFiles)
    func everyExampleMatchesItsGolden(_ file: URL) throws {
        let output: String
        let golden: URL
        switch try Self.export(file) {
        case .success(let manifest):
            output = manifest
            golden = Self.golden(file)
        case .failure(let failure):
            output = failure.diagnostics.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-"): \($0.message.text)\n" }.joined()
            golden = Self.golden(file).deletingPathExtension().appendingPathExtension("errors")
        }
        guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
            try output.write(to: golden.appendingPathExtension("actual"), atomically: true, encoding: .utf8)
            Issue.record("missing golden \(golden.lastPathComponent); the output is in .actual")
            return
        }
        #expect(output == expected, "\(golden.lastPathComponent) differs")
    }

    @Test func everyGoldenIsValidAgainstArgosSchemaAndUsesOnlyItsKeys() throws {
        let goldens = Checkout.workflowFiles.map(Self.golden).filter { FileManager.default.fileExists(atPath: $0.path) }
        #expect(goldens.count >= 5)
        guard let python = ExternalTool.all(named: "python3").first(where: {
            (try? $0.run(["-c", "import jsonschema, yaml"]))?.status == 0
        }) else {
            Issue.record("python3 with jsonschema and PyYAML is needed (.ci/run installs jsonschema when missing)")
            return
        }
        let output = try python.run(
            [Self.folder.appendingPathComponent("check.py").path, Self.folder.appendingPathComponent("workflow-schema.json").path]
                + goldens.map(\.path))
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
    }

    @Test func theCheckerFindsAnUnknownKeyAndASchemaViolation() throws {
        guard let python = ExternalTool.all(named: "python3").first(where: {
            (try? $0.run(["-c", "import jsonschema, yaml"]))?.status == 0
        }) else { return }
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("argo-bad-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: bad) }
        try """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {generateName: x-}
            spec:
              entrypoint: main
              templates:
                - name: main
                  activeDeadlineSecond: 3
                  script: {source: "true"}
            """.write(to: bad, atomically: true, encoding: .utf8)
        let output = try python.run(
            [Self.folder.appendingPathComponent("check.py").path, Self.folder.appendingPathComponent("workflow-schema.json").path, bad.path])
        #expect(output.status == 1)
        #expect(output.stdout.contains("activeDeadlineSecond: key not defined by the schema"), "\(output.stdout)")
        #expect(output.stdout.contains("'image' is a required property"), "\(output.stdout)")
    }

    @Test func secretsAreReferencesNeverValues() throws {
        let manifest = try Self.export(Checkout.root.appendingPathComponent("workflows/release.yaml")).get()
        let workflow = try #require(WorkflowLoader().load(path: Checkout.root.appendingPathComponent("workflows/release.yaml").path).workflow)
        for variable in workflow.variables where workflow.secrets.contains(variable.name) {
            #expect(!manifest.contains(variable.value))
        }
        #expect(manifest.contains("secretKeyRef"))
    }

    @Test func aListShellArgoCannotRunIsALocatedError() throws {
        let outcome = WorkflowLoader().load(SourceText(path: "-", bytes: Array("""
            stages:
              - name: s
                tasks:
                  - {name: t, shell: [python3], run: "print(1)"}
            """.utf8)), format: .yaml)
        let workflow = try #require(outcome.workflow)
        let (plan, _) = try Planner().plan(workflow, sourcePath: "-", options: .init()).get()
        guard case .failure(let failure) = ArgoExporter().export(plan, workflow: workflow) else {
            Issue.record("exported a shell Argo scripts cannot run")
            return
        }
        #expect(failure.diagnostics.first?.location?.line == 4)
        #expect(failure.diagnostics.first?.message == .exportUnsupported(feature: "a list shell whose last element is not -c", engine: "Argo scripts"))
    }
}
