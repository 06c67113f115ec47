import Foundation
import Testing
@testable import FlowrunCore

@Suite struct StateFingerprintTests {
    @Test func sha256MatchesTheKnownDigests() {
        #expect(SHA256Stream.digest([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Stream.digest(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let stream = SHA256Stream()
        stream.update("a")
        stream.update("bc")
        #expect(stream.finish().hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    static let base = FingerprintInput(
        action: ["run", "make all"], shell: ["sh", "-e", "-c"],
        environment: [("A", "1"), ("B", "2")], workingDirectory: "/w",
        sources: [.init(path: "a.c", digest: SHA256Stream.digest([1])), .init(path: "b.c", digest: SHA256Stream.digest([2]))])

    @Test func orderOfEnvironmentAndSourcesDoesNotMatter() {
        var shuffled = Self.base
        shuffled.environment.reverse()
        shuffled.sources.reverse()
        #expect(Fingerprint(shuffled) == Fingerprint(Self.base))
    }

    @Test func aLaterDuplicateEnvEntryWins() {
        var doubled = Self.base
        doubled.environment = [("A", "0"), ("B", "2"), ("A", "1")]
        #expect(Fingerprint(doubled) == Fingerprint(Self.base))
    }

    /// The value in the table is what every process computes for `base`: a change
    /// of encoding must be deliberate (and bump `encodingVersion`).
    @Test func isStableAcrossProcesses() {
        #expect(Fingerprint(Self.base).hex == Self.pinned)
    }

    static let pinned = "d2fccccbdd7c841dc0fcd0712fe18cfd7475439db7ec4dc0c767779eadc50d57"

    @Test(arguments: [
        "action", "split words", "shell", "env value", "env name", "directory", "source path", "source bytes", "source added",
    ])
    func everyPartChangesIt(_ change: String) {
        var input = Self.base
        switch change {
        case "action": input.action = ["run", "make al"]
        case "split words": input.action = ["run", "make", "all"]
        case "shell": input.shell = ["bash", "-e", "-c"]
        case "env value": input.environment[0].value = "3"
        case "env name": input.environment[0].name = "C"
        case "directory": input.workingDirectory = "/w/x"
        case "source path": input.sources[0].path = "c.c"
        case "source bytes": input.sources[0].digest = SHA256Stream.digest([9])
        default: input.sources.append(.init(path: "d.c", digest: SHA256Stream.digest([])))
        }
        #expect(Fingerprint(input) != Fingerprint(Self.base))
    }
}

@Suite struct GlobTests {
    @Test(arguments: [
        ("*.c", "main.c", true), ("*.c", "src/main.c", false), ("**/*.c", "src/a/main.c", true),
        ("**/*.c", "main.c", true), ("src/**", "src/a/b", true), ("src/**/x", "src/x", true),
        ("?.c", "a.c", true), ("?.c", "ab.c", false), ("[abc].c", "b.c", true), ("[!abc].c", "b.c", false),
        ("[a-c]x", "bx", true), ("*", ".hidden", false), (".*", ".hidden", true), ("**/*.c", ".git/a.c", false),
        ("a\\*b", "a*b", true), ("a\\*b", "axb", false), ("*a*b*c*", "xaxbxcx", true), ("*.tar.gz", "x.tar.gz", true),
        ("[", "[", true), ("./a/./b", "a/b", true),
    ])
    func matches(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(GlobPattern(pattern).matches(path: path) == expected, "\(pattern) ~ \(path)")
    }

    @Test func manyStarsStayFast() {
        let name = String(repeating: "a", count: 5000)
        let clock = ContinuousClock()
        let took = clock.measure { #expect(!GlobPattern(String(repeating: "*a", count: 50) + "b").matches(path: name)) }
        #expect(took < .seconds(1))
    }

    @Test func expandFindsFilesUnderTheFolder() throws {
        let dir = try StateScratch()
        try dir.write("src/a.c", "a")
        try dir.write("src/sub/b.c", "b")
        try dir.write("src/sub/b.h", "h")
        try dir.write("src/.hidden/c.c", "c")
        try dir.write("top.c", "t")
        let found = GlobExpander().expand([GlobPattern("src/**/*.c"), GlobPattern("top.c"), GlobPattern("missing.c")],
                                          in: dir.path, filesOnly: true).map(\.path)
        #expect(found == ["src/a.c", "src/sub/b.c", "top.c"])
        let folders = GlobExpander().expand([GlobPattern("src/*")], in: dir.path, filesOnly: false).map(\.path)
        #expect(folders == ["src/a.c", "src/sub"])
    }
}

/// A temporary folder, removed when the value goes.
final class StateScratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "flowrun-state-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ relative: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path + "/" + relative))).map { String(decoding: $0, as: UTF8.self) }
    }
}
