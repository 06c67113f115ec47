import Foundation
import Testing
import FlowrunCore

/// Checks `WorkflowSchema.json` with an independent validator: Python's
/// `jsonschema` (Draft 2020-12), over every file in `workflows/` and a table
/// of documents that must be accepted or rejected.
///
/// Python is started once for the whole suite (see `report`); each test reads
/// its part of that one report.
@Suite struct SchemaTests {
    /// An inline workflow document and what the schema must say about it.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var fileExtension: String
        var text: String
        /// For a document the schema must reject: the JSON pointer and keyword
        /// of one expected error, e.g. `/stages/0/tasks/0/retries: maximum`.
        var expected: String?

        var testDescription: String { name }

        static func valid(_ name: String, _ text: String, json: Bool = false) -> Case {
            Case(name: name, fileExtension: json ? "json" : "yaml", text: text, expected: nil)
        }

        static func invalid(_ name: String, _ expected: String, _ text: String, json: Bool = false) -> Case {
            Case(name: name, fileExtension: json ? "json" : "yaml", text: text, expected: expected)
        }
    }

    static let accepted: [Case] = [
        .valid("minimal", "stages: [[echo hi]]\n"),
        .valid("minimal-json", #"{"stages": [["echo hi"]]}"#, json: true),
        .valid("long-forms", """
            version: 1
            name: everything
            description: every key once
            vars: {target: release, count: "3"}
            env: {CI: "true", TOKEN: "${{ env.DEPLOY_TOKEN }}"}
            secrets: [TOKEN]
            defaults: {shell: bash, timeout: 10m, retries: 0, working-directory: .}
            max-parallel: 8
            stages:
              - name: build
                description: Compile
                max-parallel: 2
                fail-fast: true
                env: {}
                tasks:
                  - name: compile
                    run: make ${{ vars.target }}
                    env: {}
                    working-directory: src
                    timeout: 5m
                    retries: 2
                    retry-delay: 1s
                    continue-on-error: false
                    result: ${{ stdout }}
                  - name: wait
                    sleep: 3.5
                    result: task (wait) result
            """),
        .valid("sources-and-generates", """
            stages:
              - - {name: build, run: make, sources: ["src/**/*.c", Makefile], generates: [app]}
                - {name: one, run: make, sources: "*.c"}
            """),
        .valid("shorthand-stage-with-mixed-tasks", """
            stages:
              - - echo one
                - {sleep: 1}
                - {name: three, run: echo three}
            """),
        .valid("durations", """
            stages:
              - - {sleep: 3}
                - {sleep: 3.5}
                - {sleep: 250ms}
                - {sleep: 1m30s}
                - {sleep: 2h}
                - {run: "true", timeout: 1h30m, retries: 100, retry-delay: 0}
                - {run: "true", retry-delay: 0s}
            """),
        .valid("conditions", """
            stages:
              - name: build
                if: ${{ host.os == 'linux' }}
                tasks: [{name: a, if: "vars.x != 'y' && contains(host.arch, '64')", run: echo}]
              - name: cleanup
                if: always()
                tasks: [echo]
            vars: {x: z}
            """),
        .valid("shell-argv", "defaults: {shell: [bash, -eo, pipefail, -c]}\nstages: [[echo]]\n"),
        .valid("yaml-1.2-strings", """
            vars: {answer: yes, switch: on, country: NO}
            env: {FLAG: off}
            stages: [[echo]]
            """),
        .valid("name-characters", """
            stages:
              - name: Build_1.x-y
                tasks: [{name: "1", run: echo}, {name: a.b-c_D, run: echo}]
            """),
    ]

    static let acceptedIssue10: [Case] = [
        .valid("steps", """
            stages:
              - name: ci
                tasks:
                  - name: linux
                    retries: 1
                    steps:
                      - make
                      - {name: test, run: make test, timeout: 5m, env: {V: "1"}, working-directory: src, continue-on-error: true}
                      - {sleep: 1s}
                      - {name: report, if: failure(), run: ./report}
            """),
        .valid("matrix-static-and-dynamic", """
            stages:
              - name: find
                tasks: [{name: changed, run: git diff --name-only}]
              - name: test
                tasks:
                  - name: unit-${{ matrix.os }}-${{ matrix.python }}
                    matrix:
                      os: [linux, macos]
                      python: ["3.11", 3.12]
                      exclude: [{os: macos, python: "3.11"}]
                      include: [{os: linux, python: "3.13"}]
                    run: ./test --os ${{ matrix.os }}
                  - name: pkg
                    matrix: {package: "${{ stages.find.tasks.changed.result }}"}
                    run: make -C ${{ matrix.package }} test ${{ args }}
            """),
        .valid("outputs-interactive", """
            stages:
              - - {name: v, outputs: [tag, sha_1, long-name], run: echo}
                - {name: ask, interactive: true, run: read -r x}
            """),
        .valid("include", """
            stages:
              - [echo first]
              - include: ci/lint.yaml
              - {include: ci/lint.yaml, name: lint2, vars: {dir: src, level: 2}}
            """),
    ]

    static let rejected: [Case] = [
        .invalid("include-with-tasks", "/stages/0: oneOf", "stages: [{include: a.yaml, tasks: [echo]}]\n"),
        .invalid("include-not-a-string", "/stages/0: oneOf", "stages: [{include: [a.yaml]}]\n"),
        .invalid("include-bad-prefix", "/stages/0: oneOf", "stages: [{include: a.yaml, name: 'a b'}]\n"),
        .invalid("steps-and-run", "/stages/0/0: oneOf", "stages: [[{run: echo, steps: [echo]}]]\n"),
        .invalid("steps-empty", "/stages/0/0/steps: minItems", "stages: [[{steps: []}]]\n"),
        .invalid("step-if-list", "/stages/0/0/steps/0/if: type", "stages: [[{steps: [{run: make, if: [a]}]}]]\n"),
        .invalid("step-retries", "/stages/0/0/steps/0: oneOf", "stages: [[{steps: [{run: make, retries: 2}]}]]\n"),
        .invalid("matrix-axis-plain-string", "/stages/0/0/matrix/os: oneOf", "stages: [[{matrix: {os: linux}, run: echo}]]\n"),
        .invalid("matrix-axis-empty", "/stages/0/0/matrix/os: oneOf", "stages: [[{matrix: {os: []}, run: echo}]]\n"),
        .invalid("outputs-bad-name", "/stages/0/0/outputs/0: pattern", "stages: [[{outputs: [1st], run: echo}]]\n"),
        .invalid("interactive-yes", "/stages/0/0/interactive: type", "stages: [[{interactive: yes, run: echo}]]\n"),
        .invalid("condition-not-text", "/stages/0/if: type", "stages: [{name: s, if: [always], tasks: [echo]}]\n"),
        .invalid("unknown-top-level-key", "/: additionalProperties", "stagez: []\nstages: [[echo]]\n"),
        .invalid("unknown-stage-key", "/stages/0: additionalProperties", """
            stages:
              - {name: a, tasks: [echo], parallel: 2}
            """),
        .invalid("unknown-task-key", "/stages/0/tasks/0: additionalProperties", """
            stages:
              - name: a
                tasks:
                  - run: echo
                    retry: 2
            """),
        .invalid("unknown-defaults-key", "/defaults: additionalProperties", "defaults: {shel: bash}\nstages: [[echo]]\n"),
        .invalid("unknown-key-json", "/: additionalProperties", #"{"stages": [["echo"]], "verison": 1}"#, json: true),
        .invalid("two-actions", "/stages/0/0: oneOf", "stages: [[{run: echo, sleep: 1}]]\n"),
        .invalid("no-action", "/stages/0/0: required", "stages: [[{name: idle}]]\n"),
        .invalid("bad-stage-name", "/stages/0/name: pattern", "stages: [{name: build stage, tasks: [echo]}]\n"),
        .invalid("bad-task-name", "/stages/0/0/name: pattern", "stages: [[{name: a/b, run: echo}]]\n"),
        .invalid("empty-name", "/stages/0/name: pattern", #"stages: [{name: "", tasks: [echo]}]"#),
        .invalid("retries-101", "/stages/0/0/retries: maximum", "stages: [[{run: echo, retries: 101}]]\n"),
        .invalid("retries-negative", "/defaults/retries: minimum", "defaults: {retries: -1}\nstages: [[echo]]\n"),
        .invalid("retries-fraction", "/stages/0/0/retries: type", "stages: [[{run: echo, retries: 1.5}]]\n"),
        .invalid("version-2", "/version: const", "version: 2\nstages: [[echo]]\n"),
        .invalid("version-2-json", "/version: const", #"{"version": 2, "stages": [["echo"]]}"#, json: true),
        .invalid("version-string", "/version: const", "version: \"1\"\nstages: [[echo]]\n"),
        .invalid("max-parallel-zero", "/max-parallel: minimum", "max-parallel: 0\nstages: [[echo]]\n"),
        .invalid("stage-max-parallel-zero", "/stages/0/max-parallel: minimum",
                 "stages: [{name: a, max-parallel: 0, tasks: [echo]}]\n"),
        .invalid("timeout-zero", "/stages/0/0/timeout: oneOf", "stages: [[{run: echo, timeout: 0s}]]\n"),
        .invalid("timeout-number-zero", "/defaults/timeout: oneOf", "defaults: {timeout: 0}\nstages: [[echo]]\n"),
        .invalid("sleep-negative", "/stages/0/0/sleep: oneOf", "stages: [[{sleep: -1}]]\n"),
        .invalid("duration-without-unit", "/stages/0/0/sleep: oneOf", #"stages: [[{sleep: "10"}]]"#),
        .invalid("duration-unknown-unit", "/stages/0/0/sleep: oneOf", "stages: [[{sleep: 1d}]]\n"),
        .invalid("retry-delay-negative", "/stages/0/0/retry-delay: oneOf",
                 "stages: [[{run: echo, retry-delay: -1}]]\n"),
        .invalid("unknown-shell", "/defaults/shell: oneOf", "defaults: {shell: zsh}\nstages: [[echo]]\n"),
        .invalid("empty-shell-argv", "/defaults/shell: oneOf", "defaults: {shell: []}\nstages: [[echo]]\n"),
        .invalid("yes-is-not-a-boolean", "/stages/0/fail-fast: type",
                 "stages: [{name: a, fail-fast: yes, tasks: [echo]}]\n"),
        .invalid("empty-source-pattern", "/stages/0/0/sources: oneOf",
                 "stages: [[{run: echo, sources: [\"\"]}]]\n"),
        .invalid("on-is-not-a-boolean", "/stages/0/0/continue-on-error: type",
                 "stages: [[{run: echo, continue-on-error: on}]]\n"),
        .invalid("no-stages", "/: required", "name: empty\n"),
        .invalid("empty-stages", "/stages: minItems", "stages: []\n"),
        .invalid("empty-tasks", "/stages/0/tasks: minItems", "stages: [{name: a, tasks: []}]\n"),
        .invalid("empty-shorthand-stage", "/stages/0: minItems", "stages: [[]]\n"),
        .invalid("stage-without-name", "/stages/0: required", "stages: [{tasks: [echo]}]\n"),
        .invalid("stage-as-string", "/stages/0: oneOf", "stages: [echo]\n"),
        .invalid("task-as-number-json", "/stages/0/0: oneOf", #"{"stages": [[1]]}"#, json: true),
        .invalid("run-not-a-string", "/stages/0/0/run: type", "stages: [[{run: [echo, hi]}]]\n"),
        .invalid("secrets-not-a-list", "/secrets: type", "secrets: TOKEN\nstages: [[echo]]\n"),
        .invalid("env-value-mapping", "/env/A: type", "env: {A: {b: c}}\nstages: [[echo]]\n"),
    ]

    // MARK: - Tests

    @Test func schemaIsJSONForDraft202012() throws {
        let object = try JSONSerialization.jsonObject(with: Data(WorkflowSchema.json.utf8))
        let schema = try #require(object as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["additionalProperties"] as? Bool == false)
        #expect(WorkflowSchema.json.hasSuffix("}\n"))
    }

    @Test func schemaIsAValidDraft202012Schema() throws {
        let report = try Self.report.get()
        #expect(report.schema.isEmpty, "check_schema: \(report.schema)")
    }

    @Test func workflowsFolderHoldsTheSeedAndExamples() {
        let names = Checkout.workflowFiles.map(\.lastPathComponent)
        #expect(names.contains("seed.yaml"))
        #expect(names.contains("seed.json"))
        #expect(names.count >= 5, "seed.yaml, seed.json and 3-4 examples: \(names)")
    }

    @Test(arguments: Checkout.workflowFiles.map(\.lastPathComponent))
    func exampleWorkflowConforms(_ name: String) throws {
        let errors = try #require(try Self.report.get().files["workflows/\(name)"])
        #expect(errors.isEmpty, "workflows/\(name):\n\(errors.joined(separator: "\n"))")
    }

    @Test(arguments: accepted + acceptedIssue10)
    func acceptsValidDocument(_ document: Case) throws {
        let errors = try #require(try Self.report.get().files["case:\(document.name)"])
        #expect(errors.isEmpty, "\(document.name):\n\(errors.joined(separator: "\n"))")
    }

    @Test(arguments: rejected)
    func rejectsInvalidDocument(_ document: Case) throws {
        let errors = try #require(try Self.report.get().files["case:\(document.name)"])
        let expected = try #require(document.expected)
        #expect(!errors.contains { $0.hasPrefix("load:") }, "must load, then fail validation: \(errors)")
        #expect(
            errors.contains { $0.hasPrefix(expected + ":") },
            "expected an error \(expected); got:\n\(errors.joined(separator: "\n"))"
        )
    }

    // MARK: - One run of Python for the suite

    /// What the Python checker found: schema problems, and errors per file.
    struct Report: Sendable, Decodable {
        var schema: [String]
        /// Errors per document, keyed `workflows/NAME`, `case:NAME` or `doc:FILE#N`.
        var files: [String: [String]]
        /// Each document that loaded, as canonical JSON text (sorted keys), keyed like `files`.
        var documents: [String: String]
    }

    /// Why the checker could not run; the message says how to fix it.
    struct CheckerUnavailable: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    static let report: Result<Report, CheckerUnavailable> = runChecker()

    private static func runChecker() -> Result<Report, CheckerUnavailable> {
        do {
            let python = try findPython()
            let directory = try Checkout.makeTemporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }

            let schemaURL = directory.appendingPathComponent("workflow.schema.json")
            let scriptURL = directory.appendingPathComponent("check.py")
            let outURL = directory.appendingPathComponent("report.json")
            try WorkflowSchema.json.write(to: schemaURL, atomically: true, encoding: .utf8)
            try checkerScript.write(to: scriptURL, atomically: true, encoding: .utf8)

            var keys: [String: String] = [:]  // path given to Python -> report key
            for url in Checkout.workflowFiles {
                keys[url.path] = "workflows/\(url.lastPathComponent)"
            }
            for (index, example) in Checkout.documentedWorkflows.enumerated() {
                let url = directory.appendingPathComponent("documented-\(index).yaml")
                try example.text.write(to: url, atomically: true, encoding: .utf8)
                keys[url.path] = "doc:\(example.key)"
            }
            for document in accepted + acceptedIssue10 + rejected {
                let url = directory.appendingPathComponent("\(document.name).\(document.fileExtension)")
                try document.text.write(to: url, atomically: true, encoding: .utf8)
                keys[url.path] = "case:\(document.name)"
            }

            let output = try python.run([scriptURL.path, schemaURL.path, outURL.path] + keys.keys.sorted())
            guard output.status == 0 else {
                return .failure(CheckerUnavailable(
                    description: "\(python.url.path) check.py exited \(output.status):\n\(output.stderr)"))
            }
            let raw = try JSONDecoder().decode(Report.self, from: Data(contentsOf: outURL))
            func rekeyed<Value>(_ byPath: [String: Value]) -> [String: Value] {
                Dictionary(uniqueKeysWithValues: byPath.map { (keys[$0.key] ?? $0.key, $0.value) })
            }
            return .success(Report(
                schema: raw.schema, files: rekeyed(raw.files), documents: rekeyed(raw.documents)))
        } catch let error as CheckerUnavailable {
            return .failure(error)
        } catch {
            return .failure(CheckerUnavailable(description: "schema checker failed: \(error)"))
        }
    }

    /// The first `python3` on `PATH` (or `$FLOWRUN_PYTHON`) that can import `jsonschema` and `yaml`.
    private static func findPython() throws -> ExternalTool {
        var candidates = ExternalTool.all(named: "python3")
        if let override = ProcessInfo.processInfo.environment["FLOWRUN_PYTHON"], !override.isEmpty {
            candidates.insert(ExternalTool(url: URL(fileURLWithPath: override)), at: 0)
        }
        for candidate in candidates {
            let probe = try? candidate.run(["-c", "import jsonschema, yaml"])
            if probe?.status == 0 { return candidate }
        }
        let tried = candidates.map(\.url.path).joined(separator: ", ")
        throw CheckerUnavailable(description: """
            SchemaTests need python3 with the `jsonschema` and `PyYAML` packages \
            (python3 -m pip install jsonschema pyyaml), or FLOWRUN_PYTHON set to such \
            an interpreter. Tried: \(tried.isEmpty ? "no python3 on PATH" : tried).
            """)
    }

    /// The checker, in Python. Kept inline so the test has no file to go missing.
    private static let checkerScript = #"""
"""Validates workflow files against a JSON Schema.

usage: check.py SCHEMA OUT FILE...   writes to OUT
    {"schema": [...], "files": {FILE: [ERROR, ...]}, "documents": {FILE: JSON}}
where JSON is the loaded document as canonical JSON text (sorted keys).

YAML is read with PyYAML's SafeLoader *re-resolved to the YAML 1.2 core
schema*: only true/false (any case form the spec allows) are booleans, so
`on`, `yes`, `no`, `off` stay strings; `010` is the integer 10, not octal 8;
`1:30` and `2001-12-14` stay strings; `<<` is an ordinary key, not a merge.
Duplicate keys are errors, as in flowrun.
"""
import json, re, sys

import yaml
from jsonschema import Draft202012Validator

class Yaml12Loader(yaml.SafeLoader):
    def flatten_mapping(self, node):
        pass  # no `<<` merge keys: `<<` is an ordinary key

Yaml12Loader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
]:
    Yaml12Loader.add_implicit_resolver(tag, re.compile(pattern), first)

def construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)

def construct_float(loader, node):
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return float("-inf") if text.startswith("-") else float("inf")
    if text == ".nan":
        return float("nan")
    return float(text)

def construct_mapping(loader, node):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                f"duplicate key {key!r}", key_node.start_mark)
        seen[key] = True
    return loader.construct_mapping(node, deep=True)

Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", construct_float)
Yaml12Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)

