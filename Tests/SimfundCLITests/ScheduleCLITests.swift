import Foundation
import Testing

/// Schedules end to end: the output files of `simfund run`.
@Suite("Schedules on the command line")
struct ScheduleCLITests {
    let cli = CLITests()

    @Test("A schedule whose entries equal the plain value writes byte-identical outputs")
    func byteIdentical() throws {
        let dir = cli.temporaryDirectory()
        let data = try Data(contentsOf: CLITests.root.appendingPathComponent("Scenarios/ningde.json"))
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var budget = json["budget"] as! [String: Any], costs = json["costs"] as! [String: Any]
        budget["reliefShare"] = ["schedule": ["2020": budget["reliefShare"]!]]
        costs["priceFactor"] = ["schedule": ["2020": costs["priceFactor"]!, "2022": costs["priceFactor"]!]]
        json["budget"] = budget
        json["costs"] = costs
        let scheduled = dir.appendingPathComponent("scheduled.json")
        try JSONSerialization.data(withJSONObject: json, options: .sortedKeys).write(to: scheduled)
        let plain = try cli.simfund(["run", "Scenarios/ningde.json", "--replicates", "300", "--out", dir.appendingPathComponent("plain").path, "--quiet"])
        let same = try cli.simfund(["run", scheduled.path, "--replicates", "300", "--out", dir.appendingPathComponent("same").path, "--quiet"])
        #expect(plain.status == 0 && same.status == 0, "\(plain.stderr) \(same.stderr)")
        // The manifest and the copied scenario differ (another file); every result is the same.
        for file in ["years.csv", "districts.csv", "targets.csv", "summary.json"] {
            let a = try Data(contentsOf: dir.appendingPathComponent("plain/\(file)"))
            let b = try Data(contentsOf: dir.appendingPathComponent("same/\(file)"))
            #expect(!a.isEmpty && a == b, "\(file) differs")
        }
    }

    @Test("A bad schedule exits 2 naming the year")
    func badSchedule() throws {
        let dir = cli.temporaryDirectory()
        let text = try String(contentsOf: CLITests.root.appendingPathComponent("Scenarios/ningde.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"reliefShare\": 0.01", with: "\"reliefShare\": {\"schedule\": {\"2020\": 0.01, \"2030\": 0.02}}")
        let file = dir.appendingPathComponent("bad.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try cli.simfund(["validate", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("budget.reliefShare.schedule.2030: expected a year of the horizon after startYear, 2021–2023"))
    }
}
