import Foundation
@testable import SimfundCore
import Testing

/// The output protocol of ``OutputDirectory``, with faults injected through its exchange hook.
@Suite("Output directory protocol")
struct OutputDirectoryTests {
    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simfund-out-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func contents(_ directory: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            result[name] = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        return result
    }

    func set(_ tag: String) -> [(name: String, contents: String)] {
        [("summary.json", "{\"run\": \"\(tag)\"}\n"), ("years.csv", "run\n\(tag)\n"), ("manifest.json", "{\"run\": \"\(tag)\"}\n")]
    }

    func write(_ files: [(name: String, contents: String)], to out: URL, exchange: ((String, String) -> Int32)? = nil) throws {
        let directory = try OutputDirectory(checking: out.path)
        if let exchange { directory.exchange = exchange }
        try directory.swap(in: try directory.stage(files))
    }

    func siblings(_ out: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path).sorted()
    }

    @Test("A new set replaces the previous one as a whole; only the lock file stays beside it")
    func replaces() throws {
        let out = temporaryDirectory().appendingPathComponent("out")
        try write(set("one"), to: out)
        try write([("summary.json", "two\n")], to: out)
        #expect(try contents(out) == ["summary.json": "two\n"])
        #expect(try siblings(out) == [".out.lock", "out"])
    }

    @Test("A failed swap leaves the previous set and no temporaries")
    func failedSwap() throws {
        let out = temporaryDirectory().appendingPathComponent("out")
        try write(set("one"), to: out)
        let before = try contents(out)
        let error = #expect(throws: SimfundError.self) {
            try write(set("two"), to: out, exchange: { _, _ in EIO })
        }
        #expect(error?.code == .outputFailure)
        #expect(error?.description.contains("keeps the previous outputs") == true)
        #expect(error?.description.contains("Input/output error") == true)
        #expect(try contents(out) == before)
        #expect(try siblings(out) == [".out.lock", "out"])
    }

    @Test("Without an atomic exchange the set is renamed aside and back; a crash in between is repaired by the next run")
    func fallbackSwap() throws {
        let out = temporaryDirectory().appendingPathComponent("out")
        try write(set("one"), to: out)
        try write(set("two"), to: out, exchange: { _, _ in ENOSYS })
        #expect(try contents(out) == Dictionary(uniqueKeysWithValues: set("two").map { ($0.name, $0.contents) }))
        #expect(try siblings(out) == [".out.lock", "out"])
        // A run killed between its two renames: DIR is missing, the previous set is aside,
        // and a half-written new set lies next to it.
        let parent = out.deletingLastPathComponent()
        try FileManager.default.moveItem(at: out, to: parent.appendingPathComponent(".out.simfund-old-1-abc"))
        let partial = parent.appendingPathComponent(".out.simfund-new-2-def")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: false)
        try Data("{\"ru".utf8).write(to: partial.appendingPathComponent("summary.json"))
        _ = try OutputDirectory(checking: out.path)
        #expect(try contents(out) == Dictionary(uniqueKeysWithValues: set("two").map { ($0.name, $0.contents) }))
        #expect(try siblings(out) == [".out.lock", "out"])
    }

    @Test("A directory holding other files is refused and left alone; simfund's own names are accepted")
    func foreignFiles() throws {
        let out = temporaryDirectory().appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: out.appendingPathComponent("notes.txt"))
        #expect {
            try OutputDirectory(checking: out.path)
        } throws: { error in
            (error as? SimfundError)?.description.contains("\"notes.txt\"") == true
        }
        #expect(try contents(out) == ["notes.txt": "keep"])
        try FileManager.default.removeItem(at: out.appendingPathComponent("notes.txt"))
        for name in ["report.html", ".summary.json.123.tmp", "compare.csv"] {
            try Data("old".utf8).write(to: out.appendingPathComponent(name))
        }
        try write(set("new"), to: out)
        #expect(Set(try contents(out).keys) == ["summary.json", "years.csv", "manifest.json"])
    }

    @Test("While one writer holds the lock, another is refused at once")
    func lock() throws {
        let out = temporaryDirectory().appendingPathComponent("out")
        do {
            let holder = try OutputDirectory(checking: out.path)
            #expect {
                try OutputDirectory(checking: out.path)
            } throws: { error in
                (error as? SimfundError)?.description.contains("another simfund command is writing this directory") == true
            }
            withExtendedLifetime(holder) {}
        }
        // Released with its holder.
        _ = try OutputDirectory(checking: out.path)
    }

    @Test("Output targets: interrupted before the swap, nothing changes")
    func interrupted() throws {
        let dir = temporaryDirectory()
        let out = dir.appendingPathComponent("out")
        let report = dir.appendingPathComponent("r.html")
        try OutputTargets.check(out: out.path, report: report.path, inputs: []).write(set("one"), reportHTML: "one")
        #expect {
            try OutputTargets.check(out: out.path, report: report.path, inputs: []).write(set("two"), reportHTML: "two") { false }
        } throws: { error in
            (error as? SimfundError)?.code == .interrupted
        }
        #expect(try contents(out)["summary.json"] == "{\"run\": \"one\"}\n")
        #expect(try String(contentsOf: report, encoding: .utf8) == "one")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [".out.lock", "out", "r.html"])
    }

    @Test("A report temporary of a dead process is removed; canonical paths see through . and ..")
    func staleReportTemporary() throws {
        let dir = temporaryDirectory()
        // PID 2^22 + 1 is above Linux's largest PID: no such process.
        let stale = dir.appendingPathComponent(".r.html.simfund-4194305.tmp")
        try Data("half".utf8).write(to: stale)
        _ = try OutputFile(checking: dir.appendingPathComponent("sub/../r.html").path)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileSystem.canonical(dir.path + "/sub/../x/./y") == FileSystem.canonical(dir.path) + "/x/y")
    }
}
