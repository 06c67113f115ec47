import Foundation
import FlowrunTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reliability battery of issue 6. One serialized suite, so that its
/// timing bounds do not compete with each other for the CPU.
@Suite(.serialized)
enum Reliability {}

/// Seconds as a `Double`, for readable comparisons.
extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// The parsed `--format json` report.
struct JSONRun {
    let object: [String: Any]

    init?(_ text: String) {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        self.object = object
    }

    var exitCode: Int? { object["exitCode"] as? Int }
    var tasks: [[String: Any]] { object["tasks"] as? [[String: Any]] ?? [] }

    func task(_ name: String) -> [String: Any]? { tasks.first { $0["name"] as? String == name } }
}
