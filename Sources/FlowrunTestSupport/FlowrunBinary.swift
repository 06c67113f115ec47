import Foundation
import Testing

/// The built `flowrun` binary, found the same way for every test:
/// `$FLOWRUN_BINARY`, else beside the test bundle (any `--scratch-path`),
/// else `.build*/debug/flowrun` under the package root.
public enum FlowrunBinary {
    /// The package root (the folder holding `Package.swift`).
    public static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    public static let path: String? = {
        let files = FileManager.default
        func isProgram(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return files.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && files.isExecutableFile(atPath: path)
        }
        if let given = ProcessInfo.processInfo.environment["FLOWRUN_BINARY"], isProgram(given) { return given }
        var candidates: [String] = []
        // The test bundle lives in the build products folder, beside the executable.
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        for _ in 0..<4 {
            folder.deleteLastPathComponent()
            candidates.append(folder.appendingPathComponent("flowrun").path)
        }
        for bundle in Bundle.allBundles + [Bundle.main] {
            let beside = URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent()
            candidates.append(beside.appendingPathComponent("flowrun").path)
            candidates.append(beside.deletingLastPathComponent().appendingPathComponent("flowrun").path)
        }
        #if os(Linux)
        if let exe = try? files.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("flowrun").path)
        }
        #endif
        for scratch in [".build", ".build-rel"] { candidates.append(packageRoot + "/\(scratch)/debug/flowrun") }
        return candidates.first(where: isProgram)
    }()

    /// The path, or a recorded failure that says how to get one.
    public static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        guard let path else {
            Issue.record("flowrun binary not found: run `swift build` first, or set FLOWRUN_BINARY", sourceLocation: sourceLocation)
            throw Missing()
        }
        return path
    }

    /// The binary is not built.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "the flowrun binary was not found; run `swift build` or set FLOWRUN_BINARY" }
    }
}
