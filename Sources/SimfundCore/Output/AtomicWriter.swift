import Foundation

/// Why output could not be written.
public struct OutputError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// The output protocol: an `--out DIR` set appears whole or not at all, and
/// a single file (`--report FILE`) is never seen half-written.
///
/// A set is written into a fresh hidden directory next to DIR
/// (`.DIR.simfund-new-XXXXXX`), flushed to disk, and then swapped with DIR in
/// one step (`renameat2(RENAME_EXCHANGE)`); the previous set, now in the
/// hidden directory, is deleted afterwards. Any interruption leaves either
/// the previous complete set or the new complete set in DIR. On file systems
/// without the exchange, DIR is renamed aside (`.DIR.simfund-old-XXXXXX`) and
/// the new set renamed in: a crash between the two renames leaves no DIR for
/// a moment, and the next run puts the previous set back first.
///
/// Writers of one DIR exclude each other with an advisory lock (`flock`) on
/// `.DIR.lock` next to DIR, taken before simulating and held until the
/// process exits: a second run into the same DIR is refused at once. Hidden
/// temporaries that killed runs left behind are deleted by the next run that
/// holds the lock.
///
/// simfund never deletes a file it did not write: DIR must be absent, empty,
/// or hold only files simfund writes (``OutputDirectory/ownedNames``).
public enum AtomicWriter {
    /// Writes one file atomically (its directory is created if needed).
    public static func write(_ contents: String, toFile path: String) throws(OutputError) {
        do {
            let file = try OutputFile(checking: path, flag: "output")
            try file.write(contents)
        } catch {
            throw OutputError(description: error.description)
        }
    }

    /// Writes a whole set into `directory` by the protocol above (lock, stage, swap).
    public static func write(_ files: [(name: String, contents: String)], to directory: String) throws(OutputError) {
        do {
            let target = try OutputDirectory(checking: directory, flag: "output directory")
            try target.swap(in: try target.stage(files))
        } catch {
            throw OutputError(description: error.description)
        }
    }
}

// MARK: - Paths

public enum FileSystem {
    /// ``canonical(_:)`` for other modules.
    public static func canonicalPath(_ path: String) -> String { canonical(path) }

    /// An absolute path with every existing prefix resolved (symbolic links,
    /// `.` and `..`), so two spellings of one file compare equal.
    static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var components = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var missing: [String] = []
        while true {
            let prefix = "/" + components.joined(separator: "/")
            if let resolved = realpath(prefix, nil) {
                defer { free(resolved) }
                var result = String(cString: resolved)
                for name in missing.reversed() where name != "." {
                    if name == ".." {
                        result = (result as NSString).deletingLastPathComponent
                    } else {
                        result += (result.hasSuffix("/") ? "" : "/") + name
                    }
                }
                return result
            }
            guard let last = components.popLast() else { return absolute }
            missing.append(last)
        }
    }

    static func parent(_ path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "/" : parent
    }

    static func name(_ path: String) -> String { (path as NSString).lastPathComponent }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// `lstat` of a path, or nil with errno set.
    static func status(_ path: String) -> stat? {
        var result = stat()
        return lstat(path, &result) == 0 ? result : nil
    }

    static func isDirectory(_ status: stat) -> Bool { status.st_mode & S_IFMT == S_IFDIR }

    /// Creates a directory and its missing parents; the error names the
    /// component that could not be created and the system's reason.
    static func makeDirectories(_ path: String) throws(OutputError) {
        if let existing = status(path) {
            if isDirectory(existing) { return }
            // A symbolic link to a directory is fine.
            var followed = stat()
            if stat(path, &followed) == 0, isDirectory(followed) { return }
            throw OutputError(description: "\(path) is not a directory (\(systemErrorText(ENOTDIR)))")
        }
        let parent = parent(path)
        if parent != path { try makeDirectories(parent) }
        if mkdir(path, 0o777) != 0 && errno != EEXIST {
            throw OutputError(description: "cannot create directory \(path) (\(systemErrorText(errno)))")
        }
    }

    /// Entries of a directory except `.` and `..`.
    static func entries(_ path: String) throws(OutputError) -> [String] {
        guard let directory = opendir(path) else {
            throw OutputError(description: "cannot list \(path) (\(systemErrorText(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Deletes a directory simfund created, with everything in it.
    static func removeTree(_ path: String) {
        guard let status = status(path) else { return }
        if isDirectory(status), let names = try? entries(path) {
            for name in names { removeTree(join(path, name)) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// Writes all bytes to a new file and flushes it to disk.
    static func writeNewFile(_ path: String, _ contents: String) throws(OutputError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw OutputError(description: "cannot create \(path) (\(systemErrorText(errno)))") }
        var failure: Int32?
        var bytes = Array(contents.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            bytes = bytes.dropFirst(written)
        }
        if failure == nil, fsync(descriptor) != 0 { failure = errno }
        if close(descriptor) != 0, failure == nil { failure = errno }
        if let failure {
            unlink(path)
            throw OutputError(description: "cannot write \(path) (\(systemErrorText(failure)))")
        }
    }

    /// Flushes a directory's entries (new names, renames) to disk; best effort.
    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Swaps two existing paths in one step (Linux `renameat2` with
    /// `RENAME_EXCHANGE`); returns 0, or an errno (ENOSYS when unavailable).
    static func exchange(_ a: String, _ b: String) -> Int32 {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        // Looked up at run time: the C library declares it only for _GNU_SOURCE.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return ENOSYS }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 ? 0 : errno
    }

    /// Whether process `pid` may still be running (it exists, or cannot be signalled).
    static func processExists(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno != ESRCH)
    }
}
