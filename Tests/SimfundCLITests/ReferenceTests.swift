import Foundation
import Testing

/// The C reference implementation (Benchmarks/reference-c) follows docs/model.md
/// independently; with the same generator and streams it must compute the
/// very same replicates as simfund's engine.
/// gcc and pkg-config come with the Swift toolchain's machines; skip without them.
let referenceCompilerAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/gcc")
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/pkg-config")

@Suite("C reference implementation", .enabled(if: referenceCompilerAvailable))
struct ReferenceTests {
    func shell(_ command: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = CLITests.root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func checksum(_ line: String) -> String? {
        let words = line.split(separator: " ")
        return words.firstIndex(of: "checksum").map { String(words[$0 + 1]).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    @Test("simfund and the C reference agree bit for bit", arguments: ["province-80.json", "ningde.json", "chongqing.json"])
    func agree(scenario: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simfund-ref-\(UUID().uuidString)").path
        let binary = CLITests.binary.path
        let build = try shell("mkdir -p \(dir) && gcc -O2 -std=c11 -o \(dir)/ref Benchmarks/reference-c/simfund_ref.c $(pkg-config --cflags --libs gsl) -lm"
                              + " && \(binary) flatten Scenarios/\(scenario) > \(dir)/s.flat")
        #expect(build.status == 0, "\(build.output)")
        let c = try shell("\(dir)/ref \(dir)/s.flat 40 xoshiro")
        let swift = try shell("\(binary) engine-speed Scenarios/\(scenario) --replicates 40")
        #expect(c.status == 0 && swift.status == 0)
        #expect(checksum(c.output) != nil)
        #expect(checksum(c.output) == checksum(swift.output), "C: \(c.output) simfund: \(swift.output)")
    }

    @Test("They agree on `allocate: need` too (Nanping with its purchase line split by need)")
    func agreeOnNeed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simfund-ref-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let nanping = try String(contentsOf: CLITests.root.appendingPathComponent("Scenarios/nanping.json"), encoding: .utf8)
        let needText = nanping.replacingOccurrences(of: "\"allocate\": \"population\"", with: "\"allocate\": \"need\"")
        #expect(needText != nanping)
        try needText.write(to: dir.appendingPathComponent("need.json"), atomically: true, encoding: .utf8)
        let binary = CLITests.binary.path
        let build = try shell("gcc -O2 -std=c11 -o \(dir.path)/ref Benchmarks/reference-c/simfund_ref.c $(pkg-config --cflags --libs gsl) -lm"
                              + " && \(binary) flatten \(dir.path)/need.json > \(dir.path)/s.flat && grep -q '^fiscal 3$' \(dir.path)/s.flat")
        #expect(build.status == 0, "\(build.output)")
        let c = try shell("\(dir.path)/ref \(dir.path)/s.flat 40 xoshiro")
        let swift = try shell("\(binary) engine-speed \(dir.path)/need.json --replicates 40")
        #expect(c.status == 0 && swift.status == 0)
        #expect(checksum(c.output) != nil)
        #expect(checksum(c.output) == checksum(swift.output), "C: \(c.output) simfund: \(swift.output)")
    }

    @Test("They agree on schedules: fixed, per-replicate, per-year and fiscal entries switching mid-horizon")
    func agreeOnSchedules() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("simfund-ref-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let data = try Data(contentsOf: CLITests.root.appendingPathComponent("Scenarios/ningde.json"))
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var budget = json["budget"] as! [String: Any], costs = json["costs"] as! [String: Any]
        var workforce = json["workforce"] as! [String: Any], staffing = json["staffing"] as! [String: Any]
        budget["reliefShare"] = ["schedule": ["2020": 0.01, "2022": 0.02]]
        var fiscal = budget["fiscal"] as! [[String: Any]]
        fiscal[0]["amount"] = ["schedule": ["2020": 10_800_000, "2023": 5_000_000]]
        budget["fiscal"] = fiscal
        costs["priceFactor"] = ["schedule": ["2020": costs["priceFactor"]!, "2022": ["dist": "normal", "mean": 1.02, "sd": 0.03]]]
        var take = workforce["examTakeRate"] as! [String: Any]
        take["junior"] = ["schedule": ["2019": take["junior"]!, "2022": ["dist": "pert", "min": 0.35, "mode": 0.45, "max": 0.55]]]
        workforce["examTakeRate"] = take
        staffing["town"] = ["schedule": ["2020": 1, "2021": ["dist": "uniform", "min": 1, "max": 2, "per": "year"]]]
        json["budget"] = budget; json["costs"] = costs; json["workforce"] = workforce; json["staffing"] = staffing
        try JSONSerialization.data(withJSONObject: json, options: .sortedKeys).write(to: dir.appendingPathComponent("scheduled.json"))
        let binary = CLITests.binary.path
        let build = try shell("gcc -O2 -std=c11 -o \(dir.path)/ref Benchmarks/reference-c/simfund_ref.c $(pkg-config --cflags --libs gsl) -lm"
                              + " && \(binary) flatten \(dir.path)/scheduled.json > \(dir.path)/s.flat && test $(grep -c '^schedule ' \(dir.path)/s.flat) = 10")
        #expect(build.status == 0, "\(build.output)")
        let c = try shell("\(dir.path)/ref \(dir.path)/s.flat 40 xoshiro")
        let swift = try shell("\(binary) engine-speed \(dir.path)/scheduled.json --replicates 40")
        let plain = try shell("\(binary) engine-speed Scenarios/ningde.json --replicates 40")
        #expect(c.status == 0 && swift.status == 0)
        #expect(checksum(c.output) != nil)
        #expect(checksum(c.output) == checksum(swift.output), "C: \(c.output) simfund: \(swift.output)")
        #expect(checksum(swift.output) != checksum(plain.output), "the schedules should change the result")
    }
}
