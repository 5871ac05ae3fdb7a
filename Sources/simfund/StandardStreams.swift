// stdout is a mutable C global; it is read only from the command's own thread.
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

/// Writes to standard error. A failure to write there cannot be reported
/// anywhere, so it is ignored (FileHandle.write would trap on it).
func printError(_ text: String) {
    writeStandardError(text + "\n")
}

/// Writes all of `text` to file descriptor 2 (unbuffered), ignoring failures.
func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return }
        bytes = bytes.dropFirst(written)
    }
}
