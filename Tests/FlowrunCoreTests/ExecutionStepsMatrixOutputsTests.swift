import Foundation
import Testing
@testable import FlowrunCore

/// Steps, matrices (static and dynamic) and outputs, from a workflow's text
/// through the planner to real processes.
@Suite("Steps, matrix and outputs with processes") struct ExecutionStepsMatrixOutputsTests {
    private func run(_ text: String, arguments: [String] = [], jobs: Int? = nil) async throws -> (RunResult, EventRecorder, Plan) {
        var options = Planner.Options(jobs: jobs, currentDirectory: NSTemporaryDirectory())
        options.arguments = arguments
        let (plan, _) = try plan(text, path: NSTemporaryDirectory() + "steps.yaml", options: options)
        let recorder = EventRecorder()
        let executor = Executor(runner: LocalTaskRunner(processes: ProcessRunner(registry: ProcessGroupRegistry())), runID: Descendants.newMarker())
        return (await executor.run(plan, sink: recorder), recorder, plan)
    }

    @Test func theFirstFailingStepFailsTheTaskAndSkipsTheRest() async throws {
        let (result, _, _) = try await run("""
            stages:
              - name: ci
                tasks:
                  - name: linux
                    steps:
                      - {name: build, run: echo built}
                      - {name: lint, run: exit 3, continue-on-error: true}
                      - {name: test, run: exit 4}
                      - {name: package, run: echo never}
            """)
        let task = try #require(result.tasks.first)
        #expect(task.state == .failed(exitCode: 4))
        #expect(task.steps.map(\.name) == ["build", "lint", "test", "package"])
        #expect(task.steps.map(\.state) == [.succeeded, .failed(exitCode: 3), .failed(exitCode: 4), .skipped])
        #expect(task.steps[3].started == nil)
        #expect(task.steps[0].started! <= task.steps[1].started!)
    }

    @Test func theDefaultResultIsTheLastStepsStdoutAndStepsShareTheTaskEnvironment() async throws {
        let (result, _, _) = try await run("""
            stages:
              - name: ci
                tasks:
                  - name: t
                    env: {WHO: task}
                    steps:
                      - run: echo first
                      - {run: 'echo "$WHO $STEP_ONLY $FLOWRUN_STEP"', env: {STEP_ONLY: step}}
            """)
        #expect(result.results == ["task step 2"])
        #expect(result.tasks[0].steps.map(\.name) == ["1", "2"])
    }

