// stdout is a mutable C global; reading the pointer once here is safe (the
// command runs on one thread when it flushes).
@preconcurrency import Glibc
import SimfundCore

/// Standard output, whose write errors (a full disk, a device error) are
/// reported instead of ignored. `print` writes through the same C stream, so
/// ``finish()`` also catches the errors of earlier prints.
enum StandardOutput {
    /// Writes `text` (and a newline unless told otherwise); a failed write is an output failure.
    static func write(_ text: String, terminator: String = "\n") throws(SimfundError) {
        fputs(text + terminator, stdout)
        if ferror(stdout) != 0 {
            throw SimfundError(.outputFailure, "Cannot write to standard output: \(systemErrorText(errno)).")
        }
    }

    /// Flushes standard output; a failed write, now or earlier, is an output failure.
    static func finish() throws(SimfundError) {
        let flushed = fflush(stdout) == 0
        let number = errno
        guard flushed, ferror(stdout) == 0 else {
            // glibc keeps the error flag but not the errno of an earlier failed write.
            let reason = flushed ? "a write failed" : systemErrorText(number)
            throw SimfundError(.outputFailure, "Cannot write to standard output: \(reason).")
        }
    }
}
