import Foundation
import Testing
@testable import SimfundCore
import SimfundStochastics

/// A scenario file and its posterior CSV in a fresh directory; returns the scenario's path.
func posteriorScenario(_ json: [String: Any], csv: String, parameters: [String], file: String = "posterior.csv") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simfund-posterior-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var json = json
    json["posterior"] = ["file": file, "parameters": parameters]
    let scenarioPath = directory.appendingPathComponent("scenario.json")
    try jsonText(json).write(to: scenarioPath, atomically: true, encoding: .utf8)
    try csv.write(to: directory.appendingPathComponent(file), atomically: true, encoding: .utf8)
    return scenarioPath.path
}

func ningdeJSON() throws -> [String: Any] {
    let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/ningde.json"))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
}

/// Runs replicate `r` with `inputs` and returns the parameter values of its first year.
func parameterValues(_ scenario: Scenario, seed: UInt64, replicate r: Int, inputs: (inout ReplicateInputs) -> Void = { _ in }) -> [Double] {
    let simulator = Simulator(scenario: scenario, seed: seed)
    var workspace = simulator.makeWorkspace()
    inputs(&workspace.inputs)
    var stream = RandomStream()
    var recorder = TraceRecorder()
    simulator.run(replicate: r, in: &workspace, stream: &stream, observer: &recorder)
    return recorder.parameters[0]
}

@Suite("Posterior as input")
struct PosteriorTests {
    static let take = ParameterSlot.examTakeJunior.rawValue
    static let pass = ParameterSlot.passRateJunior.rawValue
    static let header = "workforce.passRate.junior,weight,workforce.examTakeRate.junior\n"

    @Test("a posterior of one row gives exactly the scenario with those values fixed")
    func oneRowIsFixed() throws {
        let json = try ningdeJSON()
        let path = try posteriorScenario(json, csv: PosteriorTests.header + "0.31,2.5,0.42\n",
                                         parameters: ["workforce.examTakeRate.junior", "workforce.passRate.junior"])
        let withPosterior = try ScenarioLoader.load(path: path).base
        var fixed = setting(json, "workforce.examTakeRate.junior", 0.42)
        fixed = setting(fixed, "workforce.passRate.junior", 0.31)
        let plain = try scenario(fixed)
        #expect(withPosterior.posterior?.rowCount == 1)
        let a = MetricTable(withPosterior, seed: 11, replicates: 40)
        let b = MetricTable(plain, seed: 11, replicates: 40)
        #expect(a == b)
        // Not trivially equal: without the posterior the file's distributions give other values.
        #expect(MetricTable(try scenario(json), seed: 11, replicates: 40) != a)
    }

    @Test("every replicate takes one row's values jointly, with row frequencies ∝ weight")
    func jointRowsAndFrequencies() throws {
        // Rows whose pairs differ from every other row's crossing; weight 0 is never drawn.
        let rows: [(pass: Double, weight: Double, take: Double)] = [(0.1, 1, 0.9), (0.2, 3, 0.8), (0.3, 0, 0.7), (0.4, 4, 0.1)]
        let csv = PosteriorTests.header + rows.map { "\($0.pass),\($0.weight),\($0.take)\n" }.joined()
        let path = try posteriorScenario(tinyScenarioJSON(), csv: csv, parameters: ["workforce.passRate.junior", "workforce.examTakeRate.junior"])
        let scenario = try ScenarioLoader.load(path: path).base
        let n = 4000
        var counts = [Int](repeating: 0, count: rows.count)
        for r in 0..<n {
            let values = parameterValues(scenario, seed: 5, replicate: r)
            let pair = (values[PosteriorTests.pass], values[PosteriorTests.take])
            let matching = rows.indices.filter { rows[$0].pass == pair.0 && rows[$0].take == pair.1 }
            #expect(matching.count == 1, "replicate \(r): \(pair) is not one row's pair")
            if let row = matching.first { counts[row] += 1 }
        }
        #expect(counts[2] == 0)
        let total = rows.map(\.weight).reduce(0, +)
        for (i, row) in rows.enumerated() where row.weight > 0 {
            let p = row.weight / total
            let sd = (Double(n) * p * (1 - p)).squareRoot()
            // Binomial: within 4 standard errors (fixed seed: the outcome is fixed too).
            #expect(abs(Double(counts[i]) - Double(n) * p) <= 4 * sd, "row \(i): \(counts[i]) of \(n), expected \(Double(n) * p) ± \(4 * sd)")
        }
    }