    @Test func retriesRepeatEveryStep() async throws {
        let dir = NSTemporaryDirectory() + "flowrun-steps-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (result, _, _) = try await run("""
            stages:
              - name: ci
                tasks:
                  - name: flaky
                    retries: 2
                    working-directory: \(dir)
                    steps:
                      - run: echo step1 >> log
                      - run: test "$(wc -l < log)" -ge 3
            """)
        #expect(result.tasks[0].state == .succeeded)
        // The second step passes only once the first has run three times: each attempt ran both.
        #expect(result.tasks[0].attempts == 3)
        let log = try String(contentsOfFile: dir + "/log", encoding: .utf8)
        #expect(log == "step1\nstep1\nstep1\n")
    }

    @Test func aStepTimeoutTimesOutTheTask() async throws {
        let (result, _, _) = try await run("""
            stages:
              - name: ci
                tasks:
                  - name: slow
                    steps:
                      - {name: wait, run: sleep 5, timeout: 200ms}
                      - {name: after, run: echo no}
            """)
        #expect(result.tasks[0].state == .timedOut)
        #expect(result.tasks[0].steps.map(\.state) == [.timedOut, .skipped])
        #expect(result.wallTime < .seconds(3))
    }

    @Test func outputsFlowToLaterStagesAndAMissingOneFailsTheTask() async throws {
        let (result, _, _) = try await run("""
            stages:
              - name: version
                tasks:
                  - name: v
                    outputs: [tag, notes]
                    run: |
                      echo "tag=v1.4.0" >> "$FLOWRUN_OUTPUT"
                      printf 'notes<<EOF\\nline 1\\nline 2\\nEOF\\n' >> "$FLOWRUN_OUTPUT"
                      echo "extra=1" >> "$FLOWRUN_OUTPUT"
              - name: use
                tasks:
                  - name: u
                    run: printf '%s|%s' ${{ stages.version.tasks.v.outputs.tag }} ${{ stages.version.tasks.v.outputs.notes }}
            """)
        #expect(result.tasks[0].outputs == [TaskOutput(name: "tag", value: "v1.4.0"), TaskOutput(name: "notes", value: "line 1\nline 2")])
        #expect(result.results[1] == "v1.4.0|line 1\nline 2")

        let (missing, _, _) = try await run("""
            stages:
              - name: version
                tasks:
                  - {name: v, outputs: [tag, sha], run: 'echo "tag=v1" >> "$FLOWRUN_OUTPUT"'}
            """)
        #expect(missing.tasks[0].state == .outputsInvalid(.outputNotWritten("sha")))
        #expect(RunReport.describe(missing.tasks[0].state) == "output sha was not written")
        #expect(missing.tasks[0].result == nil)
    }

    @Test func eachAttemptGetsANewEmptyOutputFile() async throws {
        let (result, _, _) = try await run("""
            stages:
              - name: s
                tasks:
                  - name: v
                    retries: 1
                    outputs: [n]
                    run: |
                      test -s "$FLOWRUN_OUTPUT" && exit 9
                      echo "n=$FLOWRUN_OUTPUT" >> "$FLOWRUN_OUTPUT"
            """)
        #expect(result.tasks[0].state == .succeeded)
        let path = try #require(result.tasks[0].outputs.first?.value)
        if path.hasPrefix("/proc/") {
            // Linux: an unlinked file held open by flowrun; the descriptor is closed after the attempt.
            let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path)
            #expect(target.map { !$0.contains("flowrun-output-") } ?? true, "the output file is closed after the attempt: \(target ?? "")")
        } else {
            #expect(!FileManager.default.fileExists(atPath: path), "the output file is removed after the attempt")
        }
    }

    @Test func secretValuesInOutputsAreMasked() async throws {
        let (result, _, _) = try await run("""
            env: {TOKEN: hunter22}
            secrets: [TOKEN]
            stages:
              - name: s
                tasks:
                  - {name: v, outputs: [t], run: 'echo "t=token is $TOKEN" >> "$FLOWRUN_OUTPUT"'}
            """)
        #expect(result.tasks[0].outputs == [TaskOutput(name: "t", value: "token is ***")])
    }

    @Test func aStaticMatrixExpandsInPlaceAndResultsJoinTheInstances() async throws {
        let (result, _, plan) = try await run("""
            stages:
              - name: test
                tasks:
                  - name: before
                    run: echo b
                  - name: unit
                    matrix:
                      os: [linux, macos]
                      py: ["3.11", "3.12"]
                      exclude: [{os: macos, py: "3.11"}]
                      include: [{os: windows, py: "3.13"}]
                    run: echo ${{ matrix.os }}/${{ matrix.py }}
              - name: after
                tasks:
                  - run: echo "${{ stages.test.tasks.unit.results }}" and ${{ stages.test.tasks.unit-macos-3.12.result }}
            """)
        #expect(plan.stages[0].tasks.map(\.name) == ["before", "unit-linux-3.11", "unit-linux-3.12", "unit-macos-3.12", "unit-windows-3.13"])
        #expect(result.results.last == "'linux/3.11\nlinux/3.12\nmacos/3.12\nwindows/3.13' and macos/3.12")
    }

    @Test func aDynamicMatrixExpandsWhenItsStageStartsUnderTheJobsCap() async throws {
        let (result, recorder, plan) = try await run("""
            stages:
              - name: find
                tasks:
                  - {name: changed, run: "printf 'pkg-a\\n\\npkg b\\npkg-c\\n'"}
              - name: test
                tasks:
                  - name: pkg
                    matrix:
                      package: ${{ stages.find.tasks.changed.result }}
                    run: sleep 0.2; echo testing ${{ matrix.package }}
                  - {name: other, run: echo other}
              - name: report
                tasks:
                  - run: echo "${{ stages.test.tasks.pkg.results }}"
            """, jobs: 2)
        #expect(plan.stages[1].tasks.map(\.name) == ["pkg", "other"])
        #expect(plan.stages[1].tasks[0].fanOut != nil)
        #expect(result.tasks.map(\.name) == ["changed", "pkg-pkg-a", "pkg-pkg_b", "pkg-pkg-c", "other", "1"])
        #expect(result.tasks.filter { $0.matrixTask == "pkg" }.count == 3)
        #expect(result.results.last == "'testing pkg-a\ntesting pkg b\ntesting pkg-c'")
        // --jobs 2: never more than two instances at once.
        var running = 0, peak = 0
        for event in recorder.all {
            if case .taskStarted(let id, 1, _) = event, id.stage == 1 { running += 1; peak = max(peak, running) }
            if case .taskFinished(let r) = event, r.id.stage == 1, r.state != TaskState.skipped { running -= 1 }
        }
        #expect(peak == 2)
        let expanded = recorder.all.compactMap { if case .matrixExpanded(_, let instances) = $0 { instances.map(\.name) } else { nil } }
        #expect(expanded == [["pkg-pkg-a", "pkg-pkg_b", "pkg-pkg-c"]])
    }

    /// A task `pkg` with one instance per line of the result of `find/changed`, which runs `command`.
    private static func dynamicMatrix(over command: String) -> String {
        """
        stages:
          - name: find
            tasks:
              - {name: changed, run: \(command)}
          - name: test
            tasks:
              - name: pkg
                matrix: {package: "${{ stages.find.tasks.changed.result }}"}
                run: echo ${{ matrix.package }}
        """
    }

    @Test func aDynamicMatrixOverNoLinesHasNoInstances() async throws {
        let (result, _, _) = try await run(Self.dynamicMatrix(over: #""true""#))
        #expect(result.tasks.map(\.name) == ["changed"])
        #expect(result.succeeded)
    }

    @Test func aDynamicMatrixWithClashingNamesFailsItsTask() async throws {
        let (result, _, _) = try await run(Self.dynamicMatrix(over: #""printf 'a b\na_b\n'""#))
        #expect(result.tasks.map(\.name) == ["changed", "pkg"])
        #expect(result.tasks[1].state == .failedToStart(reason: DiagnosticMessage.duplicateInstance(name: "pkg-a_b").text))
    }

    @Test(arguments: [
        ([String](), "[end]"), (["a b"], "[a b][end]"), (["it's", "$(x)", ""], "[it's][$(x)][][end]"),
    ])
    func argumentsAreEachOneWord(_ words: [String], _ expected: String) async throws {
        let (result, _, _) = try await run("""
            stages:
              - [ "printf '[%s]' ${{ args }} end" ]
            """, arguments: words)
        #expect(result.results == [expected])
    }
}