def load(path):
    with open(path, encoding="utf-8") as f:
        if path.endswith(".json"):
            def no_duplicates(pairs):
                keys = [k for k, _ in pairs]
                dup = {k for k in keys if keys.count(k) > 1}
                if dup:
                    raise ValueError(f"duplicate key {sorted(dup)[0]!r}")
                return dict(pairs)
            return json.load(f, object_pairs_hook=no_duplicates)
        return yaml.load(f, Loader=Yaml12Loader)

def describe(error):
    """One line per error and per sub-error of oneOf/anyOf, with its JSON pointer."""
    lines = []
    stack = [error]
    while stack:
        e = stack.pop()
        pointer = "".join(f"/{p}" for p in e.absolute_path)
        lines.append(f"{pointer or '/'}: {e.validator}: {e.message}")
        stack.extend(e.context or [])
    return lines

def main():
    schema_path, out_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    report = {"schema": [], "files": {}, "documents": {}}
    try:
        Draft202012Validator.check_schema(schema)
    except Exception as e:  # noqa: BLE001 -- any failure is a finding
        report["schema"].append(str(e).splitlines()[0])
    validator = Draft202012Validator(schema)
    for path in files:
        try:
            document = load(path)
        except Exception as e:  # noqa: BLE001
            report["files"][path] = [f"load: {type(e).__name__}: {e}"]
            continue
        report["documents"][path] = json.dumps(document, sort_keys=True)
        errors = []
        for error in validator.iter_errors(document):
            errors.extend(describe(error))
        report["files"][path] = errors
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)

main()
"""#
}
