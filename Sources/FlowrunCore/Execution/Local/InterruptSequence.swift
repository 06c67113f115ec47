#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What each signal of a run means: the first stops the run (SIGTERM to the
/// tasks, SIGKILL after the grace; then the clean-up stages run); a later
/// SIGINT kills at once and ends the clean-up, a later SIGTERM or SIGHUP ends
/// the clean-up with the grace, but only once the first was acknowledged (issue 9.4).
///
/// coreutils `timeout -s INT` signals its child and then its own process
/// group, so flowrun gets two SIGINTs microseconds apart; the second must not
/// skip the grace. A second SIGINT counts when it came at least
/// `acknowledgementDelay` after the first, or after flowrun said it is
/// stopping. Signals arrive as bytes on a pipe, read in batches; the
/// handler says "stopping" while it handles the first, so a signal read in
/// the same batch, or by the first read after that handling (which drains
/// what came meanwhile), came together with the first. Pure, so the rule is
/// tested without signals.
struct InterruptSequence: Sendable {
    /// What to do with one signal.
    enum Action: Sendable, Equatable {
        /// The first signal: stop the run.
        case stop(Int32)
        /// An acknowledged second SIGINT: kill every task now, and end the clean-up stages.
        case killNow
        /// An acknowledged second SIGTERM or SIGHUP: end the clean-up stages (their tasks get the grace).
        case endCleanup
        /// A signal that came with the first.
        case ignore
    }

    /// A second SIGINT this long after the first kills, whatever the batches say.
    static let acknowledgementDelay: Duration = .milliseconds(300)

    private(set) var first: Int32?
    private var firstBatch = 0
    private var firstAt = Duration.zero

    /// - Parameters:
    ///   - batch: the number of the pipe read that delivered the signal, counting every read (empty ones too).
    ///   - time: when it was handled, on any clock that does not jump.
    mutating func receive(_ number: Int32, batch: Int, at time: Duration) -> Action {
        guard first != nil else {
            first = number
            firstBatch = batch
            firstAt = time
            return .stop(number)
        }
        let afterAcknowledgement = batch >= firstBatch + 2 || time - firstAt >= Self.acknowledgementDelay
        guard afterAcknowledgement else { return .ignore }
        return number == SIGINT ? .killNow : .endCleanup
    }
}
