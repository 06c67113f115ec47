import Testing
@testable import FlowrunCore
@Test func versionIsSet() { #expect(!FlowrunVersion.string.isEmpty) }
