@_spi(Checking) import SimfundCore

// libFuzzer target over the scenario reader: every input is decoded and
// validated; what validates is run for 5 replicates. Any trap, crash or
// sanitizer report is a bug (issue 8: bad input exits 2, never crashes).

/// Runs of this size or smaller are simulated. Larger valid scenarios are
/// only decoded and validated: the fuzzer looks for crashes, and large
/// runs would cut its throughput many times over. Memory bounds of large
/// runs are the engine's to test.
let maximumDistrictYears = 200
let maximumPlaceYears = 100_000

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    checkAlternativesBothWays(bytes)
    let file: ScenarioFile
    do {
        file = try ScenarioLoader.load(bytes: bytes, fileName: "fuzz.json")
    } catch {
        // Every problem must print as one line without control characters.
        for line in error.lines where holdsControl(line) {
            fatalError("a message spans lines or holds an escape: \(line.debugDescription)")
        }
        return 0
    }
    for line in file.warningLines(file: "fuzz.json") where holdsControl(line) {
        fatalError("a warning spans lines or holds an escape: \(line.debugDescription)")
    }
    for scenario in [file.base] + file.alternatives.prefix(2).map(\.scenario) {
        let places = scenario.districts.map { $0.places.max() ?? 0 }.max() ?? 0
        guard scenario.districts.count * scenario.years <= maximumDistrictYears,
              places * scenario.years <= maximumPlaceYears else { continue }
        if let output = try? Runner.simulate(scenario, seed: scenario.seed ?? 1, replicates: 5, threads: 1) {
            _ = RunSummary(output)
        }
    }
    return 0
}

/// C0 and C1 controls and DEL (newlines, ESC, CSI …).
func holdsControl(_ line: String) -> Bool {
    line.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
}

/// Alternatives are checked and built from their changes; checking each
/// changed document whole must find the same problems, alternatives and
/// warnings.
func checkAlternativesBothWays(_ bytes: [UInt8]) {
    guard let document = try? JSONParser.parse(bytes: bytes), document["alternatives"]?.elements?.isEmpty == false else { return }
    func outcome(_ whole: Bool) -> (problems: Set<String>, alternatives: [Alternative], warnings: [ScenarioIssue]) {
        do {
            let file = try ScenarioLoader.load(document: document, fileName: "fuzz.json", wholeAlternatives: whole)
            return ([], file.alternatives, file.warnings)
        } catch {
            return (Set(error.lines), [], [])
        }
    }
    let (fromChanges, whole) = (outcome(false), outcome(true))
    if fromChanges.problems != whole.problems || fromChanges.alternatives != whole.alternatives || fromChanges.warnings != whole.warnings {
        fatalError("alternatives checked from their changes differ from whole documents: "
                   + "\(fromChanges.problems.symmetricDifference(whole.problems).sorted().prefix(4))")
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links an executable module's entry point under this name.
@_cdecl("SimfundFuzz_main")
func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
}
