import Foundation
import Testing

/// Timeline, color and live progress as the binary writes them: through
/// pipes, and through a real pseudo-terminal (`script`) where one exists.
@Suite("ReportTerminal") struct ReportTerminalTests {
    static let canRun = ReportCLI.binary != nil
    /// util-linux `script` gives the run a pseudo-terminal for stdout and stderr.
    static let script: URL? = {
        #if os(Linux)
        return ReportCLI.tool("script")
        #else
        return nil
        #endif
    }()

    private func seedWorkspace() throws -> URL {
        try ReportCLI.workspace(["seed.yaml": try ReportCLI.fastSeed(), "demo.yaml": ReportCLI.failingWorkflow,
                                 "broken.yaml": "stages:\n  - name: a\n    tasks: [{name: x, sleep: 1, bogus: 2}]\n"])
    }

    /// The columns each task's bar covers, by task name.
    private func bars(_ text: String) -> [String: Set<Int>] {
        var bars: [String: Set<Int>] = [:]
        guard let start = text.range(of: "\ntimeline ") else { return bars }
        for line in text[start.upperBound...].split(separator: "\n").dropFirst() where line.hasPrefix("  ") {
            let characters = Array(line)
            let name = String(line.dropFirst(2).prefix { $0 != " " })
            bars[name] = Set(characters.indices.filter { characters[$0] == "█" })
        }
        return bars
    }