    @Test("the row search: zero weights are never selected, boundaries go to the next positive row")
    func rowSearch() {
        let posterior = Posterior(file: "p.csv", resolvedPath: "p.csv", sha256: "", paths: ["a"], slots: [0],
                                  values: [10, 11, 12, 13, 14], weights: [0, 1, 0, 3, 0])
        #expect(posterior.row(at: 0) == 1)
        #expect(posterior.row(at: 0.2499) == 1)
        #expect(posterior.row(at: 0.25) == 3)
        #expect(posterior.row(at: 0.999999) == 3)
        // u·Σw rounded up to Σw still lands on a positive row.
        #expect(posterior.row(at: 1) == 3)
    }

    @Test("alternatives share each replicate's row (common random numbers)")
    func alternativesShareRows() throws {
        var json = try ningdeJSON()
        json["alternatives"] = [["name": "more relief", "set": ["budget.reliefShare": 0.05]]]
        let csv = PosteriorTests.header + "0.2,1,0.3\n0.3,1,0.4\n0.4,1,0.5\n0.5,1,0.6\n"
        let file = try ScenarioLoader.load(path: try posteriorScenario(json, csv: csv,
                                                                       parameters: ["workforce.passRate.junior", "workforce.examTakeRate.junior"]))
        let alternative = try #require(file.alternatives.first).scenario
        #expect(alternative.posterior == file.base.posterior)
        var seen: Set<Double> = []
        for r in 0..<30 {
            let base = parameterValues(file.base, seed: 9, replicate: r)
            let other = parameterValues(alternative, seed: 9, replicate: r)
            #expect(base[PosteriorTests.pass] == other[PosteriorTests.pass] && base[PosteriorTests.take] == other[PosteriorTests.take])
            #expect(base[ParameterSlot.reliefShare.rawValue] != other[ParameterSlot.reliefShare.rawValue])
            seen.insert(base[PosteriorTests.pass])
        }
        #expect(seen.count > 1)
    }

    @Test("results do not depend on the thread count")
    func threadInvariance() throws {
        let csv = PosteriorTests.header + "0.2,1,0.3\n0.3,2,0.4\n0.4,3,0.5\n"
        let file = try ScenarioLoader.load(path: try posteriorScenario(try ningdeJSON(), csv: csv,
                                                                       parameters: ["workforce.passRate.junior", "workforce.examTakeRate.junior"]))
        let one = RunSummary(try Runner.simulate(file.base, seed: 4, replicates: 120, threads: 1))
        let three = RunSummary(try Runner.simulate(file.base, seed: 4, replicates: 120, threads: 3))
        #expect(one == three)
    }

    @Test("a held slot wins over the row; posteriorReplicate takes another replicate's row")
    func inputsHooks() throws {
        let csv = PosteriorTests.header + (0..<20).map { "0.\($0 / 2),1,0.\($0 % 10)\n" }.joined()
        let scenario = try ScenarioLoader.load(path: try posteriorScenario(tinyScenarioJSON(), csv: csv,
                                                                           parameters: ["workforce.passRate.junior", "workforce.examTakeRate.junior"])).base
        let own = parameterValues(scenario, seed: 2, replicate: 0)
        let fifth = parameterValues(scenario, seed: 2, replicate: 5)
        #expect([own[PosteriorTests.pass], own[PosteriorTests.take]] != [fifth[PosteriorTests.pass], fifth[PosteriorTests.take]])
        let swapped = parameterValues(scenario, seed: 2, replicate: 0) { $0.posteriorReplicate = 5 }
        #expect(swapped[PosteriorTests.pass] == fifth[PosteriorTests.pass] && swapped[PosteriorTests.take] == fifth[PosteriorTests.take])
        let held = parameterValues(scenario, seed: 2, replicate: 0) { $0.hold(PosteriorTests.pass, at: 0.77) }
        #expect(held[PosteriorTests.pass] == 0.77 && held[PosteriorTests.take] == own[PosteriorTests.take])
        var inputs = ReplicateInputs(parameterCount: 3)
        inputs.posteriorReplicate = 5
        inputs.reset()
        #expect(inputs.posteriorReplicate == nil)
    }

    @Test("posterior slots are uncertain inputs, even where the file gives a plain number")
    func uncertainInputs() throws {
        let scenario = try ScenarioLoader.load(path: try posteriorScenario(tinyScenarioJSON(), csv: "budget.fiscal.0.amount,weight\n100,1\n200,1\n",
                                                                           parameters: ["budget.fiscal.0.amount"])).base
        #expect(scenario.uncertainInputs.map(\.path) == ["budget.fiscal.0.amount"])
        #expect(scenario.uncertainInputs.first?.per == .replicate)
        #expect(scenario.uncertainInputs.first?.fromPosterior == true)
    }

