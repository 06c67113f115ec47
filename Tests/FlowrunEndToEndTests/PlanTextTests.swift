import Foundation
import Testing

/// `flowrun plan` text: env, working directory, shells and multi-line commands (issue 9.10).
@Suite struct PlanTextTests {
    @Test func showsEachTasksEnvWorkingDirectoryAndShellWithSecretsMasked() async throws {
        let result = try await Flowrun.run(["plan", "valid/full.yaml"], in: Flowrun.fixtures,
                                           environment: ["DEPLOY_TOKEN": "t0ps3cret"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("t0ps3cret"))
        let folder = Flowrun.fixtures + "/valid"
        #expect(result.stdout.hasSuffix("""
            stage 1/2 build: 2 tasks concurrently, fail-fast
              Compile
              compile  run: make release  [timeout 5m, retries 2 every 1s]
                       shell: bash --noprofile --norc -e -o pipefail -c
                       working-directory: \(folder)/src
                       env: CI=true
                            TOKEN=***
              wait     sleep 3.5s  [timeout 10m]

            stage 2/2 ship: 1 task, runs all even if one fails
              upload  run: upload ${{ stages.build.tasks.compile.result }} ${{ not.a.template }}  [timeout 10m]
                      shell: bash -eu -c
                      working-directory: \(folder)
                      env: CI=true
                           TOKEN=***

            """), "\(result.stdout)")
    }

    @Test func multiLineCommandsAreIndentedLinesAndNotCut() async throws {
        let long = String(repeating: "x", count: 300)
        let workflow = """
            env: {GREETING: hello world}
            stages:
              - name: s
                tasks:
                  - name: script
                    run: |
                      echo one
                        echo two
                      echo \(long)
                  - name: short
                    run: echo $GREETING
            """
        let result = try await Flowrun.run(["plan", "-"], in: Flowrun.fixtures, stdin: workflow)
        #expect(result.status == 0, "\(result.stderr)")
        let want = """
            stage 1/1 s: 2 tasks concurrently, fail-fast
              script  run:
                        echo one
                          echo two
                        echo \(long)
                      working-directory: \(Flowrun.fixtures)
                      env: GREETING=hello world
              short   run: echo $GREETING
                      working-directory: \(Flowrun.fixtures)
                      env: GREETING=hello world

            """
        #expect(result.stdout.hasSuffix(want), "\(result.stdout)")
        #expect(!result.stdout.contains("\\n"))
    }
}
