import Foundation
import Testing
import FlowrunCore

/// Renders the man pages in `man/` and checks that they cover the command
/// line and the file format.
///
/// groff is required (`groff -mandoc -ww -z` must print nothing); mandoc's
/// linter runs too where it is installed.
@Suite struct ManPageTests {
    static let pages = ["flowrun.1", "flowrun-workflow.5"]

    private static func source(_ page: String) throws -> String {
        try String(contentsOf: Checkout.root.appendingPathComponent("man/\(page)"), encoding: .utf8)
    }

    @Test(arguments: pages)
    func groffRendersWithoutWarnings(_ page: String) throws {
        let groff = try #require(ExternalTool.find("groff"), "groff is needed: apt-get install groff")
        let path = Checkout.root.appendingPathComponent("man/\(page)").path
        let output = try groff.run(["-mandoc", "-ww", "-z", path])
        #expect(output.status == 0)
        #expect(output.stderr.isEmpty, "groff -mandoc -ww -z \(page):\n\(output.stderr)")
    }

    @Test(.enabled(if: ExternalTool.find("mandoc") != nil, "mandoc is not installed"), arguments: pages)
    func mandocLintIsClean(_ page: String) throws {
        let mandoc = try #require(ExternalTool.find("mandoc"))
        let path = Checkout.root.appendingPathComponent("man/\(page)").path
        // -W warning: style notes such as "referenced manual not found" for a
        // page that is not installed yet are not failures.
        let output = try mandoc.run(["-T", "lint", "-W", "warning", path])
        #expect(output.status == 0)
        #expect((output.stdout + output.stderr).isEmpty, "mandoc -T lint \(page):\n\(output.stdout)\(output.stderr)")
    }

    @Test(arguments: [
        "NAME", "SYNOPSIS", "DESCRIPTION", "ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO",
    ])
    func commandPageHasSection(_ section: String) throws {
        #expect(try Self.source("flowrun.1").contains("\n.Sh \(section)\n"))
    }

    /// Every subcommand, and every option with its argument or values, of the
    /// contract's Command line section and of the CLI, as an entry (`.It`) of
    /// flowrun.1's command and option lists.
    ///
    /// Once the CLI exists, this table should be checked against
    /// `flowrun --help` (or ArgumentParser's `--experimental-dump-help`) so the
    /// page cannot drift from the parser.
    @Test(arguments: [
        "Cm run Ar workflow", "Cm validate Ar", "Cm plan Ar workflow", "Cm schema",
        "Fl -var Ar name Ns = Ns Ar value", "Fl -jobs Ar n", "Fl -dry-run",
        "Fl -output Cm prefixed | grouped | quiet", "Fl -format Cm text | json",
        "Fl -report Ar file", "Fl -junit Ar file", "Fl -trace Ar file", "Fl -kill-grace Ar duration",
        "Fl -format-in Cm yaml | json", "Fl v , Fl -verbose", "Fl -timeline", "Fl -no-progress",
        "Fl -color Cm auto | always | never",
        "Fl -format Cm text | json | github", "Fl -strict",
        "Fl -format Cm text | json | dot | mermaid",
        "Fl h , Fl -help", "Fl -version", "Fl -generate-completion-script Cm bash | zsh | fish",
    ])
    func commandPageDocuments(_ entry: String) throws {
        let lines = try Self.source("flowrun.1").split(separator: "\n")
        #expect(lines.contains { $0 == ".It \(entry)" }, "flowrun.1 lacks `.It \(entry)`")
    }

    @Test(arguments: ["0", "1", "2", "64", "129", "130", "143"])
    func commandPageListsExitStatus(_ status: String) throws {
        let source = try Self.source("flowrun.1")
        let section = try #require(source.components(separatedBy: ".Sh EXIT STATUS\n").last)
        #expect(section.contains("\n.It \(status)\n"))
    }

    @Test(arguments: ["NO_COLOR", "TERM", "FLOWRUN_WORKFLOW", "FLOWRUN_STAGE", "FLOWRUN_TASK", "FLOWRUN_RUN_ID"])
    func commandPageListsEnvironment(_ name: String) throws {
        #expect(try Self.source("flowrun.1").contains(".It Ev \(name)\n"))
    }

    /// Every key the schema knows is an `.It Ic key` entry of flowrun-workflow.5.
    @Test func formatPageDocumentsEverySchemaKey() throws {
        let schema = try JSONSerialization.jsonObject(with: Data(WorkflowSchema.json.utf8))
        let keys = Self.propertyNames(in: schema)
        #expect(keys.count >= 20, "found \(keys.sorted())")
        let source = try Self.source("flowrun-workflow.5")
        for key in keys.sorted() {
            #expect(source.contains(".It Ic \(key) :"), "flowrun-workflow.5 lacks an entry for \(key)")
        }
    }

    @Test(arguments: [
        "succeeded", "failed", "timed-out", "cancelled", "skipped",  // task states
        "100 alias uses", "64 levels", "1 MiB", "16 MiB", "<<", "duplicate key",  // loader limits
        "$${{", "shell-quoted word", "continue-on-error",  // templates, failure
    ])
    func formatPageMentions(_ text: String) throws {
        #expect(try Self.source("flowrun-workflow.5").contains(text))
    }

    /// The names under every `properties` object of a JSON Schema.
    private static func propertyNames(in node: Any) -> Set<String> {
        var names = Set<String>()
        if let object = node as? [String: Any] {
            if let properties = object["properties"] as? [String: Any] {
                names.formUnion(properties.keys)
            }
            for value in object.values { names.formUnion(propertyNames(in: value)) }
        } else if let array = node as? [Any] {
            for value in array { names.formUnion(propertyNames(in: value)) }
        }
        return names
    }
}
