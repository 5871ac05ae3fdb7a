import Foundation

/// The one error type of simfund: every failure that ends a command is a
/// `SimfundError`. Its ``Code`` says what kind of failure it is; the
/// command-line tool maps codes to exit statuses in one place (the root
/// command's `main()`), so no other code chooses an exit status.
public struct SimfundError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. Exit statuses (set by the root command):
    ///
    /// | code | exit status | meaning |
    /// |---|---|---|
    /// | `invalidInput` | 2 | a scenario file, or an output file read back by `report`, is unreadable or invalid |
    /// | `usage` | 64 | a command-line value is wrong or conflicts with another (as ArgumentParser's own usage errors) |
    /// | `interrupted` | 130 | Ctrl-C: the run stopped, nothing new was written |
    /// | `outputFailure` | 1 | an output (file, directory, standard output) cannot be written, or is locked by another run |
    /// | `internalFailure` | 1 | a bug in simfund (for example a GSL error), reported instead of crashing |
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case invalidInput
        case usage
        case interrupted
        case outputFailure
        case internalFailure
    }

    public var code: Code
    /// Full sentences, one per problem; printed one per line on standard error.
    public var lines: [String]
    /// The error this one reports, when it wraps one (kept for callers and tests).
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, lines: [String], underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.lines = lines
        self.underlying = underlying
    }

    public init(_ code: Code, _ description: String, underlying: (any Error & Sendable)? = nil) {
        self.init(code, lines: [description], underlying: underlying)
    }

    public var description: String { lines.joined(separator: "\n") }
}

extension SimfundError {
    /// Every problem of a scenario file, then a closing line with their count.
    public init(_ error: ScenarioError) {
        let count = error.issues.count
        self.init(.invalidInput, lines: error.lines + ["\(error.file): \(count) problem\(count == 1 ? "" : "s"); nothing was run."],
                  underlying: error)
    }

    /// A run that stopped: Ctrl-C, or an internal (GSL) error.
    public init(_ failure: RunFailure) {
        switch failure {
        case .cancelled: self.init(.interrupted, failure.description, underlying: failure)
        case .gsl: self.init(.internalFailure, failure.description, underlying: failure)
        }
    }
}

/// The text of `errno` (or of a given error number), e.g. "Permission denied".
public func systemErrorText(_ number: Int32) -> String {
    String(cString: strerror(number))
}