    @Test("the file resolves against the scenario's directory and its SHA-256 is kept")
    func resolution() throws {
        let csv = "workforce.passRate.junior,weight\n0.5,1\n"
        let path = try posteriorScenario(tinyScenarioJSON(), csv: csv, parameters: ["workforce.passRate.junior"])
        let posterior = try #require(try ScenarioLoader.load(path: path).base.posterior)
        #expect(posterior.resolvedPath == ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("posterior.csv"))
        #expect(posterior.sha256 == sha256Hex(Array(csv.utf8)))
        #expect(PosteriorLoader.resolve("p.csv", against: "-") == "p.csv")
        #expect(PosteriorLoader.resolve("-", against: "scenario.json") == "./-")
        #expect(PosteriorLoader.resolve("/abs/p.csv", against: "dir/scenario.json") == "/abs/p.csv")
        #expect(PosteriorLoader.resolve("p.csv", against: "dir/sub/scenario.json") == "dir/sub/p.csv")
    }

    @Test("a sweep axis on a posterior path is refused, naming the posterior")
    func sweepAxisRefused() throws {
        let file = try ScenarioLoader.load(path: try posteriorScenario(tinyScenarioJSON(), csv: "workforce.passRate.junior,weight\n0.5,1\n",
                                                                       parameters: ["workforce.passRate.junior"]))
        guard case let .failure(problem) = NumericLever.resolve("workforce.passRate.junior", in: file) else {
            Issue.record("the lever resolved")
            return
        }
        #expect(problem.reason.contains("posterior"))
        guard case .success = NumericLever.resolve("workforce.passRate.senior", in: file) else {
            Issue.record("another path was refused")
            return
        }
    }

    @Test("more rows or columns than the limits are refused before the cells are read")
    func limits() throws {
        func problems(_ csv: String) throws -> [String] {
            let path = try posteriorScenario(tinyScenarioJSON(), csv: csv, parameters: ["workforce.passRate.junior"])
            do {
                _ = try ScenarioLoader.load(path: path)
                return []
            } catch {
                return error.issues.map(\.description)
            }
        }
        let header = "workforce.passRate.junior,weight\n"
        let tooLong = try problems(header + String(repeating: "0.5,1\n", count: Posterior.maximumRows + 1))
        #expect(tooLong.count == 1 && tooLong[0].contains("at most 1000000 rows"), "\(tooLong)")
        // Exactly the limit is accepted (trailing blank lines do not count).
        #expect(try problems(header + String(repeating: "0.5,1\n", count: Posterior.maximumRows) + "\n\n").isEmpty)
        let wide = try problems(String(repeating: "x,", count: Posterior.maximumColumns) + "weight\n0\n")
        #expect(wide.count == 1 && wide[0].contains("at most 1000 columns") && wide[0].contains("found 1001"), "\(wide)")
    }

    @Test("the manifest records the posterior file and its SHA-256, and reads them back")
    func manifest() throws {
        var manifest = RunManifest(command: "simfund run s.json", scenarioName: "s", scenarioFile: "s.json", scenarioBytes: [1, 2],
                                   seed: 1, replicates: 10, threads: 2, date: Date(timeIntervalSince1970: 0))
        #expect(!manifest.json().contains("posterior"))
        manifest.posteriorFile = "posterior.csv"
        manifest.posteriorHash = sha256Hex(Array("weight\n1\n".utf8))
        let text = manifest.json()
        #expect(text.contains("\"posteriorSHA256\": \"\(manifest.posteriorHash!)\""))
        #expect(try RunManifest(manifestJSON: text) == manifest)
        let broken = text.replacingOccurrences(of: manifest.posteriorHash!, with: "xyz")
        #expect(throws: OutputReadError.self) { try RunManifest(manifestJSON: broken) }
    }

    @Test("a byte-order mark, CRLF line ends, padded cells, extra columns and trailing blank lines are read")
    func tolerantReading() throws {
        let csv = "\u{FEFF}distance , workforce.passRate.junior,weight\r\n 7, 0.25 ,1e0\r\n8,.5,+2.5\r\n\r\n  \n"
        let posterior = try #require(try ScenarioLoader.load(path: try posteriorScenario(tinyScenarioJSON(), csv: csv,
                                                                                        parameters: ["workforce.passRate.junior"])).base.posterior)
        #expect(posterior.rowCount == 2)
        #expect(posterior.value(row: 0, column: 0) == 0.25 && posterior.value(row: 1, column: 0) == 0.5)
        #expect(posterior.weights == [1, 2.5])
    }
}
