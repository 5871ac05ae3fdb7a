import Testing
@testable import SimfundCore

/// Laying tables out for a terminal: display width, splitting, the long layout.
@Suite("Text tables")
struct TextTableTests {
    @Test func displayWidthCountsChineseAsTwoCells() {
        #expect(displayWidth("yuan") == 4)
        #expect(displayWidth("万元") == 4)
        #expect(displayWidth("乡镇(街道)社工站") == 16)
        #expect(displayWidth("，") == 2)
        #expect(displayWidth("≥ 90%") == 5)
        #expect(displayWidth("e\u{301}") == 1)
        #expect(padded("万", to: 4) == "万  ")
        #expect(padded("万", to: 4, right: true) == "  万")
    }

    @Test func widthFromColumnsWhenSet() {
        #expect(TerminalWidth.current(environment: ["COLUMNS": "132"]) == 132)
        #expect(TerminalWidth.current(environment: ["COLUMNS": " 100 "]) == 100)
    }

    let table = TextTable(header: ["name", "coverage", "spending (万元)", "paid"],
                          rows: [["蕉城区", "93.7%", "2,787", "100.0%"], ["Shouning", "81.0%", "312", "100.0%"]])

    @Test func wideTablePadsByDisplayWidthAndSaysConstantColumnsOnce() {
        let text = table.render(width: 80)
        #expect(text == """
            name      coverage  spending (万元)
            蕉城区       93.7%            2,787
            Shouning     81.0%              312

            paid: 100.0% in every row

            """)
    }

    @Test func narrowTableSplitsThenGoesLong() {
        // 28 cells: side by side, the header wrapped.
        #expect(table.render(width: 28).hasPrefix("                    spending\nname      coverage    (万元)\n蕉城区       93.7%     2,787\n"))
        // 24 cells: the names and one column at a time.
        let split = table.render(width: 24)
        #expect(split.hasPrefix("name      coverage\n蕉城区       93.7%\nShouning     81.0%\n\n"))
        #expect(split.contains("\n          spending\nname        (万元)\n蕉城区       2,787\n"))
        // 12 cells: not even one column beside the names; one block per row.
        let long = table.render(width: 12)
        #expect(long.hasPrefix("蕉城区\n  coverage         93.7%\n  spending (万元)  2,787\n\nShouning\n"))
        for line in split.split(separator: "\n") { #expect(displayWidth(String(line)) <= 24) }
    }

    @Test func intervalsAlignOnValueAndBracket() {
        let aligner = IntervalAligner(["+1.2 [+0.3, +2.1]", "-12.5 [-14.0, -11.0]", "–"])
        #expect(aligner.align("+1.2 [+0.3, +2.1]") == " +1.2 [+0.3, +2.1]  ")
        #expect(aligner.align("–") == "–")
    }

    @Test func paragraphsWrapAtSpacesAndBetweenChineseCharacters() {
        #expect(hangingParagraph("saves 1.95 million yuan per station lost [1.58, 2.33]", width: 30, indent: 4)
            == "saves 1.95 million yuan per\n    station lost [1.58, 2.33]\n")
        #expect(hangingParagraph("每少一个有人驻站的社工站节省195万元", width: 20, indent: 2) == "每少一个有人驻站的社\n  工站节省195万元\n")
    }
}
