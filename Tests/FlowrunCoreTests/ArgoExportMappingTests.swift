import Foundation
@testable import FlowrunCore
import Testing

/// The Argo export of `if`, status functions, matrices and outputs (issue 13):
/// what the manifest says, and that its generated scripts do what flowrun does.
/// Serialized: the generated scripts share /tmp/flowrun-* paths, as each pod has its own /tmp.
@Suite(.serialized) struct ArgoExportMappingTests {
    static func export(_ yaml: String) throws -> Result<String, ExportFailure> {
        let outcome = WorkflowLoader().load(SourceText(path: "-", bytes: Array(yaml.utf8)), format: .yaml)
        let workflow = try #require(outcome.workflow, "\(outcome.diagnostics)")
        var options = Planner.Options()
        options.leavesMatrixHoles = true
        let (plan, _) = try Planner().plan(workflow, sourcePath: "-", options: options).get()
        return ArgoExporter().export(plan, workflow: workflow)
    }

    static func manifest(_ yaml: String) throws -> [String: Any] {
        let text = try export(yaml).get()
        // The manifest is JSON-compatible YAML written by ManifestValue; python reads it back.
        let python = try #require(ExternalTool.all(named: "python3").first {
            (try? $0.run(["-c", "import yaml"]))?.status == 0
        }, "python3 with PyYAML is needed")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("argo-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try text.write(to: file, atomically: true, encoding: .utf8)
        // Every manifest these tests make is valid against Argo's schema and uses only its keys.
        if (try? python.run(["-c", "import jsonschema"]))?.status == 0 {
            let checked = try python.run([
                ArgoExportTests.folder.appendingPathComponent("check.py").path,
                ArgoExportTests.folder.appendingPathComponent("workflow-schema.json").path, file.path,
            ])
            #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        }
        let output = try python.run(["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", file.path])
        return try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    static func template(_ manifest: [String: Any], _ name: String) -> [String: Any]? {
        ((manifest["spec"] as? [String: Any])?["templates"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    static func steps(_ template: [String: Any]?) -> [[String: Any]] {
        ((template?["steps"] as? [[[String: Any]]]) ?? []).flatMap { $0 }
    }

    @Test func conditionsBecomeGovaluateWhenExpressions() throws {
        let translator = ArgoCondition(tag: { reference in
            if case .taskResult(let stage, let task) = reference { "inputs.parameters.\(stage)--\(task)" } else { nil }
        }, inExitHandler: false)
        let at = SourceLocation(file: "-", line: 1, column: 1)
        let condition = Condition.and(
            .equals(.reference(.taskResult(stage: "a", task: "b"), at), .text("it's"), negated: false),
            .not(.call(.startsWith, [.reference(.taskResult(stage: "a", task: "b"), at), .text("v1.")], at)))
        #expect(try translator.when(condition)
            == #"('{{inputs.parameters.a--b}}' == 'it\'s' && !('{{inputs.parameters.a--b}}' =~ '^v1\\.'))"#)
        #expect(try translator.when(.reference(.taskResult(stage: "a", task: "b"), at)) == "'{{inputs.parameters.a--b}}' != ''")
        #expect(try translator.when(.call(.success, [], at)) == "true")
        #expect(try ArgoCondition(tag: { _ in nil }, inExitHandler: true).when(.not(.call(.success, [], at)))
            == "!('{{workflow.status}}' == 'Succeeded')")
        #expect(throws: ArgoCondition.Unsupported.self) { try translator.when(.call(.cancelled, [], at)) }
        #expect(throws: ArgoCondition.Unsupported.self) {
            try translator.when(.call(.contains, [.text("x"), .reference(.taskResult(stage: "a", task: "b"), at)], at))
        }
    }

    @Test func statusStagesRunInTheExitHandlerAndTaskConditionsReadResults() throws {
        let manifest = try Self.manifest("""
            stages:
              - name: find
                tasks: [{name: tag, run: echo v1}]
              - name: ship
                tasks:
                  - {name: push, if: "startsWith(stages.find.tasks.tag.result, 'v')", run: echo push}
              - name: stop
                if: always()
                tasks: [{name: down, run: 'echo ${{ stages.find.tasks.tag.result }}'}]
              - name: tell
                if: failure()
                tasks: [echo failed]
              - name: after
                tasks: [echo after]
            """)
        // `if: success()` is the default: such a stage stays in the main template.
        let plain = try Self.manifest("""
            stages:
              - [echo a]
              - {name: b, if: success(), tasks: [echo b]}
            """)
        #expect((plain["spec"] as? [String: Any])?["onExit"] == nil)
        #expect(Self.steps(Self.template(plain, "main")).map { $0["when"] as? String } == [nil, nil])
        let spec = try #require(manifest["spec"] as? [String: Any])
        #expect(spec["onExit"] as? String == "exit-handler")
        #expect(Self.steps(Self.template(manifest, "main")).map { $0["name"] as? String } == ["stage-find", "stage-ship"])
        let exit = Self.steps(Self.template(manifest, "exit-handler"))
        #expect(exit.map { $0["name"] as? String } == ["stage-stop", "stage-tell", "stage-after", "exit-status"])
        #expect(exit[0]["when"] == nil)
        // A failed clean-up stage counts as a failure for the stages after it, and fails the workflow at the end.
        let stopFailed = "'{{steps.stage-stop.status}}' == 'Failed' || '{{steps.stage-stop.status}}' == 'Error'"
        #expect(exit[1]["when"] as? String == "('{{workflow.status}}' != 'Succeeded' || \(stopFailed))")
        #expect((exit[0]["continueOn"] as? [String: Bool])?["failed"] == true)
        let tellFailed = "'{{steps.stage-tell.status}}' == 'Failed' || '{{steps.stage-tell.status}}' == 'Error'"
        #expect(exit[2]["when"] as? String == "('{{workflow.status}}' == 'Succeeded' && !(\(stopFailed) || \(tellFailed)))")
        let afterFailed = "'{{steps.stage-after.status}}' == 'Failed' || '{{steps.stage-after.status}}' == 'Error'"
        #expect(exit[3]["when"] as? String == "\(stopFailed) || \(tellFailed) || \(afterFailed)")
        // The exit handler reads the main template's result through a global output.
        let stopArguments = try #require((exit[0]["arguments"] as? [String: Any])?["parameters"] as? [[String: Any]])
        #expect(stopArguments.first?["value"] as? String == "{{workflow.outputs.parameters.find--tag}}")
        let findOutputs = try #require(((Self.template(manifest, "stage-find")?["outputs"] as? [String: Any])?["parameters"] as? [[String: Any]]))
        #expect(findOutputs.first?["globalName"] as? String == "find--tag")
        let push = Self.steps(Self.template(manifest, "stage-ship")).first
        #expect(push?["when"] as? String == "'{{inputs.parameters.find--tag}}' =~ '^v'")
    }

    @Test func cancelledAndTaskStatesAreLocatedErrors() throws {
        guard case .failure(let failure) = try Self.export("""
            stages:
              - [echo a]
              - name: gone
                if: cancelled()
                tasks: [echo b]
            """) else {
            Issue.record("exported cancelled(), which Argo cannot tell from a failure")
            return
        }
        #expect(failure.diagnostics.first.map { [$0.location?.line, $0.location?.column] } == [4, 9])
        #expect(failure.diagnostics.first?.message.text.contains("cancelled()") == true)
    }

    @Test func aStaticMatrixIsOneLoopedStepUnlessAnInstanceIsReadByName() throws {
        let looped = try Self.manifest("""
            stages:
              - name: t
                tasks:
                  - name: test
                    matrix: {os: [linux, macos], v: ["1", "2"], exclude: [{os: macos, v: "1"}], include: [{os: bsd, v: "3"}]}
                    run: echo ${{ matrix.os }} ${{ matrix.v }}
            """)
        let step = try #require(Self.steps(Self.template(looped, "stage-t")).first)
        let items = try #require(step["withItems"] as? [[String: String]])
        #expect(items.map { $0["instance"] ?? "" } == ["test-linux-1", "test-linux-2", "test-macos-2", "test-bsd-3"])
        #expect(items.last == ["instance": "test-bsd-3", "os": "bsd", "v": "3"])
        let source = try #require((Self.template(looped, "t-test")?["script"] as? [String: Any])?["source"] as? String)
        #expect(source == "echo \"$FLOWRUN_MATRIX_0\" \"$FLOWRUN_MATRIX_1\"")

        let separate = try Self.manifest("""
            stages:
              - name: t
                tasks:
                  - name: test
                    matrix: {os: [linux, macos]}
                    run: echo ${{ matrix.os }}
              - name: u
                tasks: ['echo ${{ stages.t.tasks.test-linux.result }}']
            """)
        #expect(Self.steps(Self.template(separate, "stage-t")).map { $0["name"] as? String } == ["test-linux", "test-macos"])
        let macos = try #require((Self.template(separate, "t-test-macos")?["script"] as? [String: Any])?["source"] as? String)
        #expect(macos == "echo macos")
    }

    /// The dynamic matrix's generator, run by `sh`: lines in, Argo's `withParam` JSON out.
    @Test func aDynamicMatrixListsItsInstancesAsJSON() throws {
        let manifest = try Self.manifest("""
            stages:
              - name: find
                tasks: [{name: changed, run: echo x}]
              - name: test
                tasks:
                  - name: pkg
                    matrix: {package: '${{ stages.find.tasks.changed.result }}', mode: [a, b], exclude: [{mode: b, package: lexer}]}
                    outputs: [status]
                    run: echo "status=${{ matrix.package }}" >> "$FLOWRUN_OUTPUT"
            """)
        let stage = try #require(Self.template(manifest, "stage-test"))
        let groups = try #require(stage["steps"] as? [[[String: Any]]])
        #expect(groups.count == 2)
        #expect(groups[1].first?["withParam"] as? String == "{{steps.pkg-matrix.outputs.result}}")
        let generator = try #require((Self.template(manifest, "test-pkg-matrix")?["script"] as? [String: Any])?["source"] as? String)
        let sh = try #require(ExternalTool.all(named: "sh").first)
        var environment = ProcessInfo.processInfo.environment
        environment["FLOWRUN_AXIS_0"] = "parser\n\n  \nlexer\nsay \"hi\"\\"
        let output = try sh.run(["-e", "-c", generator], environment: environment)
        #expect(output.status == 0, "\(output.stderr)")
        let items = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: String]])
        #expect(items.map { $0["instance"] ?? "" } == ["pkg-parser-a", "pkg-parser-b", "pkg-lexer-a", "pkg-say__hi__-a", "pkg-say__hi__-b"])
        #expect(items[3]["package"] == "say \"hi\"\\")
    }

    /// A task's script, run by `sh`: outputs land in one file per name, a missing one fails the task.
    @Test func outputsAreFilesAndAMissingOneFailsTheTask() throws {
        let manifest = try Self.manifest("""
            stages:
              - name: s
                tasks:
                  - name: t
                    outputs: [tag, notes]
                    run: |
                      echo "tag=v1" >> "$FLOWRUN_OUTPUT"
                      printf 'notes<<END\\nline 1\\nline 2\\nEND\\n' >> "$FLOWRUN_OUTPUT"
                      [ -z "$SKIP" ] || sed -i '/^tag=/d' "$FLOWRUN_OUTPUT"
            """)
        let template = try #require(Self.template(manifest, "s-t"))
        let source = try #require((template["script"] as? [String: Any])?["source"] as? String)
        let sh = try #require(ExternalTool.all(named: "sh").first)
        try? FileManager.default.removeItem(atPath: "/tmp/flowrun-outputs")
        let ok = try sh.run(["-e", "-c", source])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try String(contentsOfFile: "/tmp/flowrun-outputs/tag", encoding: .utf8) == "v1")
        #expect(try String(contentsOfFile: "/tmp/flowrun-outputs/notes", encoding: .utf8) == "line 1\nline 2")
        try? FileManager.default.removeItem(atPath: "/tmp/flowrun-outputs")
        var environment = ProcessInfo.processInfo.environment
        environment["SKIP"] = "1"
        let missing = try sh.run(["-e", "-c", source], environment: environment)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("output tag was not written"))
    }

    /// A task's steps, run by `sh` from its script: in order, a step's env, a
    /// tolerated failure goes on, a failure stops the rest, the last step's stdout is the result.
    @Test func stepsRunInOrderInOneScript() throws {
        let manifest = try Self.manifest("""
            stages:
              - name: s
                tasks:
                  - name: t
                    steps:
                      - {name: one, run: echo "one $WHO", env: {WHO: "a b"}}
                      - {name: soft, run: exit 3, continue-on-error: true}
                      - {name: gate, run: '[ -z "$STOP" ]'}
                      - {name: last, run: echo last}
            """)
        let source = try #require((Self.template(manifest, "s-t")?["script"] as? [String: Any])?["source"] as? String)
        let sh = try #require(ExternalTool.all(named: "sh").first)
        try? FileManager.default.removeItem(atPath: ArgoBuild.resultFile)
        let ok = try sh.run(["-e", "-c", source])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "one a b\nlast\n")
        #expect(try String(contentsOfFile: ArgoBuild.resultFile, encoding: .utf8) == "last")
        var environment = ProcessInfo.processInfo.environment
        environment["STOP"] = "1"
        let stopped = try sh.run(["-e", "-c", source], environment: environment)
        #expect(stopped.status == 1)
        #expect(stopped.stdout == "one a b\n")
    }

    /// `resources:` are the container's requests and limits, not dropped.
    @Test func resourcesBecomeContainerRequestsAndLimits() throws {
        let manifest = try Self.manifest("""
            defaults:
              resources: {memory: 512M}
            stages:
              - name: s
                tasks:
                  - {name: t, resources: {cpus: 4, gpus: 1, time: 90s}, run: make}
            """)
        let template = try #require(Self.template(manifest, "s-t"))
        let resources = try #require((template["script"] as? [String: Any])?["resources"] as? [String: [String: String]])
        #expect(resources["requests"] == ["cpu": "4", "memory": "512Mi"])
        #expect(resources["limits"] == ["memory": "512Mi", "nvidia.com/gpu": "1"])
        #expect(template["activeDeadlineSeconds"] as? String == "90")
    }
    /// Step conditions are decided by the script: each translated command, run by `sh`, agrees with flowrun's evaluator.
    @Test func stepConditionsAreShellCommandsThatAgreeWithFlowrun() throws {
        let at = SourceLocation(file: "-", line: 1, column: 1)
        let result = Condition.reference(.taskResult(stage: "a", task: "b"), at)
        let translator = ShellCondition(word: { reference in
            if case .taskResult = reference { "\"$VALUE\"" } else { nil }
        })
        let conditions: [Condition] = [
            .equals(result, .text("it's"), negated: false), .equals(result, .text(""), negated: true), result,
            .call(.contains, [result, .text("*")], at), .call(.startsWith, [result, .text("it")], at),
            .call(.endsWith, [result, .text("'s")], at), .not(.and(result, .call(.failure, [], at))),
            .or(.call(.failure, [], at), .equals(.equals(result, .text("x"), negated: false), .boolean(false), negated: false)),
            .call(.success, [], at), .call(.always, [], at),
        ]
        let sh = try #require(ExternalTool.all(named: "sh").first)
        for value in ["it's", "", "a*b", "x"] {
            for failed in [false, true] {
                let evaluator = ConditionEvaluator(status: .init(failed: failed, interrupted: false)) { _ in value }
                for condition in conditions {
                    let command = try translator.command(condition)
                    var environment = ProcessInfo.processInfo.environment
                    environment["VALUE"] = value
                    let output = try sh.run(["-c", "flowrun_failed=\(failed ? 1 : 0); if \(command); then echo yes; else echo no; fi"],
                                            environment: environment)
                    #expect(output.stdout == (evaluator.truth(condition) ? "yes\n" : "no\n"), "\(condition) with \(value), failed \(failed): \(command)")
                }
            }
        }
        #expect(throws: ArgoCondition.Unsupported.self) { try translator.command(.call(.cancelled, [], at)) }
    }

    /// Step `if`s are decided inside the script: `failure()` and `always()` steps run after a failed one.
    @Test func stepConditionsRunInTheScript() throws {
        let manifest = try Self.manifest("""
            stages:
              - name: a
                tasks: [{name: v, run: echo v2}]
              - name: s
                tasks:
                  - name: t
                    steps:
                      - {name: old, if: "stages.a.tasks.v.result == 'v1'", run: echo old}
                      - {name: new, if: "startsWith(stages.a.tasks.v.result, 'v2')", run: echo new}
                      - {name: fail, run: '[ -z "$FAIL" ]'}
                      - {name: skipped, run: echo skipped}
                      - {name: report, if: failure(), run: echo report}
                      - {name: always, if: always(), run: echo always}
            """)
        let template = try #require(Self.template(manifest, "s-t"))
        let source = try #require((template["script"] as? [String: Any])?["source"] as? String)
        let sh = try #require(ExternalTool.all(named: "sh").first)
        var environment = ProcessInfo.processInfo.environment
        environment["FLOWRUN_RESULT_0"] = "v2"
        let ok = try sh.run(["-e", "-c", source], environment: environment)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "new\nskipped\nalways\n")
        environment["FAIL"] = "1"
        let failed = try sh.run(["-e", "-c", source], environment: environment)
        #expect(failed.status == 1)
        #expect(failed.stdout == "new\nreport\nalways\n")
    }

    /// `matrix.KEY` in a matrix task's `if` is the item's, so the matrix stays one looped step; outputs are read like results.
    @Test func conditionsReadMatrixKeysAndOutputs() throws {
        let manifest = try Self.manifest("""
            stages:
              - name: a
                tasks: [{name: v, outputs: [tag], run: echo "tag=v1" >> "$FLOWRUN_OUTPUT"}]
              - name: t
                tasks:
                  - name: test
                    matrix: {os: [linux, macos]}
                    if: matrix.os == 'linux' && stages.a.tasks.v.outputs.tag != ''
                    run: echo ${{ matrix.os }}
            """)
        let steps = Self.steps(Self.template(manifest, "stage-t"))
        #expect(steps.count == 1)
        #expect(steps.first?["when"] as? String == "('{{item.os}}' == 'linux' && '{{inputs.parameters.a--v--out-tag}}' != '')")
        let inputs = try #require((Self.template(manifest, "stage-t")?["inputs"] as? [String: Any])?["parameters"] as? [[String: String]])
        #expect(inputs == [["name": "a--v--out-tag"]])
    }
}
