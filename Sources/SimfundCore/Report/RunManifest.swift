public import Foundation
import SimfundStochastics

/// Who ran what, when and how: written as manifest.json next to the other
/// outputs and shown at the top of every report. Unlike summary.json it may
/// differ between two runs of the same scenario (date, threads).
public struct RunManifest: Sendable {
    public var command: String
    public var scenarioName: String
    public var scenarioFile: String
    /// SHA-256 of the scenario file's bytes (`sha256sum FILE`).
    public var scenarioHash: String
    /// ISO 8601, UTC.
    public var runDate: String
    public var seed: UInt64
    public var generator: String
    public var replicates: Int
    public var threads: Int
    /// Parts merged into this run (`simfund merge`), nil for a single run.
    public var shards: Int?

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
    }

    public func json() -> String {
        JSONOutput.object([
            ("simfund", .string(simfundVersion)),
            ("command", .string(command)),
            ("scenario", .string(scenarioName)),
            ("scenarioFile", .string(scenarioFile)),
            ("scenarioSHA256", .string(scenarioHash)),
            ("runDate", .string(runDate)),
            ("seed", .unsigned(seed)),
            ("generator", .string(generator)),
            ("gsl", .string(GSLRuntime.version)),
            ("replicates", .integer(Int64(replicates))),
            ("threads", .integer(Int64(threads))),
        ] + (shards.map { [("shards", JSONOutput.integer(Int64($0)))] } ?? [])).render() + "\n"
    }
}
