// swift-tools-version: 6.2
import PackageDescription

// Dependencies are few on purpose:
// - libyaml (system) gives YAML *events*; flowrun builds its own located nodes
//   from them so it, not a library, decides the limits on aliases, depth and size.
// - swift-argument-parser for the command line.
// Child processes are started by CFlowrunShims' `flowrun_spawn` (clone/vfork
// on Linux, posix_spawn elsewhere) and owned by one event loop thread; see
// Execution/Local/. swift-subprocess was dropped: it forked all of flowrun
// for a session, and its Dispatch-based monitoring was the crash of issue 12.
let package = Package(
    name: "flowrun",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flowrun", targets: ["flowrun"]),
        .library(name: "FlowrunCore", targets: ["FlowrunCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // prctl(PR_SET_CHILD_SUBREAPER) for ChildSubreaper (prctl is variadic),
        // signal forwarding, the spawn of task processes, and SHA-256 for task
        // fingerprints from the system's libcrypto (OpenSSL), opened at the
        // first digest instead of linked: linking it cost every start ~0.6 ms.
        // (swift-crypto would build BoringSSL from source, which costs more
        // than the rest of flowrun's clean build; see issue 11's commit.)
        .target(
            name: "CFlowrunShims",
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
        ),
        .target(
            name: "FlowrunCore",
            dependencies: [
                "CYAML",
                "CFlowrunShims",
            ]
        ),
        .executableTarget(
            name: "flowrun",
            dependencies: [
                "FlowrunCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // One way for every test to run the built binary, launch it for
        // signal tests, and make temporary folders (issue 15.7).
        .target(
            name: "FlowrunTestSupport",
            dependencies: ["CFlowrunShims"]
        ),
        .testTarget(
            name: "FlowrunCoreTests",
            dependencies: ["FlowrunCore", "FlowrunTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FlowrunEndToEndTests",
            // CFlowrunShims: the reliability tests make themselves a subreaper (see Launched).
            dependencies: ["FlowrunCore", "FlowrunTestSupport", "CFlowrunShims"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
