public import Foundation
import SimfundStochastics

/// Who ran what, when and how: written as manifest.json next to the other
/// outputs and shown at the top of every report. Unlike summary.json it may
/// differ between two runs of the same scenario (date, threads).
public struct RunManifest: Sendable, Equatable {
    public var command: String
    public var scenarioName: String
    public var scenarioFile: String
    /// SHA-256 of the scenario file's bytes (`sha256sum FILE`).
    public var scenarioHash: String
    /// The scenario's posterior file (as its block names it) and its SHA-256, when it has one.
    public var posteriorFile: String?
    public var posteriorHash: String?
    /// ISO 8601, UTC.
    public var runDate: String
    public var seed: UInt64
    public var generator: String
    public var replicates: Int
    public var threads: Int
    /// Parts merged into this run (`simfund merge`), nil for a single run.
    public var shards: Int?
    /// The simfund and GSL versions that wrote the outputs.
    public var simfund: String
    public var gsl: String

    public init(command: String, scenarioName: String, scenarioFile: String, scenarioBytes: [UInt8], seed: UInt64, replicates: Int, threads: Int,
                date: Date = Date()) {
        self.command = command
        self.scenarioName = scenarioName
        self.scenarioFile = scenarioFile
        scenarioHash = sha256Hex(scenarioBytes)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        runDate = formatter.string(from: date)
        self.seed = seed
        generator = RandomStream.generatorName
        self.replicates = replicates
        self.threads = threads
        simfund = simfundVersion
        gsl = GSLRuntime.version
    }

    /// Reads manifest.json back: the inverse of ``json()``.
    public init(manifestJSON text: String, file: String = "manifest.json") throws(OutputReadError) {
        let document = try OutputField.document(text, file: file)
        simfund = try document.member("simfund").string()
        command = try document.member("command").string()
        scenarioName = try document.member("scenario").string()
        scenarioFile = try document.member("scenarioFile").string()
        let hash = try document.member("scenarioSHA256")
        scenarioHash = try hash.string()
        guard scenarioHash.count == 64, scenarioHash.allSatisfy(\.isHexDigit) else { throw hash.failure("64 hexadecimal digits (a SHA-256)") }
        posteriorFile = try document.optionalMember("posteriorFile").map { field throws(OutputReadError) in try field.string() }
        if let field = try document.optionalMember("posteriorSHA256") {
            let text = try field.string()
            guard text.count == 64, text.allSatisfy(\.isHexDigit) else { throw field.failure("64 hexadecimal digits (a SHA-256)") }
            posteriorHash = text
        }
        runDate = try document.member("runDate").string()
        seed = try document.member("seed").unsigned()
        generator = try document.member("generator").string()
        gsl = try document.member("gsl").string()
        replicates = try document.member("replicates").integer(in: 1...RunSummary.largestReplicates)
        threads = try document.member("threads").integer(in: 0...1_000_000)
        shards = try document.optionalMember("shards").map { field throws(OutputReadError) in try field.integer(in: 1...1_000_000) }
    }

    public func json() -> String {
        JSONOutput.object([
            ("simfund", .string(simfund)),
            ("command", .string(command)),
            ("scenario", .string(scenarioName)),
            ("scenarioFile", .string(scenarioFile)),
            ("scenarioSHA256", .string(scenarioHash)),
        ] + (posteriorFile.map { [("posteriorFile", JSONOutput.string($0))] } ?? [])
          + (posteriorHash.map { [("posteriorSHA256", JSONOutput.string($0))] } ?? []) + [
            ("runDate", .string(runDate)),
            ("seed", .unsigned(seed)),
            ("generator", .string(generator)),
            ("gsl", .string(gsl)),
            ("replicates", .integer(Int64(replicates))),
            ("threads", .integer(Int64(threads))),
        ] + (shards.map { [("shards", JSONOutput.integer(Int64($0)))] } ?? [])).render() + "\n"
    }
}
