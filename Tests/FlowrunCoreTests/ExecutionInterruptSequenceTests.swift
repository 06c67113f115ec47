#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import FlowrunCore

/// Which signals stop, kill or are ignored (issue 9.4), without sending any.
@Suite("Interrupt sequence")
struct ExecutionInterruptSequenceTests {
    struct Signal: Sendable {
        var number: Int32
        var batch: Int
        var milliseconds: Int
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var signals: [Signal]
        var actions: [InterruptSequence.Action]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "timeout -s INT: child then group, one read",
             signals: [Signal(number: SIGINT, batch: 1, milliseconds: 0), Signal(number: SIGINT, batch: 1, milliseconds: 0)],
             actions: [.stop(SIGINT), .ignore]),
        Case(name: "the second came while the first was being handled: the drain read",
             signals: [Signal(number: SIGINT, batch: 1, milliseconds: 0), Signal(number: SIGINT, batch: 2, milliseconds: 1)],
             actions: [.stop(SIGINT), .ignore]),
        Case(name: "pressed again after the stopping message",
             signals: [Signal(number: SIGINT, batch: 1, milliseconds: 0), Signal(number: SIGINT, batch: 3, milliseconds: 40)],
             actions: [.stop(SIGINT), .killNow]),
        Case(name: "300 ms later, even in one read",
             signals: [Signal(number: SIGINT, batch: 1, milliseconds: 0), Signal(number: SIGINT, batch: 2, milliseconds: 300)],
             actions: [.stop(SIGINT), .killNow]),
        Case(name: "299 ms later in the drain read",
             signals: [Signal(number: SIGINT, batch: 1, milliseconds: 0), Signal(number: SIGINT, batch: 2, milliseconds: 299)],
             actions: [.stop(SIGINT), .ignore]),
        Case(name: "SIGTERM then SIGINT later: the SIGINT kills",
             signals: [Signal(number: SIGTERM, batch: 1, milliseconds: 0), Signal(number: SIGINT, batch: 4, milliseconds: 500)],
             actions: [.stop(SIGTERM), .killNow]),
        Case(name: "a repeated SIGTERM or SIGHUP never kills; it ends the clean-up stages",
             signals: [Signal(number: SIGTERM, batch: 1, milliseconds: 0), Signal(number: SIGTERM, batch: 5, milliseconds: 900),
                       Signal(number: SIGHUP, batch: 6, milliseconds: 1000)],
             actions: [.stop(SIGTERM), .endCleanup, .endCleanup]),
        Case(name: "timeout -s TERM: two SIGTERMs together count as one",
             signals: [Signal(number: SIGTERM, batch: 1, milliseconds: 0), Signal(number: SIGTERM, batch: 1, milliseconds: 0)],
             actions: [.stop(SIGTERM), .ignore]),
        Case(name: "a burst: together ignored, the later one kills",
             signals: [Signal(number: SIGINT, batch: 1, milliseconds: 0), Signal(number: SIGINT, batch: 1, milliseconds: 0),
                       Signal(number: SIGINT, batch: 2, milliseconds: 2), Signal(number: SIGINT, batch: 7, milliseconds: 800)],
             actions: [.stop(SIGINT), .ignore, .ignore, .killNow]),
    ]

    @Test(arguments: cases)
    func actions(_ c: Case) {
        var sequence = InterruptSequence()
        let actions = c.signals.map { sequence.receive($0.number, batch: $0.batch, at: .milliseconds($0.milliseconds)) }
        #expect(actions == c.actions)
        #expect(sequence.first == c.signals.first?.number)
    }
}
