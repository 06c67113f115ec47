import FlowrunTestSupport
import Testing

/// `flowrun FILE ...` is `flowrun run FILE ...`; command names and the root's
/// own options are not taken for a workflow (flowrun routes them itself, not
/// through ArgumentParser's default subcommand: see `Flowrun.routed`).
@Suite struct CommandRoutingTests {
    private let workflow = "stages:\n  - name: s\n    tasks:\n      - name: t\n        run: echo routed\n"

    @Test func aWorkflowFirstRunsIt() async throws {
        let output = try await CLI("w.yaml", "--output", "quiet").file("w.yaml", workflow).run()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("result: ('routed',)"), "\(output.stdout)")
    }

    @Test func optionsBeforeTheWorkflowGoToRunToo() async throws {
        let output = try await CLI("--jobs", "1", "w.yaml", "--dry-run").file("w.yaml", workflow).run()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("plan: "), "\(output.stdout)")
    }

    @Test func commandNamesAndRootOptionsAreNotWorkflows() async throws {
        let validate = try await CLI("validate", "w.yaml").file("w.yaml", workflow).run()
        #expect(validate.status == 0)
        #expect(validate.stdout.contains("w.yaml: ok"), "\(validate.stdout)")
        let version = try await CLI("--version").run()
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty && !version.stdout.contains("Error"), "\(version.stdout)")
        let help = try await CLI("help", "validate").run()
        #expect(help.stdout.contains("Check workflow files"), "\(help.stdout)")
        let rootHelp = try await CLI("--help").run()
        #expect(rootHelp.stdout.contains("`flowrun FILE ...` is `flowrun") && rootHelp.stdout.contains("SUBCOMMANDS"), "\(rootHelp.stdout)")
    }

    @Test func nothingAtAllIsAUsageErrorWithTheCommands() async throws {
        let output = try await CLI().run()
        #expect(output.status == 64)
        #expect(output.stderr.contains("Missing expected argument '<workflow>'"), "\(output.stderr)")
        #expect(output.stderr.contains("validate"), "\(output.stderr)")
    }
}

/// Without a loadable libcrypto there is no SHA-256 for fingerprints: the run
/// warns and goes on without its state folder, and `plan` without its marks.
@Suite struct MissingDigestTests {
    private let workflow = "stages:\n  - name: s\n    tasks:\n      - name: t\n        run: echo fine\n"

    @Test func aRunWarnsAndGoesOnWithoutState() async throws {
        let output = try await CLI("run", "w.yaml", "--output", "quiet").file("w.yaml", workflow)
            .environment("FLOWRUN_LIBCRYPTO", "/nonexistent/libcrypto.so").run()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("result: ('fine',)"), "\(output.stdout)")
        #expect(output.stderr.contains("warning: cannot load the libcrypto that FLOWRUN_LIBCRYPTO names"), "\(output.stderr)")
        #expect(output.stderr.contains("running without state"), "\(output.stderr)")
    }

    @Test func planWarnsAndShowsThePlan() async throws {
        let output = try await CLI("plan", "w.yaml").file("w.yaml", workflow)
            .environment("FLOWRUN_LIBCRYPTO", "/nonexistent/libcrypto.so").run()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("stage 1/1 s"), "\(output.stdout)")
        #expect(output.stderr.contains("running without state"), "\(output.stderr)")
    }
}
