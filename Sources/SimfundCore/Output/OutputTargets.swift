import Foundation

/// The `--out DIR` and `--report FILE` of one command, checked (and DIR
/// locked) before anything is simulated, so a bad target costs no run.
public final class OutputTargets {
    public let directory: OutputDirectory?
    public let report: OutputFile?

    init(directory: OutputDirectory?, report: OutputFile?) {
        self.directory = directory
        self.report = report
    }

    /// Refuses targets that cannot be written (with the system's reason), a
    /// `--report` that is one of the scenario files read or lies inside
    /// `--out`, a DIR holding files simfund did not write, and a DIR that
    /// another run is writing. Call it right after loading the scenarios.
    /// - Parameter inputs: the scenario files read (`-` is standard input).
    public static func check(out: String?, report: String?, inputs: [String]) throws(SimfundError) -> OutputTargets {
        if let report {
            let target = FileSystem.canonical(report)
            for input in inputs where input != "-" {
                if isSameFile(target, FileSystem.canonical(input)) {
                    throw SimfundError(.usage, "--report \(report) is the scenario file \(input): writing the report would overwrite it; "
                                       + "choose another file. Nothing was run.")
                }
            }
            if let out {
                let directory = FileSystem.canonical(out)
                if target == directory || target.hasPrefix(directory.hasSuffix("/") ? directory : directory + "/") {
                    throw SimfundError(.usage, "--report \(report) is inside --out \(out), whose contents are replaced as a whole by each run; "
                                       + "write the report elsewhere, or run `simfund report \(out)` afterwards. Nothing was run.")
                }
            }
        }
        // The report is checked first: checking DIR takes its lock.
        let reportFile = try report.map { path throws(SimfundError) in try OutputFile(checking: path, flag: "--report") }
        let directory = try out.map { path throws(SimfundError) in try OutputDirectory(checking: path, flag: "--out") }
        return OutputTargets(directory: directory, report: reportFile)
    }

    /// Writes the set into DIR and the report into FILE: both are staged
    /// completely, then `shouldCommit` is asked once (false, e.g. after
    /// Ctrl-C: nothing changes and the result is `interrupted`), then both
    /// are put in place. The report, if any, is rendered from the files.
    public func write(_ files: [(name: String, contents: String)], reportHTML: String?,
                      shouldCommit: () -> Bool = { true }) throws(SimfundError) {
        let stagedSet = try directory.map { directory throws(SimfundError) in try directory.stage(files) }
        var stagedReport: String?
        do {
            if let report, let reportHTML { stagedReport = try report.stage(reportHTML) }
        } catch {
            stagedSet?.discard()
            throw error
        }
        guard shouldCommit() else {
            stagedSet?.discard()
            if let stagedReport { unlink(stagedReport) }
            throw SimfundError(.interrupted, "Interrupted: nothing was written; the previous outputs are unchanged.")
        }
        // Past this point the outputs are completed, whatever signal comes.
        do {
            if let directory, let stagedSet { try directory.swap(in: stagedSet) }
        } catch {
            if let stagedReport { unlink(stagedReport) }
            throw error
        }
        if let report, let stagedReport { try report.commit(stagedReport) }
    }

    /// Two canonical paths name one file (by inode when both exist).
    static func isSameFile(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }
}

/// An `--out DIR`, locked for this process from the check until it exits.
public final class OutputDirectory {
    /// Every file any simfund command writes into an output directory, and
    /// `report.html` of `simfund report DIR`. A DIR holding anything else is
    /// refused: replacing the set would delete it.
    public static let ownedNames: Set<String> = [
        "summary.json", "years.csv", "districts.csv", "targets.csv", "manifest.json", "scenario.json",
        "compare.json", "compare.csv", "sweep.json", "sweep.csv", "report.html",
    ]

    /// The canonical path of DIR.
    public let path: String
    let parent: String
    let name: String
    private let lock: DirectoryLock
    /// Swaps two paths (a hook for fault tests; see ``FileSystem/exchange(_:_:)``).
    var exchange: (String, String) -> Int32 = FileSystem.exchange

    var temporaryPrefix: String { ".\(name).simfund-" }

    /// Checks that DIR can be written, takes its lock, puts back a set that
    /// a crash left aside, and deletes stale temporaries.
    public init(checking given: String, flag: String = "--out") throws(SimfundError) {
        func failure(_ text: String) -> SimfundError { SimfundError(.outputFailure, "\(flag) \(given): \(text); nothing was run.") }
        path = FileSystem.canonical(given)
        parent = FileSystem.parent(path)
        name = FileSystem.name(path)
        guard path != "/", !name.isEmpty else { throw failure("the root directory cannot be an output directory") }
        if let status = FileSystem.status(path) {
            guard FileSystem.isDirectory(status) else {
                throw failure("expected a directory, found a file (\(systemErrorText(ENOTDIR)))")
            }
        }
        do {
            try FileSystem.makeDirectories(parent)
        } catch {
            throw failure(error.description)
        }
        if access(parent, W_OK | X_OK) != 0 {
            throw failure("cannot write in \(parent) (\(systemErrorText(errno)))")
        }
        lock = try DirectoryLock(directory: path, flag: flag, given: given)
        do {
            try recoverAndClean()
            try checkContents()
        } catch {
            throw failure(error.description)
        }
    }

