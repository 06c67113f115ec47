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
    /// One signal as the trap reads it: which, in which read (`batch`), when.
    struct Signal: Sendable {
        var number: Int32
        var batch: Int
        var milliseconds: Int

        static func int(_ batch: Int, at milliseconds: Int) -> Signal { Signal(number: SIGINT, batch: batch, milliseconds: milliseconds) }
        static func term(_ batch: Int, at milliseconds: Int) -> Signal { Signal(number: SIGTERM, batch: batch, milliseconds: milliseconds) }
        static func hup(_ batch: Int, at milliseconds: Int) -> Signal { Signal(number: SIGHUP, batch: batch, milliseconds: milliseconds) }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var signals: [Signal]
        var actions: [InterruptSequence.Action]
        var testDescription: String { name }

        init(_ name: String, _ signals: [Signal], _ actions: [InterruptSequence.Action]) {
            (self.name, self.signals, self.actions) = (name, signals, actions)
        }
    }

    static let cases: [Case] = [
        Case("timeout -s INT: child then group, one read", [.int(1, at: 0), .int(1, at: 0)], [.stop(SIGINT), .ignore]),
        Case("the second came while the first was being handled: the drain read",
             [.int(1, at: 0), .int(2, at: 1)], [.stop(SIGINT), .ignore]),
        Case("pressed again after the stopping message", [.int(1, at: 0), .int(3, at: 40)], [.stop(SIGINT), .killNow]),
        Case("300 ms later, even in one read", [.int(1, at: 0), .int(2, at: 300)], [.stop(SIGINT), .killNow]),
        Case("299 ms later in the drain read", [.int(1, at: 0), .int(2, at: 299)], [.stop(SIGINT), .ignore]),
        Case("SIGTERM then SIGINT later: the SIGINT kills", [.term(1, at: 0), .int(4, at: 500)], [.stop(SIGTERM), .killNow]),
        Case("a repeated SIGTERM or SIGHUP never kills; it ends the clean-up stages",
             [.term(1, at: 0), .term(5, at: 900), .hup(6, at: 1000)], [.stop(SIGTERM), .endCleanup, .endCleanup]),
        Case("timeout -s TERM: two SIGTERMs together count as one", [.term(1, at: 0), .term(1, at: 0)], [.stop(SIGTERM), .ignore]),
        Case("a burst: together ignored, the later one kills",
             [.int(1, at: 0), .int(1, at: 0), .int(2, at: 2), .int(7, at: 800)], [.stop(SIGINT), .ignore, .ignore, .killNow]),
    ]

    @Test(arguments: cases)
    func actions(_ c: Case) {
        var sequence = InterruptSequence()
        let actions = c.signals.map { sequence.receive($0.number, batch: $0.batch, at: .milliseconds($0.milliseconds)) }
        #expect(actions == c.actions)
        #expect(sequence.first == c.signals.first?.number)
    }
}
