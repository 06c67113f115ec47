import Testing
@testable import FlowrunCore

/// The registry the CLI's signal handling drives.
@Suite("ProcessGroupRegistry") struct ExecutionRegistryTests {
    /// First signal: TERM with a long grace; second SIGINT: KILL everything at once.
    @Test func killAllSkipsTheGrace() async {
        let registry = ProcessGroupRegistry()
        let runner = ProcessRunner(registry: registry)
        let marker = Descendants.newMarker()
        let collector = LineCollector()
        let request = shell("trap '' TERM; sleep 100 & echo up; wait", marker: marker, grace: .seconds(30))
        let attempt = Task { await runner.run(request, onLines: collector.onLines) }
        while collector.lines(.stdout).isEmpty { try? await Task.sleep(for: .milliseconds(5)) }
        #expect(registry.liveCount == 1)
        registry.terminateAll(grace: .seconds(30))
        let escalated = ContinuousClock.now
        registry.killAll()
        let outcome = await attempt.value
        #expect(outcome.termination == .signaled(9))
        #expect(ContinuousClock.now - escalated < .milliseconds(500))
        #expect(registry.liveCount == 0)
        #expect(await Descendants.awaitNone(marker: marker).isEmpty)
    }

    /// A task spawned after the interrupt began does not survive it.
    @Test func groupRegisteredAfterKillAllIsKilledAtOnce() async {
        let registry = ProcessGroupRegistry()
        registry.killAll()
        let marker = Descendants.newMarker()
        let outcome = await ProcessRunner(registry: registry).run(shell("sleep 100", marker: marker), onLines: { _, _ in })
        #expect(outcome.termination == .signaled(9))
        #expect(registry.liveCount == 0)
        #expect(await Descendants.awaitNone(marker: marker).isEmpty)
    }
}