    /// With the lock held, every hidden temporary of DIR is a leftover of a
    /// killed run. A set renamed aside by an interrupted fallback swap (DIR
    /// missing) is the previous complete set: it is put back.
    private func recoverAndClean() throws(OutputError) {
        let leftovers = try FileSystem.entries(parent).filter { $0.hasPrefix(temporaryPrefix) }
        if FileSystem.status(path) == nil, let aside = leftovers.first(where: { $0.hasPrefix(temporaryPrefix + "old-") }) {
            if rename(FileSystem.join(parent, aside), path) != 0 {
                throw OutputError(description: "cannot restore the previous outputs from \(FileSystem.join(parent, aside)) (\(systemErrorText(errno)))")
            }
        }
        for leftover in leftovers where FileSystem.status(FileSystem.join(parent, leftover)) != nil {
            FileSystem.removeTree(FileSystem.join(parent, leftover))
        }
    }

    /// DIR must be absent, empty, or hold only files simfund writes.
    private func checkContents() throws(OutputError) {
        guard FileSystem.status(path) != nil else { return }
        let foreign = try FileSystem.entries(path).filter { !OutputDirectory.isOwned($0) }.sorted()
        guard foreign.isEmpty else {
            let shown = foreign.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (foreign.count > 5 ? ", …" : "")
            throw OutputError(description: "the directory holds \(foreign.count) file\(foreign.count == 1 ? "" : "s") simfund did not write (\(shown)), "
                              + "and each run replaces the directory's contents as a whole; choose an empty or new directory")
        }
    }

    /// A name simfund writes, or a hidden temporary of one (`.summary.json.123.tmp`).
    static func isOwned(_ name: String) -> Bool {
        if ownedNames.contains(name) { return true }
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        return ownedNames.contains { name.hasPrefix(".\($0).") }
    }

    /// A complete set written next to DIR, not yet in place.
    public struct StagedSet {
        let path: String
        func discard() { FileSystem.removeTree(path) }
    }

    /// Writes every file into a fresh hidden directory next to DIR, flushed to disk.
    public func stage(_ files: [(name: String, contents: String)]) throws(SimfundError) -> StagedSet {
        let random = UInt64.random(in: 0...UInt64.max)
        let staging = FileSystem.join(parent, "\(temporaryPrefix)new-\(getpid())-\(String(random, radix: 16))")
        guard mkdir(staging, 0o777) == 0 else {
            throw SimfundError(.outputFailure, "Cannot write the outputs: cannot create \(staging) (\(systemErrorText(errno))).")
        }
        let staged = StagedSet(path: staging)
        do {
            for file in files { try FileSystem.writeNewFile(FileSystem.join(staging, file.name), file.contents) }
        } catch {
            staged.discard()
            throw SimfundError(.outputFailure, "Cannot write the outputs: \(error.description); \(path) is unchanged.", underlying: error)
        }
        FileSystem.syncDirectory(staging)
        return staged
    }

    /// Puts a staged set in place of DIR's contents in one step, then deletes the previous set.
    public func swap(in staged: StagedSet) throws(SimfundError) {
        func failure(_ text: String) -> SimfundError {
            staged.discard()
            return SimfundError(.outputFailure, "Cannot put the outputs in place: \(text); \(path) keeps the previous outputs.")
        }
        guard FileSystem.status(path) != nil else {
            // No previous set: one rename publishes the new one.
            guard rename(staged.path, path) == 0 else { throw failure("cannot rename \(staged.path) to \(path) (\(systemErrorText(errno)))") }
            FileSystem.syncDirectory(parent)
            return
        }
        let exchanged = exchange(staged.path, path)
        if exchanged == 0 {
            // The staging directory now holds the previous set.
            FileSystem.syncDirectory(parent)
            staged.discard()
            return
        }
        guard exchanged == ENOSYS || exchanged == EINVAL || exchanged == ENOTSUP else {
            throw failure("cannot exchange \(staged.path) and \(path) (\(systemErrorText(exchanged)))")
        }
        // No atomic exchange here: rename the previous set aside, then the new one in.
        let aside = staged.path.replacingOccurrences(of: "\(temporaryPrefix)new-", with: "\(temporaryPrefix)old-")
        guard rename(path, aside) == 0 else { throw failure("cannot rename \(path) to \(aside) (\(systemErrorText(errno)))") }
        guard rename(staged.path, path) == 0 else {
            let number = errno
            rename(aside, path)
            throw failure("cannot rename \(staged.path) to \(path) (\(systemErrorText(number)))")
        }
        FileSystem.syncDirectory(parent)
        FileSystem.removeTree(aside)
    }
}

