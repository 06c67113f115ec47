import Foundation
import FlowrunTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Reliability {
    /// Issue 6, hostile input: each file is refused with exit 2 and a
    /// `file:line:col` diagnostic, fast (< 200 ms) and small (< 50 MB peak RSS),
    /// without a crash; the few that are valid (CRLF, BOM) are accepted with
    /// correct line numbers; control characters in commands are escaped when echoed.
    @Suite
    struct HostileInputTests {
        /// A hostile file and where its first error must point (nil: any location).
        struct Hostile: CustomTestStringConvertible, Sendable {
            var name: String
            var bytes: [UInt8]
            var line: Int?
            var column: Int?
            var testDescription: String { name }

            init(_ name: String, _ text: String, at line: Int? = nil, _ column: Int? = nil) {
                self.init(name, bytes: Array(text.utf8), at: line, column)
            }

            init(_ name: String, bytes: [UInt8], at line: Int? = nil, _ column: Int? = nil) {
                self.name = name
                self.bytes = bytes
                self.line = line
                self.column = column
            }
        }

        static func timeout(_ value: String) -> String {
            "stages:\n  - name: a\n    tasks:\n      - run: echo hi\n        timeout: \(value)\n"
        }

        static let cases: [Hostile] = [
            Hostile("multi-document stream", "stages:\n  - name: a\n    tasks: [echo a]\n---\nstages: []\n", at: 4, 1),
            Hostile("merge key", "stages:\n  - name: a\n    tasks:\n      - &t {run: echo}\n      - <<: *t\n", at: 5, 9),
            Hostile("tag !!str", "stages:\n  - name: !!str a\n    tasks: [echo a]\n", at: 2, 11),
            Hostile("local tag", "stages:\n  - name: a\n    tasks:\n      - run: !shell echo\n", at: 4, 14),
            Hostile("timeout -1", timeout("-1"), at: 5, 18),
            Hostile("timeout 0", timeout("0"), at: 5, 18),
            Hostile("timeout 1e309", timeout("1e309"), at: 5, 18),
            Hostile("timeout .nan", timeout(".nan"), at: 5, 18),
            Hostile("timeout .inf", timeout(".inf"), at: 5, 18),
            Hostile("timeout 20 digits", timeout("99999999999999999999"), at: 5, 18),
            Hostile("timeout -20 digits", timeout("-99999999999999999999"), at: 5, 18),
            Hostile("bidi override in a name", "stages:\n  - name: \"a\\u202Eb\"\n    tasks: [echo a]\n", at: 2, 11),
            Hostile("ANSI escape in a name", "stages:\n  - name: \"a\\e[31mb\"\n    tasks: [echo a]\n", at: 2, 11),
            Hostile("raw ESC in a command", "stages:\n  - name: a\n    tasks: [\"echo \u{1B}[2J\"]\n", at: 3),
            Hostile("CRLF with an unknown key", "stages:\r\n  - name: a\r\n    tasks:\r\n      - run: echo\r\n        bogus: 1\r\n",
                    at: 5, 9),
            Hostile("tab indentation", "stages:\n\t- name: a\n", at: 2),
            Hostile("billion laughs", """
                a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
                d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
                f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
                g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
                stages: *g

                """),
            Hostile("deep nesting", String(repeating: "[", count: 100_000)),
            Hostile("duplicate keys", "stages:\n  - name: a\n    tasks: [echo]\nstages: []\n", at: 4, 1),
            Hostile("NUL byte", bytes: Array("stages:\n  - name: a\u{0}\n".utf8), at: 2),
            Hostile("invalid UTF-8", bytes: Array("stages:\n  - name: ".utf8) + [0xC3, 0x28, 0x0A], at: 2),
            Hostile("empty file", "", at: 1, 1),
            Hostile("only a comment", "# nothing here\n", at: 1),
            Hostile("a scalar document", "just text\n", at: 1, 1),
            // Found by fuzzing: the message quoted the key with its bidi override raw.
            Hostile("bidi override in an unknown key", "vers\u{202E}ion: 1\nstages: [[echo]]\n", at: 1, 1),
            // Found by fuzzing: the error's column was counted in the folded text, past the line's end.
            // It is now located exactly, at the `${{` on line 6, column 11.
            Hostile("bad template in a folded scalar",
                    "stages:\n  - name: a\n    tasks:\n      - run: >-\n          echo\n          ${{ nope }\n", at: 6, 11),
        ]

        private func expectRefused(
            _ run: Launched, path: String, line: Int?, column: Int?, sourceLocation: SourceLocation = #_sourceLocation
        ) async throws {
            let ending = try #require(await run.wait(atMost: .seconds(10)), sourceLocation: sourceLocation)
            let stderr = run.stderr
            #expect(ending.status == 2, "\(ending)\n\(stderr.prefix(400))", sourceLocation: sourceLocation)
            // The bound is on the work done (CPU time), which other load cannot inflate;
            // the wall clock only guards against a hang or a blocking read.
            #expect(ending.cpuTime < .milliseconds(200), "\(ending)", sourceLocation: sourceLocation)
            #expect(ending.elapsed < .seconds(2), "\(ending)", sourceLocation: sourceLocation)
            #expect(ending.maxRSS < 50 << 20, "peak RSS \(ending.maxRSS >> 20) MB", sourceLocation: sourceLocation)
            #expect(stderr.utf8.count < 64 << 10, "\(stderr.utf8.count) bytes of diagnostics", sourceLocation: sourceLocation)
            let first = stderr.split(separator: "\n").first.map(String.init) ?? ""
            let prefix = "\(path):"
            #expect(first.hasPrefix(prefix), "\(first)", sourceLocation: sourceLocation)
            let position = first.dropFirst(prefix.count).split(separator: ":", maxSplits: 2)
            let foundLine = position.count > 0 ? Int(position[0]) : nil
            let foundColumn = position.count > 1 ? Int(position[1]) : nil
            #expect(foundLine != nil && foundColumn != nil, "no line:col in \(first)", sourceLocation: sourceLocation)
            if let line { #expect(foundLine == line, "\(first)", sourceLocation: sourceLocation) }
            if let column { #expect(foundColumn == column, "\(first)", sourceLocation: sourceLocation) }
            // Whatever the file held, the diagnostics echo no raw control or bidi characters.
            let unsafe = stderr.unicodeScalars.filter {
                ($0.value < 0x20 && $0.value != 0x0A) || $0.value == 0x7F || (0x202A...0x202E).contains($0.value)
            }
            #expect(unsafe.isEmpty, "raw control characters in diagnostics", sourceLocation: sourceLocation)
        }

        @Test("hostile files: exit 2, file:line:col, < 200 ms, < 50 MB", arguments: cases)
        func refused(_ hostile: Hostile) async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", bytes: hostile.bytes)
            for command in ["validate", "run"] {
                let run = try Launched([command, file], in: scratch)
                try await expectRefused(run, path: file, line: hostile.line, column: hostile.column)
            }
        }

        @Test("JSON hostile files: exit 2 with a location", arguments: [
            Hostile("deep JSON", String(repeating: "[", count: 100_000)),
            Hostile("lone surrogate", "{\"stages\": [{\"name\": \"\\ud800\", \"tasks\": [\"echo\"]}]}", at: 1),
            Hostile("duplicate JSON key", "{\"stages\": [[\"echo\"]],\n \"stages\": [[\"echo\"]]}", at: 2, 2),
            Hostile("huge JSON number", "{\"stages\": [{\"name\": \"a\", \"tasks\": [{\"run\": \"x\", \"timeout\": 1e99999}]}]}", at: 1),
            Hostile("trailing garbage", "{\"stages\": []} x", at: 1),
            // Found by fuzzing: "unexpected `\u{7F}`" quoted the DEL raw.
            Hostile("DEL in JSON", bytes: [0x7F], at: 1, 1),
            Hostile("bidi override in JSON", "\u{202E}", at: 1, 1),
        ])
        func refusedJSON(_ hostile: Hostile) async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.json", bytes: hostile.bytes)
            let run = try Launched(["validate", file], in: scratch)
            try await expectRefused(run, path: file, line: hostile.line, column: hostile.column)
        }

        @Test("17 MB file (the start of 100,000 tasks with 1 MB names): refused by the size cap at once")
        func oversizedFile() async throws {
            let scratch = try TemporaryFolder()
            var text = "stages:\n  - name: a\n    tasks:\n"
            let name = String(repeating: "n", count: 1 << 20)
            for index in 0..<17 { text += "      - name: \(name)\(index)\n        run: echo\n" }
            let file = try scratch.write("w.yaml", text)
            try await expectRefused(try Launched(["validate", file], in: scratch), path: file, line: 1, column: 1)
        }

        @Test("a 1 MB task name: refused at its position, the echo cut short")
        func oneHugeName() async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write(
                "w.yaml", "stages:\n  - name: a\n    tasks:\n      - name: \(String(repeating: "n", count: 1 << 20))\n        run: echo\n")
            try await expectRefused(try Launched(["validate", file], in: scratch), path: file, line: 4, column: 15)
        }

        @Test("a workflow that is a FIFO, a directory or /dev/zero (also on stdin)")
        func notRegularFiles() async throws {
            let scratch = try TemporaryFolder()
            let fifo = scratch.file("fifo.yaml")
            try #require(mkfifo(fifo, 0o644) == 0)
            let folder = scratch.file("folder.yaml")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            for path in [fifo, folder, "/dev/zero"] {
                for command in ["validate", "run", "plan"] {
                    try await expectRefused(try Launched([command, path], in: scratch), path: path, line: 1, column: 1)
                }
            }
            let piped = try Launched(["validate", "-"], in: scratch, stdin: "/dev/zero")
            try await expectRefused(piped, path: "<stdin>", line: 1, column: 1)
        }

        @Test("CRLF and a BOM are accepted")
        func acceptedEncodings() async throws {
            let scratch = try TemporaryFolder()
            let crlf = try scratch.write("crlf.yaml", "stages:\r\n  - name: a\r\n    tasks:\r\n      - run: echo crlf\r\n")
            let bom = try scratch.write("bom.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array("stages:\n  - name: a\n    tasks: [echo bom]\n".utf8))
            for (file, word) in [(crlf, "crlf"), (bom, "bom")] {
                let run = try Launched(["run", file], in: scratch)
                let ending = try #require(await run.wait())
                #expect(ending.status == 0, "\(file): \(ending)\n\(run.stderr)")
                // The command has no stray \r: the result is exactly the word.
                #expect(run.stdout.contains("result: ('\(word)',)"), "\(run.stdout)")
            }
        }

        @Test("control and bidi characters in a command are escaped in plan and dry-run output", arguments: [
            ["plan"], ["plan", "--format", "json"], ["plan", "--format", "dot"], ["plan", "--format", "mermaid"],
            ["run", "--dry-run"],
        ])
        func escapedWhenEchoed(_ command: [String]) async throws {
            let scratch = try TemporaryFolder()
            let file = try scratch.write("w.yaml", """
                stages:
                  - name: a
                    description: "desc \\e]0;title\\a"
                    tasks:
                      - run: "printf '\\e[2J\\e[31m red \\u202E reversed'"

                """)
            let run = try Launched([command[0], file] + command.dropFirst(), in: scratch)
            let ending = try #require(await run.wait())
            #expect(ending.status == 0, "\(ending)\n\(run.stderr)")
            let output = run.stdout + run.stderr
            let unsafe = output.unicodeScalars.filter {
                ($0.value < 0x20 && $0.value != 0x0A && $0.value != 0x09) || $0.value == 0x7F
                    || (0x202A...0x202E).contains($0.value)
            }
            #expect(unsafe.isEmpty, "raw control characters: \(unsafe.map { String($0.value, radix: 16) })\n\(output)")
        }
    }
}
