// swift-tools-version: 6.2
import PackageDescription

// Dependencies are few on purpose:
// - libyaml (system) gives YAML *events*; flowrun builds its own located nodes
//   from them so it, not a library, decides the limits on aliases, depth and size.
// - swift-argument-parser for the command line.
// - swift-subprocess for child processes, without its Foundation trait so that
//   the binary starts without loading Foundation.
let package = Package(
    name: "flowrun",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "flowrun", targets: ["flowrun"]),
        .library(name: "FlowrunCore", targets: ["FlowrunCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // SHA-256 for task fingerprints, from the system's libcrypto (OpenSSL),
        // as libyaml is used: swift-crypto would build BoringSSL from source,
        // which costs more than the rest of flowrun's clean build (see issue 11's commit).
        .systemLibrary(
            name: "CLibcrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        // prctl(PR_SET_CHILD_SUBREAPER) for ChildSubreaper: prctl is variadic,
        // so Swift needs a one-line C wrapper.
        .target(name: "CFlowrunShims"),
        .target(
            name: "FlowrunCore",
            dependencies: [
                "CYAML",
                "CFlowrunShims",
                "CLibcrypto",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        .executableTarget(
            name: "flowrun",
            dependencies: [
                "FlowrunCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "FlowrunCoreTests",
            dependencies: ["FlowrunCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FlowrunEndToEndTests",
            // CFlowrunShims: the reliability tests make themselves a subreaper (see Launched).
            dependencies: ["FlowrunCore", "CFlowrunShims"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