/// The advisory lock of one output directory: `flock` on `.DIR.lock` next
/// to DIR (DIR itself is replaced by each run, so it cannot carry the lock).
/// Held until released or the process exits; the lock file stays.
public final class DirectoryLock {
    public let lockPath: String
    private let descriptor: Int32

    /// Takes the lock at once or refuses: another run holds it.
    /// - Parameter directory: the canonical path of DIR (its parent exists).
    public init(directory: String, flag: String, given: String) throws(SimfundError) {
        lockPath = FileSystem.join(FileSystem.parent(directory), ".\(FileSystem.name(directory)).lock")
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw SimfundError(.outputFailure, "\(flag) \(given): cannot create the lock file \(lockPath) (\(systemErrorText(errno))); nothing was run.")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let number = errno
            close(descriptor)
            if number == EWOULDBLOCK {
                throw SimfundError(.outputFailure, "\(flag) \(given): another simfund command is writing this directory (it holds \(lockPath)); "
                                   + "wait for it to finish or choose another directory. Nothing was run.")
            }
            throw SimfundError(.outputFailure, "\(flag) \(given): cannot lock \(lockPath) (\(systemErrorText(number))); nothing was run.")
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}

/// A `--report FILE` (or `report --output FILE`): written to a hidden
/// temporary next to it and renamed into place.
public final class OutputFile {
    public let path: String
    let parent: String
    let name: String

    var temporaryPrefix: String { ".\(name).simfund-" }

    /// Checks that FILE can be written (creating its directory), and deletes
    /// temporaries of FILE left by runs that no longer exist.
    public init(checking given: String, flag: String = "--report") throws(SimfundError) {
        func failure(_ text: String) -> SimfundError { SimfundError(.outputFailure, "\(flag) \(given): \(text); nothing was run.") }
        path = FileSystem.canonical(given)
        parent = FileSystem.parent(path)
        name = FileSystem.name(path)
        if let status = FileSystem.status(path), FileSystem.isDirectory(status) {
            throw failure("expected a file, found a directory (\(systemErrorText(EISDIR)))")
        }
        guard path != "/", !name.isEmpty else { throw failure("expected a file, found a directory (\(systemErrorText(EISDIR)))") }
        do {
            try FileSystem.makeDirectories(parent)
        } catch {
            throw failure(error.description)
        }
        if access(parent, W_OK | X_OK) != 0 {
            throw failure("cannot write in \(parent) (\(systemErrorText(errno)))")
        }
        // A probe proves the directory takes new files (read-only file systems, quotas).
        let probe = temporaryPath
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure("cannot create files in \(parent) (\(systemErrorText(errno)))") }
        close(descriptor)
        unlink(probe)
        cleanStaleTemporaries()
    }

    /// `.FILE.simfund-PID.tmp`: one per process, so a stale one names its dead writer.
    var temporaryPath: String { FileSystem.join(parent, "\(temporaryPrefix)\(getpid()).tmp") }

    private func cleanStaleTemporaries() {
        guard let names = try? FileSystem.entries(parent) else { return }
        for entry in names where entry.hasPrefix(temporaryPrefix) && entry.hasSuffix(".tmp") {
            let pid = Int32(entry.dropFirst(temporaryPrefix.count).dropLast(4)) ?? 0
            if !FileSystem.processExists(pid) { unlink(FileSystem.join(parent, entry)) }
        }
    }

    /// Writes the contents to the temporary, flushed to disk; returns its path.
    public func stage(_ contents: String) throws(SimfundError) -> String {
        let temporary = temporaryPath
        unlink(temporary)
        do {
            try FileSystem.writeNewFile(temporary, contents)
        } catch {
            throw SimfundError(.outputFailure, "Cannot write \(path): \(error.description).", underlying: error)
        }
        return temporary
    }

    public func commit(_ temporary: String) throws(SimfundError) {
        guard rename(temporary, path) == 0 else {
            let number = errno
            unlink(temporary)
            throw SimfundError(.outputFailure, "Cannot write \(path): cannot rename \(temporary) to it (\(systemErrorText(number))).")
        }
        FileSystem.syncDirectory(parent)
    }

    public func write(_ contents: String) throws(SimfundError) {
        try commit(try stage(contents))
    }
}
