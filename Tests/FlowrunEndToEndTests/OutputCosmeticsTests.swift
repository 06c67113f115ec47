import Foundation
import Testing

/// Small output fixes from issue 9's cosmetics list, through the built binary.
@Suite struct OutputCosmeticsTests {
    static let twoTasks = """
        stages:
          - name: s
            fail-fast: false
            tasks:
              - {name: a, run: "echo out; echo err >&2; exit 1"}
              - {name: b, run: "echo bee"}
        """

    @Test func groupedHeadersNameTheStateOnce() async throws {
        let result = try await Flowrun.run(["run", "-", "--output", "grouped"], in: Flowrun.fixtures, stdin: Self.twoTasks)
        #expect(result.status == 1)
        #expect(result.stdout.contains("== s/a: failed (exit 1) ==\nout\n! err\n"), "\(result.stdout)")
        #expect(result.stdout.contains("== s/b: succeeded ==\nbee\n"), "\(result.stdout)")
    }

    @Test(arguments: [
        ("--bogus", nil), ("--x", nil), ("--job", "--jobs"), ("--verbos", "--verbose"),
    ] as [(String, String?)])
    func unknownOptionsSuggestOnlyCloseNames(option: String, suggestion: String?) async throws {
        let result = try await Flowrun.run(["run", option, "valid/minimal.yaml"], in: Flowrun.fixtures)
        #expect(result.status == 64)
        let first = result.stderr.split(separator: "\n").first.map(String.init)
        #expect(first == "Error: Unknown option '\(option)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? ""))
        #expect(result.stderr.contains("Usage: flowrun run"))
    }

    @Test func prefixesAreColoredOneStableColorPerTask() async throws {
        let colored = try await Flowrun.run(["run", "-", "--color", "always"], in: Flowrun.fixtures, stdin: Self.twoTasks)
        let again = try await Flowrun.run(["run", "-", "--color", "always"], in: Flowrun.fixtures, stdin: Self.twoTasks)
        func prefixColors(_ text: String) -> [String: String] {
            var colors: [String: String] = [:]
            for line in text.split(separator: "\n") where line.hasPrefix("\u{1B}[") && line.contains("m[s/") {
                // ESC [ NN m [stage/task] ESC [ 0 m SPACE
                guard let end = line.firstIndex(of: "m"), let close = line.range(of: "\u{1B}[0m ") else { continue }
                colors[String(line[line.index(after: end)..<close.lowerBound])] = String(line[..<end])
            }
            return colors
        }
        let first = prefixColors(colored.stdout)
        #expect(Set(first.keys) == ["[s/a]", "[s/a:err]", "[s/b]"], "\(colored.stdout.debugDescription)")
        #expect(first["[s/a]"] == first["[s/a:err]"], "a task's stdout and stderr share its color")
        #expect(prefixColors(again.stdout) == first, "the same colors in every run")
        let plain = try await Flowrun.run(["run", "-", "--color", "never"], in: Flowrun.fixtures, stdin: Self.twoTasks)
        #expect(plain.stdout.contains("[s/a] out\n") && !plain.stdout.contains("\u{1B}"))
    }

    @Test func planJSONKeysAreCamelCase() async throws {
        let result = try await Flowrun.run(["plan", "--format", "json", "valid/full.yaml"], in: Flowrun.fixtures,
                                           environment: ["DEPLOY_TOKEN": "x"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var keys: Set<String> = []
        func collect(_ value: Any, inEnv: Bool = false) {
            if let dictionary = value as? [String: Any] {
                for (key, inner) in dictionary {
                    if !inEnv { keys.insert(key) }
                    collect(inner, inEnv: key == "env")
                }
            } else if let array = value as? [Any] {
                array.forEach { collect($0) }
            }
        }
        collect(object)
        #expect(keys.filter { $0.contains("_") }.isEmpty, "\(keys.sorted())")
        #expect(keys.isSuperset(of: ["killGrace", "maxParallel", "failFast", "workingDirectory", "retryDelay", "continueOnError"]))
    }

    @Test func theShippedChecksPassOnThisTree() async throws {
        let result = try await Flowrun.run(["run", "workflows/checks.yaml", "--format", "json"], in: Flowrun.packageRoot,
                                           timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let tasks = try #require(object["tasks"] as? [[String: Any]])
        // Status 0: every required check passed. Of the advisory ones, long-lines may
        // legitimately fail (a man page example line); todo-markers must not (issue 9).
        let markers = tasks.first { $0["name"] as? String == "todo-markers" }
        #expect(markers?["state"] as? String == "succeeded", "\(markers ?? [:])")
    }
}
