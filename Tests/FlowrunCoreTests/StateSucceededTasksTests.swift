import Testing
@testable import FlowrunCore

/// The run's successes for `--resume`: a list in the order recorded, written
/// once per name (the last entry wins) in UTF-8 byte order, digests inline.
@Suite struct StateSucceededTasksTests {
    let one = Fingerprint(FingerprintInput(action: ["sleep", "1"], workingDirectory: "/"))
    let two = Fingerprint(FingerprintInput(action: ["sleep", "2"], workingDirectory: "/"))

    @Test func eachNameOnceTheLastEntryWinsInByteOrder() {
        var tasks = SucceededTasks(expected: 4)
        tasks.record(.init(name: "s/b", fingerprint: one))
        tasks.record(.init(name: "s/\u{E9}", fingerprint: one))
        tasks.record(.init(name: "s/B", fingerprint: one))
        tasks.record(.init(name: "s/b", fingerprint: two, outputs: ["k": "v"]))
        var seen: [SucceededTasks.Entry] = []
        tasks.forEachByName { seen.append($0) }
        #expect(seen.map(\.name) == ["s/B", "s/b", "s/\u{E9}"])
        #expect(seen[1].fingerprint == two && seen[1].outputs == ["k": "v"])
        let file = LastRunFile.json(["s/b": LastRunTask(fingerprint: two, result: "r", outputs: ["k": "v"])])
        #expect(file == "{\n  \"format\": 1,\n  \"tasks\": {\n    \"s/b\": {\"fingerprint\": \"\(two.hex)\", \"outputs\": {\"k\": \"v\"}}\n  }\n}\n")
    }

    @Test func byteOrderIsTheOrderOfTheUTF8Bytes() {
        let names = ["", "a", "ab", "a\u{0}", "B", "\u{E9}", "e\u{301}", "z", "zz", String(repeating: "x", count: 40), "x"]
        for a in names {
            for b in names {
                #expect(Fingerprint.byteOrder(a, b) == Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)), "\(a) < \(b)")
            }
        }
    }

    @Test func aDigestIsHeldInlineAndReadsBackItsBytes() {
        #expect(MemoryLayout<SHA256Digest>.size == 32)
        let digest = SHA256Stream.digest(Array("abc".utf8))
        #expect(SHA256Digest(bytes: digest.bytes) == digest)
        #expect(SHA256Digest(hex: digest.hex) == digest)
        #expect(digest.bytes.prefix(4) == [0xBA, 0x78, 0x16, 0xBF])
        #expect(SHA256Digest(hex: digest.hex.uppercased()) == digest && SHA256Digest(bytes: [1, 2]) == nil)
        #expect(Set([digest, SHA256Stream.digest([])]).count == 2)
    }
}
