import ArgumentParser
import Foundation
import SimfundCore
import Synchronization

/// Runs simulation work with progress on stderr (only when stderr is a
/// terminal, the run lasts more than about a second, and --quiet is off) and
/// Ctrl-C handling: an interrupt cancels the run between chunks, nothing is
/// written, and the exit status is 130.
func withRunControl<T>(totalReplicates: Int, quiet: Bool, _ work: (RunControl) throws(RunFailure) -> T) throws -> T {
    let progress = ProgressPrinter(total: totalReplicates, enabled: !quiet && isatty(STDERR_FILENO) == 1)
    let control = RunControl { done in progress.update(done) }
    signal(SIGINT, SIG_IGN)
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    interrupt.setEventHandler { control.cancel() }
    interrupt.resume()
    defer {
        interrupt.cancel()
        signal(SIGINT, SIG_DFL)
    }
    do {
        let result = try work(control)
        progress.finish()
        return result
    } catch {
        progress.finish()
        printError(error.description)
        if case .cancelled = error { throw ExitCode(130) }
        throw ExitCode.failure
    }
}

/// `  45,000 / 100,000 replicates · 38,000/s · about 1 h 05 min left`, redrawn in place.
final class ProgressPrinter: Sendable {
    private struct State {
        var lastDraw = 0.0
        var drawn = false
    }
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private let state = Mutex(State())

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        state.withLock { state in
            guard elapsed > 1, elapsed - state.lastDraw > 0.2 else { return }
            state.lastDraw = elapsed
            state.drawn = true
            let rate = Double(done) / elapsed
            let left = rate > 0 ? Double(total - done) / rate : 0
            let line = "  \(done.formatted()) / \(total.formatted()) replicates · \(Int(rate).formatted())/s · about \(durationText(seconds: left)) left"
            FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
        }
    }

    func finish() {
        state.withLock { state in
            if state.drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            state.drawn = false
        }
    }
}

/// Output options shared by every simulating command.
struct OutputFiles {
    var files: [(name: String, contents: String)]

    /// Adds manifest.json and scenario.json, which `simfund report DIR` needs.
    init(_ files: [(name: String, contents: String)], manifest: RunManifest, scenarioSource: [UInt8]) {
        self.files = files + [("manifest.json", manifest.json()), ("scenario.json", String(decoding: scenarioSource, as: UTF8.self))]
    }

    /// Writes --out DIR and --report FILE, each atomically.
    func write(out: String?, report: String?, language: Language = .en) throws {
        do {
            if let out { try AtomicWriter.write(files, to: out) }
            if let report {
                var contents: [String: String] = [:]
                for file in files { contents[file.name] = file.contents }
                try AtomicWriter.write(try HTMLReport.render(files: contents, language: language), toFile: report)
            }
        } catch let error as OutputError {
            printError(error.description)
            throw ExitCode.failure
        } catch let error as ReportError {
            printError(error.description)
            throw ExitCode.failure
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render the HTML report of an earlier run from its --out directory, without re-running."
    )

    @Argument(help: ArgumentHelp("A directory written by `simfund run --out` or `simfund compare --out`.", valueName: "DIR"), completion: .directory)
    var directory: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the report (default: DIR/report.html).", valueName: "FILE"),
            completion: .file(extensions: ["html"]))
    var output: String?

    @Option(help: ArgumentHelp("Language of the report: en (default) or zh. Default: SIMFUND_LANG when set, else en.", valueName: "LANG"),
            completion: .list(["en", "zh"]))
    var lang: String?

    func validate() throws {
        if case let .failure(error) = Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment) {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let language = (try? Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment).get()) ?? .en
        var files: [String: String] = [:]
        for name in HTMLReport.fileNames {
            let path = (directory as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path) { files[name] = String(decoding: data, as: UTF8.self) }
        }
        let target = output ?? (directory as NSString).appendingPathComponent("report.html")
        do {
            try AtomicWriter.write(try HTMLReport.render(files: files, language: language), toFile: target)
        } catch let error as ReportError {
            printError("\(directory): \(error.description)")
            throw ExitCode(2)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        print("wrote \(target)")
    }
}
