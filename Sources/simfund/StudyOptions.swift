import ArgumentParser
import Foundation

/// Options of the commands that study a scenario rather than run it
/// (goal, sensitivity, calibrate): one declaration, one check.
struct StudyOptions: ParsableArguments {
    // Parsed here rather than as UInt64 so that `--seed -1` is read as a value and gets a clear message.
    @Option(parsing: .unconditional,
            help: ArgumentHelp("Random seed, 0 to 18446744073709551615 (default: the scenario's seed, else one is drawn and printed).",
                               valueName: "N"),
            transform: parseSeed)
    var seed: UInt64?

    @Option(help: ArgumentHelp("Worker threads (default: all cores). Results do not depend on it.", valueName: "N"))
    var threads: Int?

    @Option(help: ArgumentHelp("Directory to write the output files into (listed in the command's description).", valueName: "DIR"),
            completion: .directory)
    var out: String?

    @Option(help: ArgumentHelp("Write a self-contained HTML report to FILE.", valueName: "FILE"), completion: .file(extensions: ["html"]))
    var report: String?

    @Flag(help: "Print nothing but errors (no summary, no progress).")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 || threads > 1024 {
            throw ValidationError("--threads must be from 1 to 1024, got \(threads)")
        }
    }

    /// The worker threads to use.
    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}
