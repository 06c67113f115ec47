import Foundation
import Testing

/// `flowrun --generate-completion-script bash|zsh|fish`, and that workflow
/// arguments complete to `.yaml`, `.yml` and `.json` files.
@Suite("Completion") struct CompletionTests {
    static let canRun = ReportCLI.binary != nil

    private func script(_ shell: String) throws -> String {
        let output = try ReportCLI.run(["--generate-completion-script", shell], in: ReportCLI.root)
        #expect(output.status == 0)
        #expect(output.stderr.isEmpty)
        return output.stdout
    }

    @Test(.enabled(if: canRun, "needs the built flowrun"), arguments: ["bash", "zsh", "fish"])
    func scriptsAreGenerated(shell: String) throws {
        let text = try script(shell)
        for word in ["run", "validate", "plan", "schema", "--junit", "--trace", "--timeline", "--no-progress", "--color"] {
            #expect(text.contains(word.hasPrefix("--") && shell == "fish" ? "-l '\(word.dropFirst(2))'" : word),
                    "\(shell) script lacks \(word)")
        }
    }

    /// Each of run, validate, plan, list, log and export argo filters its file argument by extension.
    @Test(.enabled(if: canRun, "needs the built flowrun"))
    func scriptsFilterWorkflowExtensions() throws {
        #expect(try script("bash").components(separatedBy: "-fX '!*.@(yaml|yml|json)'").count - 1 == 6)
        #expect(try script("zsh").components(separatedBy: "_files -g '\\''*.yaml *.yml *.json'\\''").count - 1 == 6)
        #expect(try script("fish").components(separatedBy: "set -l exts \\'yaml\\' \\'yml\\' \\'json\\'").count - 1 == 6)
        #expect(try script("fish").contains(#"__flowrun_should_offer_completions_for_positional "flowrun run""#))
    }

    /// bash really offers only workflow files (and folders) for `flowrun run <TAB>`.
    @Test(.enabled(if: canRun && ReportCLI.tool("bash") != nil, "needs the built flowrun and bash"),
          arguments: ["run", "validate", "plan"])
    func bashCompletesWorkflowFiles(subcommand: String) throws {
        let directory = try ReportCLI.workspace(["a.yaml": "", "b.yml": "", "c.json": "", "notes.txt": "", "Makefile": ""])
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try script("bash").write(to: directory.appendingPathComponent("flowrun.bash"), atomically: true, encoding: .utf8)
        let driver = """
            source ./flowrun.bash
            COMP_WORDS=(flowrun \(subcommand) "")
            COMP_CWORD=2
            COMP_LINE="flowrun \(subcommand) "
            COMP_POINT=${#COMP_LINE}
            _flowrun flowrun "" \(subcommand)
            printf '%s\\n' "${COMPREPLY[@]}" | sort
            """
        let output = try ReportCLI.run(executable: ReportCLI.tool("bash")!, ["-c", driver], in: directory)
        #expect(output.stderr == "")
        #expect(output.stdout == "a.yaml\nb.yml\nc.json\nsub\n")
    }

    @Test(.enabled(if: canRun && ReportCLI.tool("zsh") != nil, "zsh is not installed"))
    func zshScriptParses() throws {
        let directory = try ReportCLI.workspace(["_flowrun": try script("zsh")])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(executable: ReportCLI.tool("zsh")!, ["-n", "_flowrun"], in: directory)
        #expect(output.status == 0, "\(output.stderr)")
    }

    @Test(.enabled(if: canRun && ReportCLI.tool("fish") != nil, "fish is not installed"))
    func fishCompletesWorkflowFiles() throws {
        let directory = try ReportCLI.workspace(["a.yaml": "", "c.json": "", "notes.txt": "", "flowrun.fish": try script("fish")])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try ReportCLI.run(executable: ReportCLI.tool("fish")!,
                                       ["-c", "source flowrun.fish; complete -C 'flowrun run '"], in: directory)
        #expect(output.stdout.contains("a.yaml") && output.stdout.contains("c.json") && !output.stdout.contains("notes.txt"))
    }
}
