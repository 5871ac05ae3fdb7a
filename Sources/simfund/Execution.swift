import ArgumentParser
import Foundation
import SimfundCore
import Synchronization

/// Runs simulation work with progress on stderr (only when stderr is a
/// terminal, the run lasts more than about a second, and --quiet is off) and
/// Ctrl-C handling (see ``Interruption``): an interrupt cancels the run
/// between chunks, nothing is written, and the exit status is 130.
func withRunControl<T>(totalReplicates: Int, quiet: Bool, _ work: (RunControl) throws(RunFailure) -> T) throws(SimfundError) -> T {
    let progress = ProgressPrinter(total: totalReplicates, enabled: !quiet && isatty(STDERR_FILENO) == 1)
    let control = RunControl { done in progress.update(done) }
    Interruption.shared.watch(control)
    do {
        let result = try work(control)
        progress.finish()
        return result
    } catch {
        progress.finish()
        throw SimfundError(error)
    }
}

/// Ctrl-C from the first run of a command until the command exits. SIGINT
/// only sets a flag, which runs check between chunks and the output writer
/// checks once before putting outputs in place, so an interrupt either stops
/// the command before it changes any output (exit 130) or comes too late and
/// the command completes (exit 0), never in between.
final class Interruption: @unchecked Sendable {
    static let shared = Interruption()

    private let requested = Atomic<Bool>(false)
    private let controls = Mutex<[RunControl]>([])
    // Kept for the life of the process; only its event handler touches shared state.
    private let source: any DispatchSourceSignal

    private init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { Interruption.shared.request() }
        source.resume()
    }

    private func request() {
        requested.store(true, ordering: .sequentiallyConsistent)
        for control in controls.withLock({ $0 }) { control.cancel() }
    }

    var isRequested: Bool { requested.load(ordering: .sequentiallyConsistent) }

    /// Cancels `control` on Ctrl-C (at once if one came already).
    func watch(_ control: RunControl) {
        controls.withLock { $0.append(control) }
        if isRequested { control.cancel() }
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
            writeStandardError("\r" + line + "\u{1B}[K")
        }
    }

    func finish() {
        state.withLock { state in
            if state.drawn { writeStandardError("\r\u{1B}[K") }
            state.drawn = false
        }
    }
}

/// The files of one command's outputs: its own plus manifest.json and scenario.json.
struct OutputFiles {
    var files: [(name: String, contents: String)]

    /// Adds manifest.json and scenario.json, which `simfund report DIR` needs.
    init(_ files: [(name: String, contents: String)], manifest: RunManifest, scenarioSource: [UInt8]) {
        self.files = files + [("manifest.json", manifest.json()), ("scenario.json", String(decoding: scenarioSource, as: UTF8.self))]
    }

    /// Writes --out DIR as one set and --report FILE, checked and locked
    /// earlier by ``OutputTargets/check(out:report:inputs:)``. Ctrl-C before
    /// the outputs are put in place leaves the previous ones (exit 130).
    func write(to targets: OutputTargets, language: Language = .en) throws(SimfundError) {
        var html: String?
        if targets.report != nil {
            var contents: [String: String] = [:]
            for file in files { contents[file.name] = file.contents }
            do {
                html = try HTMLReport.render(files: contents, language: language)
            } catch {
                throw SimfundError(.internalFailure, "Cannot render the report (please report it with the scenario file): \(error.description)",
                                   underlying: error)
            }
        }
        try targets.write(files, reportHTML: html) {
            pauseBeforeCommitForTesting()
            return !Interruption.shared.isRequested
        }
    }
}

/// Test only: SIMFUND_TEST_PAUSE_BEFORE_COMMIT_MS=N waits N ms between
/// staging the outputs and putting them in place, so the fault tests can
/// signal a run while it writes. Not for use outside the tests.
private func pauseBeforeCommitForTesting() {
    guard let text = ProcessInfo.processInfo.environment["SIMFUND_TEST_PAUSE_BEFORE_COMMIT_MS"], let milliseconds = UInt32(text) else { return }
    usleep(min(milliseconds, 60_000) * 1000)
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render the HTML report of an earlier run from its --out directory, without re-running."
    )

    @Argument(help: ArgumentHelp("A directory written by the --out option of run, compare, sweep, merge, goal, sensitivity or calibrate.", valueName: "DIR"), completion: .directory)
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
        var status = stat()
        if stat(directory, &status) != 0 {
            throw SimfundError(.invalidInput, "\(directory): expected a directory written by simfund --out, found none (\(systemErrorText(errno))).")
        }
        if status.st_mode & S_IFMT != S_IFDIR {
            throw SimfundError(.invalidInput, "\(directory): expected a directory written by simfund --out, found a file (\(systemErrorText(ENOTDIR))).")
        }
        let target = output ?? (directory as NSString).appendingPathComponent("report.html")
        let file = try OutputFile(checking: target, flag: output == nil ? "report" : "--output")
        // A report written into DIR must not race a run replacing DIR: hold DIR's lock.
        let directoryPath = FileSystem.canonicalPath(directory)
        let lock = file.path.hasPrefix(directoryPath + "/")
            ? try DirectoryLock(directory: directoryPath, flag: "report", given: directory) : nil
        let language = (try? Language.resolve(flag: lang, environment: ProcessInfo.processInfo.environment).get()) ?? .en
        var files: [String: String] = [:]
        for name in HTMLReport.fileNames {
            let path = (directory as NSString).appendingPathComponent(name)
            if let data = FileManager.default.contents(atPath: path) { files[name] = String(decoding: data, as: UTF8.self) }
        }
        let html: String
        do {
            html = try HTMLReport.render(files: files, language: language)
        } catch {
            throw SimfundError(.invalidInput, "\(directory): \(error.description)", underlying: error)
        }
        try file.write(html)
        withExtendedLifetime(lock) {}
        try StandardOutput.write("wrote \(target)")
    }
}
