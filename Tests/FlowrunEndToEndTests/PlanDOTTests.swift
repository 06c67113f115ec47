import Foundation
import Testing

/// `flowrun plan --format dot` (issue 9.11): clusters, one edge per pair of stages, real line breaks.
/// The rendering checks need Graphviz's `dot` and skip without it.
@Suite struct PlanDOTTests {
    static let dotTool = ReportCLI.tool("dot")

    /// Seven tasks in three stages, one of them a two-line script.
    static let release = """
        name: release
        stages:
          - name: prepare
            tasks:
              - {name: tag, run: "git describe --tags"}
              - {name: changelog, run: "git log --oneline -5"}
          - name: build
            tasks:
              - name: linux
                run: |
                  make clean
                  make "linux"
              - {name: macos, run: make macos}
              - {name: sources, sleep: 1}
          - name: ship
            tasks:
              - {name: upload, run: "./upload"}
              - {name: notes, run: "printf '%s\\\\n' done"}
        """

    static func dot(_ workflow: String) async throws -> String {
        let result = try await Flowrun.run(["plan", "--format", "dot", "-"], in: Flowrun.fixtures, stdin: workflow)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func eachStageIsAClusterWithOneEdgeToTheNext() async throws {
        let text = try await Self.dot(Self.release)
        #expect(text.contains("  compound=true;\n"))
        #expect(text.components(separatedBy: "subgraph cluster_").count - 1 == 3)
        let edges = text.split(separator: "\n").filter { $0.contains(" -> ") }
        #expect(edges == [
            #"  "t0_0" -> "t1_0" [ltail=cluster_0, lhead=cluster_1];"#,
            #"  "t1_0" -> "t2_0" [ltail=cluster_1, lhead=cluster_2];"#,
        ])
        #expect(text.contains(#"    "t1_0" [label="linux\lrun:\l  make clean\l  make \"linux\"\l"];"#), "\(text)")
        #expect(text.contains(#"    "t2_1" [label="notes\lrun: printf '%s\\n' done\l"];"#), "\(text)")
    }

    @Test func edgesGrowWithStagesNotTasks() async throws {
        var workflow = "stages:\n"
        for stage in 0..<4 {
            workflow += "  - name: s\(stage)\n    tasks:\n"
            for task in 0..<500 { workflow += "      - {name: t\(task), run: echo \(task)}\n" }
        }
        let text = try await Self.dot(workflow)
        #expect(text.components(separatedBy: " -> ").count - 1 == 3)
        #expect(text.components(separatedBy: " [label=").count - 1 == 2000)
        #expect(text.utf8.count < 200_000)
    }

    @Test(.enabled(if: dotTool != nil, "needs Graphviz (apt-get install graphviz)"))
    func graphvizLaysItOutAsDrawn() async throws {
        let dot = try #require(Self.dotTool)
        let directory = try ReportCLI.workspace(["plan.dot": try await Self.dot(Self.release)])
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = try ReportCLI.run(executable: dot, ["-Tplain", "plan.dot"], in: directory)
        #expect(plain.status == 0)
        #expect(plain.stderr == "", "no warning, e.g. about an unknown lhead cluster")
        let kinds = plain.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first }
        #expect(kinds.filter { $0 == "node" }.count == 7)
        #expect(kinds.filter { $0 == "edge" }.count == 2)
        // In SVG each label line is its own <text>: the linux node shows four, none with a literal \n.
        let svg = try ReportCLI.run(executable: dot, ["-Tsvg", "plan.dot"], in: directory)
        #expect(svg.status == 0 && svg.stderr == "")
        let linux = try #require(svg.stdout.components(separatedBy: "<title>t1_0</title>").last?
            .components(separatedBy: "</g>").first)
        let lines = linux.components(separatedBy: "<text").dropFirst().compactMap {
            $0.split(separator: ">", maxSplits: 1).last?.components(separatedBy: "</text").first
        }
        // (Graphviz writes a run of spaces as " &#160;".)
        #expect(lines == ["linux", "run:", " &#160;make clean", " &#160;make &quot;linux&quot;"], "\(linux)")
        let png = try ReportCLI.run(executable: dot, ["-Tpng", "-o", "plan.png", "plan.dot"], in: directory)
        #expect(png.status == 0 && png.stderr == "")
        let header = try Data(contentsOf: directory.appendingPathComponent("plan.png")).prefix(8)
        #expect(Array(header) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}
