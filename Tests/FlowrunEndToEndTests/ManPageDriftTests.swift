import Foundation
import Testing

/// flowrun.1 cannot drift from the parser: every option the CLI accepts,
/// read from ArgumentParser's `--experimental-dump-help`, is documented,
/// and every option the page documents is accepted.
///
/// (Rendering without warnings is checked by FlowrunCoreTests' ManPageTests.)
@Suite("ManPageDrift") struct ManPageDriftTests {
    struct Command {
        var name: String
        /// Each option's names as written on the command line: `--jobs`, `-j`.
        var options: [[String]]
    }

    /// Subcommands and their options, from the binary.
    static func commands() throws -> [Command] {
        let output = try ReportCLI.run(["--experimental-dump-help"], in: ReportCLI.root)
        #expect(output.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let root = try #require(object["command"] as? [String: Any])
        func command(_ node: [String: Any], nesting: Bool = true) -> Command {
            let arguments = node["arguments"] as? [[String: Any]] ?? []
            let options = arguments.compactMap { argument -> [String]? in
                guard let names = argument["names"] as? [[String: Any]], !names.isEmpty else { return nil }
                return names.compactMap { name in
                    guard let text = name["name"] as? String else { return nil }
                    switch name["kind"] as? String {
                    case "long": return "--" + text
                    case "short": return "-" + text
                    default: return nil  // -help, ArgumentParser's extra spelling
                    }
                }
            }
            // A nested command's options (`export argo --image`) count as its parent's.
            let nested = !nesting ? [] : (node["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
            return Command(name: node["commandName"] as? String ?? "", options: options + nested.flatMap { command($0).options })
        }
        let subcommands = (root["subcommands"] as? [[String: Any]] ?? []).map { command($0) }
        return [command(root, nesting: false)] + subcommands.filter { $0.name != "help" }
    }

    static func page() throws -> String {
        try String(contentsOf: ReportCLI.root.appendingPathComponent("man/flowrun.1"), encoding: .utf8)
    }

    /// The text of `.Ss TITLE` up to the next `.Ss` or `.Sh`.
    static func subsection(_ title: String, in page: String) -> String {
        guard let start = page.range(of: "\n.Ss \(title)\n") else { return "" }
        let rest = page[start.upperBound...]
        let end = rest.range(of: #"\n\.S[sh] "#, options: .regularExpression)?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    /// `--jobs` → `Fl -jobs`; `-j` → `Fl j`.
    static func macro(_ option: String) -> String {
        "Fl " + option.dropFirst()
    }

    /// True when `text` has `Fl name` as a whole word.
    static func mentions(_ text: String, _ option: String) -> Bool {
        let pattern = try! Regex("(^|[ .\\n])" + NSRegularExpression.escapedPattern(for: macro(option)) + "($|[ \\n])")
        return text.contains(pattern)
    }

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func everyAcceptedOptionIsDocumented() throws {
        let page = try Self.page()
        let commands = try Self.commands()
        #expect(commands.map(\.name) == ["flowrun", "run", "validate", "plan", "list", "log", "schema", "export"])
        let others = Self.subsection("Other options", in: page)
        let synopsis = page.components(separatedBy: "\n.Sh SYNOPSIS\n").last?.components(separatedBy: "\n.Sh ").first ?? ""
        for command in commands {
            if command.name != "flowrun" {
                #expect(page.contains("\n.It Cm \(command.name)"), "flowrun.1 lacks an entry for the \(command.name) command")
            }
            let section = Self.subsection("Options for \(command.name)", in: page)
            let entries = section.split(separator: "\n").filter { $0.hasPrefix(".It ") }.joined(separator: "\n")
            for names in command.options {
                if names.contains("--help") || names.contains("--version") {
                    #expect(names.allSatisfy { Self.mentions(others, $0) }, "Other options lack \(names)")
                    continue
                }
                // Long names head an entry of the command's section; short ones appear in it.
                for name in names {
                    let documented = name.hasPrefix("--") ? Self.mentions(entries, name) : Self.mentions(section, name)
                    #expect(documented, "flowrun.1 'Options for \(command.name)' lacks \(Self.macro(name))")
                }
                #expect(names.contains { Self.mentions(synopsis, $0) }, "the SYNOPSIS lacks \(names) of \(command.name)")
            }
        }
        #expect(Self.mentions(others, "--generate-completion-script"))
    }

    @Test(.enabled(if: ReportCLI.binary != nil, "needs the built flowrun"))
    func everyDocumentedOptionIsAccepted() throws {
        let accepted = Set(try Self.commands().flatMap { $0.options.flatMap { $0 } } + ["--generate-completion-script"])
        let page = try Self.page()
        let documented = Set(page.matches(of: /Fl (-?[a-z][a-z-]*)/).map { "-" + String($0.output.1) })
        #expect(documented.subtracting(accepted).isEmpty, "documented but not accepted: \(documented.subtracting(accepted).sorted())")
    }
}
