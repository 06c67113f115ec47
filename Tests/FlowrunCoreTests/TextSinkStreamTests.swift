import Synchronization
import Testing
@testable import FlowrunCore

@Suite struct TextSinkStreamTests {
    final class Writes: TextSink {
        let all = Mutex<[String]>([])
        func write(_ text: String) { all.withLock { $0.append(text) } }
    }

    @Test func writesWholeLinesInChunksAndTheRestAtTheEnd() {
        let sink = Writes()
        var stream = TextSinkStream(sink)
        var expected = ""
        for index in 0..<20_000 {
            // A line in two pieces: no chunk may end between them.
            stream.write("line \(index)")
            stream.write(" end\n")
            expected += "line \(index) end\n"
        }
        let beforeFinish = sink.all.withLock { $0.count }
        stream.finish()
        let writes = sink.all.withLock { $0 }
        #expect(beforeFinish > 1)
        #expect(writes.count == beforeFinish + 1)
        #expect(writes.allSatisfy { $0.hasSuffix("\n") })
        #expect(writes.dropLast().allSatisfy { $0.utf8.count >= TextSinkStream.chunkSize && $0.utf8.count < TextSinkStream.chunkSize + 64 })
        #expect(writes.joined() == expected)
    }
}
