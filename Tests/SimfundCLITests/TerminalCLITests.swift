import Foundation
import Testing

/// The terminal side of the command line: language, width, Excel CSV, value errors.
@Suite("simfund terminal output", .serialized)
struct TerminalCLITests {
    func simfund(_ arguments: [String], environment: [String: String?] = [:]) throws -> CLITests.Result {
        try CLITests().simfund(arguments, environment: environment)
    }

    /// Terminal cells of a line: two for Chinese characters and fullwidth forms.
    func cells(_ line: Substring) -> Int {
        line.unicodeScalars.reduce(0) { $0 + ((0x2E80...0x9FFF).contains($1.value) || (0xFF00...0xFF60).contains($1.value) ? 2 : 1) }
    }

    @Test("English by default, Chinese with --lang zh or SIMFUND_LANG=zh; the flag wins")
    func language() throws {
        let english = try simfund(["run", "Scenarios/ningde.json", "--replicates", "50", "--seed", "1"], environment: ["SIMFUND_LANG": nil])
        #expect(english.status == 0, "\(english.stderr)")
        #expect(english.stdout.contains("township coverage ≥ 90% in 2022"))
        let flag = try simfund(["run", "Scenarios/ningde.json", "--replicates", "50", "--seed", "1", "--lang", "zh"], environment: ["SIMFUND_LANG": nil])
        #expect(flag.stdout.contains("2022年乡镇(街道)社工站覆盖率 ≥ 90%"))
        #expect(flag.stdout.contains("总支出 (万元)"))
        let variable = try simfund(["run", "Scenarios/ningde.json", "--replicates", "50", "--seed", "1"], environment: ["SIMFUND_LANG": "zh_CN.UTF-8"])
        #expect(variable.stdout == flag.stdout)
        let overridden = try simfund(["run", "Scenarios/ningde.json", "--replicates", "50", "--seed", "1", "--lang", "en"],
                                     environment: ["SIMFUND_LANG": "zh"])
        #expect(overridden.stdout == english.stdout)
        let compare = try simfund(["compare", "Scenarios/ningde.json", "--replicates", "50", "--seed", "1", "--lang", "zh"])
        #expect(compare.stdout.contains("排名依据"))
        #expect(compare.stdout.contains("成本效果"))
    }

    @Test("An unknown language is a usage error, from the flag or the environment")
    func unknownLanguage() throws {
        let flag = try simfund(["run", "Scenarios/ningde.json", "--lang", "fr"])
        #expect(flag.status == 64)
        #expect(flag.stderr.contains("--lang: expected en or zh, found \"fr\""))
        let variable = try simfund(["run", "Scenarios/ningde.json"], environment: ["SIMFUND_LANG": "klingon"])
        #expect(variable.status == 64)
        #expect(variable.stderr.contains("SIMFUND_LANG"))
    }

    @Test("COLUMNS sets the width; every line of run, compare and sweep fits", arguments: ["en", "zh"])
    func width(language: String) throws {
        for arguments in [["run", "Scenarios/longyan.json"], ["compare", "Scenarios/ningde.json"],
                          ["sweep", "Scenarios/ningde.json", "--set", "budget.reliefShare=0.005:0.015:0.005", "--set", "subsidies.junior=0:80:80"]] {
            for columns in [80, 120] {
                let result = try simfund(arguments + ["--replicates", "40", "--seed", "3", "--lang", language], environment: ["COLUMNS": String(columns)])
                #expect(result.status == 0, "\(result.stderr)")
                for line in result.stdout.split(separator: "\n") {
                    #expect(cells(line) <= columns, "\(arguments[0]) at \(columns): \(line)")
                }
            }
        }
        // Without COLUMNS and without a terminal: 80.
        let plain = try simfund(["compare", "Scenarios/ningde.json", "--replicates", "40", "--lang", language], environment: ["COLUMNS": nil])
        #expect(plain.stdout.split(separator: "\n").allSatisfy { cells($0) <= 80 })
        let wide = try simfund(["compare", "Scenarios/ningde.json", "--replicates", "40", "--lang", language], environment: ["COLUMNS": "200"])
        #expect(wide.stdout.split(separator: "\n").contains { cells($0) > 80 })
    }

    @Test("--excel starts every CSV with a UTF-8 byte-order mark, and only then")
    func excel() throws {
        let dir = CLITests().temporaryDirectory()
        let plain = try simfund(["run", "Scenarios/ningde.json", "--replicates", "20", "--quiet", "--out", dir.appendingPathComponent("plain").path])
        let excel = try simfund(["run", "Scenarios/ningde.json", "--replicates", "20", "--quiet", "--excel", "--out", dir.appendingPathComponent("excel").path])
        #expect(plain.status == 0 && excel.status == 0)
        for name in ["years.csv", "districts.csv", "targets.csv"] {
            let withMark = try Data(contentsOf: dir.appendingPathComponent("excel/\(name)"))
            let without = try Data(contentsOf: dir.appendingPathComponent("plain/\(name)"))
            #expect(Array(withMark.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name)")
            #expect(withMark.dropFirst(3) == without, "\(name)")
        }
        let summary = try Data(contentsOf: dir.appendingPathComponent("excel/summary.json"))
        #expect(summary.first == UInt8(ascii: "{"))
        let compare = try simfund(["compare", "Scenarios/ningde.json", "--replicates", "20", "--quiet", "--excel", "--out", dir.appendingPathComponent("c").path])
        #expect(compare.status == 0)
        #expect(Array(try Data(contentsOf: dir.appendingPathComponent("c/compare.csv")).prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test("Command-line value errors exit 64 with a message naming the value")
    func valueErrors() throws {
        let negative = try simfund(["run", "Scenarios/ningde.json", "--seed", "-1"])
        #expect(negative.status == 64)
        #expect(negative.stderr.contains("the seed cannot be negative"))
        let rankBy = try simfund(["compare", "Scenarios/ningde.json", "--rank-by", "coverage"])
        #expect(rankBy.status == 64)
        #expect(rankBy.stderr.contains("--rank-by: expected METRIC@YEAR"))
        let year = try simfund(["compare", "Scenarios/ningde.json", "--rank-by", "certified@1999"])
        #expect(year.status == 64)
        let noSet = try simfund(["sweep", "Scenarios/ningde.json"])
        #expect(noSet.status == 64)
    }

    @Test("Help shows FILE, DIR and N placeholders and --set as required")
    func help() throws {
        let run = try simfund(["run", "--help"])
        #expect(run.stdout.contains("<FILE>") && run.stdout.contains("--out <DIR>") && run.stdout.contains("--replicates <N>"))
        let sweep = try simfund(["sweep", "--help"])
        #expect(sweep.stdout.contains("USAGE: simfund sweep FILE --set PATH=FROM:TO:STEP"))
        // Every line of help fits 80 columns.
        for text in [run.stdout, sweep.stdout, try simfund(["compare", "--help"]).stdout] {
            for line in text.split(separator: "\n") { #expect(cells(line) <= 80, "\(line)") }
        }
    }
}
