import CFlowrunShims
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pseudo-terminal pair: flowrun gets `terminal`, the test holds `controller`.
public enum PseudoTerminal {
    public static func open() -> (controller: CInt, terminal: CInt)? {
        #if os(Linux)
        let controller = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard controller >= 0 else { return nil }
        // posix_openpt/grantpt/ptsname are not in the Glibc module, nor are
        // the _IOW-style macros; these are the asm-generic values (x86_64, arm64).
        let setLock: UInt = 0x4004_5431  // TIOCSPTLCK
        let getNumber: UInt = 0x8004_5430  // TIOCGPTN
        var unlock: CInt = 0
        var number: CUnsignedInt = 0
        guard ioctl(controller, setLock, &unlock) == 0, ioctl(controller, getNumber, &number) == 0 else {
            close(controller)
            return nil
        }
        let terminal = Glibc.open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        #else
        let controller = posix_openpt(O_RDWR | O_NOCTTY)
        guard controller >= 0, grantpt(controller) == 0, unlockpt(controller) == 0, let name = ptsname(controller) else {
            return nil
        }
        let terminal = Darwin.open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        #endif
        guard terminal >= 0 else {
            close(controller)
            return nil
        }
        return (controller, terminal)
    }
}

