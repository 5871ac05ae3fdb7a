import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import SimfundCore

@Suite struct ValueOfInformationReportTests {
    @Test func sectionShowsEveryInputAndTheSelection() throws {
        var files = ReportTests.comparisonFiles
        var report = try ComparisonReport(compareJSON: files["compare.json"]!)
        report.valueOfInformation = [InputValueOfInformation(input: "workforce.passRate.junior", evppi: 0.031, low: 0.02, high: 0.05, source: "exam office"),
                                     InputValueOfInformation(input: "awards.amount", evppi: 0.001, low: 0, high: 0.004)]
        report.sequential = SequentialOutcome(replicatesUsed: 100, selected: report.ranking[0].name, confidence: 0.95, indifference: 0.01,
                                              eliminated: report.ranking.dropFirst().map { .init(name: $0.name, afterReplicates: 100) },
                                              remaining: [report.ranking[0].name])
        files["compare.json"] = report.compareJSON()
        let html = try HTMLReport.render(files: files)
        let doc = try XMLDocument(xmlString: html.replacingOccurrences(of: "<!DOCTYPE html>", with: ""), options: [])
        let rows = try doc.nodes(forXPath: "//*[@id='value-of-information']//tr[td]").map { $0.stringValue ?? "" }
        #expect(rows.count == 2)
        #expect(rows[0].contains("workforce.passRate.junior") && rows[0].contains("3.1 points of probability") && rows[0].contains("could change the choice")
                && rows[0].contains("exam office"), "\(rows[0])")
        #expect(rows[1].contains("awards.amount") && rows[1].contains("would not change the choice") && rows[1].contains("not given"), "\(rows[1])")
        let paragraph = try doc.nodes(forXPath: "//*[@id='value-of-information']/p").first?.stringValue ?? ""
        #expect(paragraph.contains("\(report.ranking[0].name) selected after 100 replicates"), "\(paragraph)")
        // Without decision fields the section is absent.
        #expect(!(try HTMLReport.render(files: ReportTests.comparisonFiles)).contains("value-of-information"))
    }
}