    @Test(.enabled(if: canRun, "needs the built flowrun"))
    func seedTimelineShowsThreeOverlappingPairs() throws {
        let directory = try seedWorkspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(["seed.yaml", "--timeline"], in: directory, environment: ["COLUMNS": "100"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("\ntimeline "))
        let timeline = output.stdout.components(separatedBy: "\ntimeline ").last ?? ""
        for line in timeline.split(separator: "\n") { #expect(line.count <= 100, "\(line)") }
        let bars = bars(output.stdout)
        #expect(bars.keys.sorted() == ["1", "2", "3", "4", "5", "6"])
        for (a, b) in [("1", "2"), ("3", "4"), ("5", "6")] {
            #expect(!bars[a, default: []].isDisjoint(with: bars[b, default: []]), "tasks \(a) and \(b) overlap")
        }
        for (a, b) in [("2", "3"), ("4", "5"), ("1", "6")] {
            #expect(bars[a, default: []].isDisjoint(with: bars[b, default: []]), "stages \(a) and \(b) follow each other")
        }
        #expect(!output.stdout.contains("\u{1B}"))
        #expect(output.stderr.isEmpty, "no progress line on a pipe: \(output.stderr)")
    }

    @Test(.enabled(if: canRun, "needs the built flowrun"))
    func noTimelineOnAPipeUnlessAsked() throws {
        let directory = try seedWorkspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(["seed.yaml"], in: directory)
        #expect(output.status == 0)
        #expect(!output.stdout.contains("timeline"))
    }

    @Test(.enabled(if: canRun, "needs the built flowrun"), arguments: [
        (["--color", "always"], [String: String](), true),
        (["--color", "always"], ["NO_COLOR": "1"], true),  // an explicit choice wins
        ([], [:], false),  // auto, and stdout is a pipe
        (["--color", "never"], [:], false),
    ])
    func reportColor(arguments: [String], environment: [String: String], colored: Bool) throws {
        let directory = try seedWorkspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(["demo.yaml"] + arguments, in: directory, environment: environment)
        #expect(output.status == 1)
        #expect(output.stdout.contains("\u{1B}[32msucceeded\u{1B}[0m") == colored)
        #expect(output.stdout.contains("\u{1B}[31mfailed (exit 3)\u{1B}[0m") == colored)
        if !colored {
            // Only the task's own escape codes (in its output and stderr tail) remain.
            #expect(!output.stdout.contains("\u{1B}[0m"))
        }
    }

    @Test(.enabled(if: canRun, "needs the built flowrun"), arguments: [
        (["--color", "always"], true), (["--color", "never"], false), ([], false),
    ])
    func diagnosticColor(arguments: [String], colored: Bool) throws {
        let directory = try seedWorkspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(["run", "broken.yaml"] + arguments, in: directory)
        #expect(output.status == 2)
        #expect(output.stderr.contains("broken.yaml:3:"))
        #expect(output.stderr.contains("\u{1B}[1;31merror:") == colored)
        #expect(output.stderr.contains("\u{1B}") == colored)
    }

    /// Runs `flowrun arguments` on a pseudo-terminal; returns what the terminal received.
    private func onTerminal(_ arguments: [String], environment: [String: String] = [:], in directory: URL) throws -> ReportCLI.Output {
        let quoted = ([ReportCLI.binary!.path] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        return try ReportCLI.run(executable: Self.script!, ["-q", "-e", "-c", quoted.joined(separator: " "), "/dev/null"],
                                 in: directory, environment: ReportCLI.environment(environment))
    }

    /// What a terminal shows, line by line: `\r` + erase-line and a bare `\r` restart the line.
    private func screenLines(_ bytes: String) -> (lines: [String], last: String) {
        var lines: [String] = []
        var current = ""
        var rest = Substring(bytes.replacingOccurrences(of: "\r\n", with: "\n"))
        while let character = rest.first {
            if rest.hasPrefix("\r\u{1B}[K") {
                current = ""
                rest = rest.dropFirst(4)
                continue
            }
            rest = rest.dropFirst()
            switch character {
            case "\n": lines.append(current); current = ""
            case "\r": current = ""
            default: current.append(character)
            }
        }
        return (lines, current)
    }

    @Test(.enabled(if: canRun && script != nil, "needs the built flowrun and util-linux script"))
    func terminalGetsProgressTimelineAndColor() throws {
        let directory = try seedWorkspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try onTerminal(["demo.yaml"], in: directory)
        #expect(output.status == 1)
        let bytes = output.stdout
        #expect(bytes.contains("\r\u{1B}[K[1/2] \u{1B}[1mbuild\u{1B}[0m · "), "progress line")
        #expect(bytes.contains("\u{1B}[32msucceeded\u{1B}[0m"), "colored states")
        #expect(bytes.contains("\ntimeline ") || bytes.contains("\r\ntimeline "), "timeline by default on a terminal")
        let screen = screenLines(bytes)
        #expect(screen.last.isEmpty, "the status line is gone at the end")
        #expect(!screen.lines.contains { $0.contains(" pending ") }, "the status never stays inside a line")
        // Prefixes are colored on a terminal (issue 9), one color per task.
        let plain = screen.lines.map { $0.replacing(/\x1B\[[0-9;]*m/, with: "") }
        #expect(plain.contains("[build/compile] compiling"))
        #expect(plain.contains("[build/lint:err] on stderr ***"))
        #expect(screen.lines.contains { $0.hasPrefix("\u{1B}[") && $0.hasSuffix("m[build/compile]\u{1B}[0m compiling") })
    }

    @Test(.enabled(if: canRun && script != nil, "needs the built flowrun and util-linux script"), arguments: [
        (["--no-progress"], [String: String](), false, true),
        ([], ["TERM": "dumb"], false, false),
        ([], ["NO_COLOR": "1"], true, false),
        (["--color", "never"], [:], true, false),
    ])
    func terminalSwitches(arguments: [String], environment: [String: String], progress: Bool, color: Bool) throws {
        let directory = try seedWorkspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try onTerminal(["seed.yaml"] + arguments, environment: environment, in: directory)
        #expect(output.status == 0)
        #expect(output.stdout.contains("\u{1B}[K") == progress)
        #expect(output.stdout.contains("\u{1B}[32m") == color)
        #expect(output.stdout.contains("timeline "))
    }
}
