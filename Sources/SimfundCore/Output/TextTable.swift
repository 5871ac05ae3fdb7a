import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cells a string takes in a terminal: two for East Asian wide and
/// fullwidth characters (汉字, 万, fullwidth punctuation), none for combining
/// marks and zero-width characters, one otherwise (ambiguous-width
/// characters such as ≥ and – count as one, as most terminals draw them).
public func displayWidth(_ text: String) -> Int {
    var width = 0
    for scalar in text.unicodeScalars { width += cellWidth(scalar.value) }
    return width
}

/// The cells of one Unicode scalar (Unicode Standard Annex #11, the W and F ranges in use).
func cellWidth(_ value: UInt32) -> Int {
    switch value {
    case 0x0300...0x036F, 0x200B...0x200F, 0x2060...0x2064, 0xFE00...0xFE0F, 0xFEFF: return 0
    case 0x1100...0x115F, // Hangul Jamo initials
         0x2E80...0x303E, // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
         0x3041...0x33FF, // Hiragana, Katakana, Bopomofo, Hangul compatibility, Kanbun, CJK strokes, enclosed and compatibility
         0x3400...0x4DBF, // CJK extension A
         0x4E00...0x9FFF, // CJK unified ideographs
         0xA000...0xA4CF, // Yi
         0xA960...0xA97F, // Hangul Jamo extended A
         0xAC00...0xD7A3, // Hangul syllables
         0xF900...0xFAFF, // CJK compatibility ideographs
         0xFE10...0xFE19, // vertical forms
         0xFE30...0xFE6F, // CJK compatibility forms, small form variants
         0xFF00...0xFF60, // fullwidth forms
         0xFFE0...0xFFE6, // fullwidth signs
         0x1F300...0x1F64F, 0x1F900...0x1F9FF, // pictographs and emoji
         0x20000...0x2FFFD, 0x30000...0x3FFFD: // CJK extensions B and beyond
        return 2
    default:
        return 1
    }
}

/// `text` followed (or preceded, when `right`) by spaces up to `width` cells.
func padded(_ text: String, to width: Int, right: Bool = false) -> String {
    let spaces = String(repeating: " ", count: max(0, width - displayWidth(text)))
    return right ? spaces + text : text + spaces
}

/// The width tables are laid out for.
public enum TerminalWidth {
    /// `COLUMNS` when set to a positive number (an explicit choice, as in
    /// Python's `shutil.get_terminal_size`), else the width of the terminal on
    /// standard output when it is one, else 80.
    public static func current() -> Int { current(environment: ProcessInfo.processInfo.environment) }

    public static func current(environment: [String: String]) -> Int {
        if let columns = environment["COLUMNS"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), columns > 0 {
            return columns
        }
        if isatty(STDOUT_FILENO) == 1 {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        }
        return 80
    }
}

/// A table laid out for a terminal of a given width: side by side when it
/// fits (headers wrapped onto several lines where their words allow); else
/// the columns split into several side-by-side tables that each fit, the key
/// columns repeated; else, when even one column does not fit beside the
/// keys, one block per row with one line per column. Columns whose cells are
/// the same in every row are taken out and said once below the table.
struct TextTable {
    var header: [String]
    var rows: [[String]]
    /// Leading columns that name a row: left-aligned, and the block title in the long layout.
    var keyColumns = 1
    /// Per column, a group number: columns of one group (a median and its
    /// difference) stay in the same part when the table is split. Default: one group per column.
    var groups: [Int]?
    /// The title of a row's block in the long layout (default: its key cells).
    var blockTitle: (([String]) -> String)?
    var labels = Labels(.en)
    /// Whether columns the same in every row are said once below the table.
    var dropsConstantColumns = true

    func render(width: Int) -> String {
        var columns = header.indices.map { c in Column(header: header[c], cells: rows.map { $0[c] }, group: groups?[c] ?? c) }
        var constant: [String] = []
        if dropsConstantColumns, rows.count >= 2 {
            for c in (keyColumns..<columns.count).reversed() where Set(columns[c].cells).count == 1 {
                let (header, value) = (columns[c].header, columns[c].cells[0])
                constant.insert(labels.language == .zh ? "各行\(header)均为\(value)" : "\(header): \(value) in every row", at: 0)
                columns.remove(at: c)
            }
        }
        let keys = Array(columns.prefix(keyColumns))
        let values = Array(columns.dropFirst(keyColumns))
        var out: String
        if let table = wide(keys + values, width: width) {
            out = table
        } else if let parts = split(keys: keys, values: values, width: width, packing: \.comfortableWidth)
                    ?? split(keys: keys, values: values, width: width, packing: \.minimumWidth) {
            out = parts.joined(separator: "\n")
        } else {
            out = long(keys: keys, values: values)
        }
        if !constant.isEmpty {
            out += "\n" + hangingParagraph(constant.joined(separator: labels.language == .zh ? "；" : "; "), width: width, indent: 2)
        }
        return out
    }

    struct Column {
        var header: String
        var cells: [String]
        var group: Int
        var aligner: IntervalAligner { IntervalAligner(cells) }

        /// Cells aligned on their intervals.
        var alignedCells: [String] {
            let aligner = aligner
            return cells.map(aligner.align)
        }

        /// The narrowest the column can be: its widest cell, or its header's widest unbreakable piece.
        var minimumWidth: Int {
            // A short header (`rank`, `排名`) is never broken.
            let headerWidth = displayWidth(header) <= 6 ? displayWidth(header) : headerPieces(header).map(displayWidth).max() ?? 0
            return max(alignedCells.map(displayWidth).max() ?? 0, headerWidth)
        }

        /// The narrowest width at which the header takes at most two lines
        /// (or its minimum width, if wider): what splitting a table packs by.
        var comfortableWidth: Int {
            var width = minimumWidth
            while wrapHeader(header, width: width).count > 2, width < displayWidth(header) { width += 1 }
            return width
        }
    }

    /// Consecutive groups of value columns in parts that each fit beside the keys, or nil.
    private func split(keys: [Column], values: [Column], width: Int, packing columnWidth: (Column) -> Int) -> [String]? {
        // Key headers on one line unless that takes more parts.
        let oneLineKeys = keys.map { max($0.minimumWidth, displayWidth($0.header)) }
        let packed = split(keys: keys, values: values, width: width, keyWidths: keys.map(columnWidth), packing: columnWidth)
        guard let oneLine = split(keys: keys, values: values, width: width, keyWidths: oneLineKeys, packing: columnWidth) else { return packed }
        return packed.map { $0.count < oneLine.count ? $0 : oneLine } ?? oneLine
    }

    private func split(keys: [Column], values: [Column], width: Int, keyWidths: [Int], packing columnWidth: (Column) -> Int) -> [String]? {
        let keyWidth = keyWidths.reduce(0, +) + 2 * keys.count
        // Groups of columns that stay together.
        var groups: [[Column]] = []
        for column in values {
            if let last = groups.last?.last, last.group == column.group { groups[groups.count - 1].append(column) } else { groups.append([column]) }
        }
        let groupWidths = groups.map { $0.map { columnWidth($0) + 2 }.reduce(0, +) }
        guard groupWidths.allSatisfy({ keyWidth + $0 - 2 <= width }) else { return nil }
        func fits(_ range: Range<Int>) -> Bool { keyWidth + groupWidths[range].reduce(0, +) - 2 <= width }
        // As few parts as greedy packing needs, then as even as they can be (2 + 2 years, not 3 + 1).
        var partCount = 0, start = 0
        while start < groups.count {
            var end = start + 1
            while end < groups.count, fits(start..<(end + 1)) { end += 1 }
            partCount += 1
            start = end
        }
        var ranges: [Range<Int>] = []
        let size = (groups.count + partCount - 1) / partCount
        for first in stride(from: 0, to: groups.count, by: size) { ranges.append(first..<min(groups.count, first + size)) }
        if ranges.count != partCount || !ranges.allSatisfy(fits) {
            // Even parts do not fit: greedy ones.
            ranges = []
            start = 0
            while start < groups.count {
                var end = start + 1
                while end < groups.count, fits(start..<(end + 1)) { end += 1 }
                ranges.append(start..<end)
                start = end
            }
        }
        // Keys as wide as packing assumed, so that every part lines up.
        return ranges.map { wide(keys + groups[$0].flatMap { $0 }, width: width, keyWidths: keyWidths)! }
    }

    /// Side by side, or nil when it does not fit in `width`.
    /// - Parameter keyWidths: fixed widths of the key columns (the same in every part of a split table).
    private func wide(_ columns: [Column], width: Int, keyWidths: [Int]? = nil) -> String? {
        var widths = columns.map(\.minimumWidth)
        if let keyWidths { for (c, w) in keyWidths.enumerated() { widths[c] = w } }
        let adjustable = keyWidths == nil ? Array(columns.indices) : Array(columns.indices.dropFirst(keyColumns))
        guard widths.reduce(0, +) + 2 * (columns.count - 1) <= width else { return nil }
        // The fewest header lines for which the columns still fit: each column
        // as narrow as that many lines allow.
        let tallest = columns.indices.map { wrapHeader(columns[$0].header, width: widths[$0]).count }.max() ?? 1
        for lines in 1..<max(1, tallest) {
            let candidate = columns.indices.map { c in
                guard adjustable.contains(c) else { return widths[c] }
                var w = widths[c]
                while wrapHeader(columns[c].header, width: w).count > lines, w < displayWidth(columns[c].header) { w += 1 }
                return w
            }
            if candidate.reduce(0, +) + 2 * (columns.count - 1) <= width {
                widths = candidate
                break
            }
        }
        // Cells left over put short headers on one line, cheapest first, and
        // columns that cost the same (alike headers) all or none.
        var spare = width - widths.reduce(0, +) - 2 * (columns.count - 1)
        let oneLine = columns.map { displayWidth($0.header) }
        let costs = Dictionary(grouping: adjustable.filter { oneLine[$0] > widths[$0] }) { oneLine[$0] - widths[$0] }
        for cost in costs.keys.sorted() {
            let group = costs[cost]!
            guard cost * group.count <= spare else { break }
            spare -= cost * group.count
            for c in group { widths[c] = oneLine[c] }
        }
        var headerLines = columns.indices.map { wrapHeader(columns[$0].header, width: widths[$0]) }
        for c in columns.indices { widths[c] = max(widths[c], headerLines[c].map(displayWidth).max() ?? 0) }
        let height = headerLines.map(\.count).max() ?? 1
        // Headers sit on the line just above their column.
        for c in columns.indices { headerLines[c] = Array(repeating: "", count: height - headerLines[c].count) + headerLines[c] }
        let cells = columns.map(\.alignedCells)
        func line(_ cells: [String]) -> String {
            trimmingTrailingSpaces(cells.enumerated().map { c, cell in padded(cell, to: widths[c], right: c >= keyColumns) }
                .joined(separator: "  ")) + "\n"
        }
        var out = ""
        for h in 0..<height { out += line(columns.indices.map { headerLines[$0][h] }) }
        for r in rows.indices { out += line(columns.indices.map { cells[$0][r] }) }
        return out
    }

    /// One block per row: its title, then `header  value` lines.
    private func long(keys: [Column], values: [Column]) -> String {
        let labelWidth = values.map { displayWidth($0.header) }.max() ?? 0
        return rows.indices.map { r in
            let keyCells = keys.map { $0.cells[r] }
            let title = blockTitle?(keyCells) ?? keyCells.joined(separator: "  ")
            // Values aligned within the block, medians on medians and intervals on intervals.
            let aligner = IntervalAligner(values.map { $0.cells[r] })
            let cells = values.map { aligner.align($0.cells[r]) }
            let valueWidth = cells.map(displayWidth).max() ?? 0
            let lines = zip(values, cells).map { column, value in
                trimmingTrailingSpaces("  " + padded(column.header, to: labelWidth) + "  " + padded(value, to: valueWidth, right: true))
            }
            return ([title] + lines).joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }
}

/// Pieces filled greedily into lines: each piece joins the line after its
/// separator (a space between words, nothing inside a Chinese word) while
/// the line stays within `width(lineIndex)` cells; a piece too long for any
/// line keeps a line of its own.
func fillLines(_ pieces: [(text: String, separator: String)], width: (Int) -> Int) -> [String] {
    var lines: [String] = [], current = ""
    for piece in pieces {
        if current.isEmpty {
            current = piece.text
        } else if displayWidth(current) + displayWidth(piece.separator) + displayWidth(piece.text) <= width(lines.count) {
            current += piece.separator + piece.text
        } else {
            lines.append(current)
            current = piece.text
        }
    }
    return lines + [current]
}

/// A word as pieces: whole, or broken as ``headerPieces(_:)`` allows. A
/// header word breaks when it is wider than `width`; a word of prose (`width`
/// nil) always between Chinese characters, never at the dots of a path.
func wordPieces(_ word: String, width: Int?) -> [(text: String, separator: String)] {
    let breaks = width.map { displayWidth(word) > $0 } ?? word.unicodeScalars.contains { cellWidth($0.value) == 2 }
    guard breaks, !word.contains(" ") else { return [(word, " ")] }
    return headerPieces(word).enumerated().map { ($1, $0 == 0 ? " " : "") }
}

/// A header in lines of at most `width` cells: broken at spaces, and a word
/// still too wide between its Chinese characters (a longer piece keeps its own line).
func wrapHeader(_ text: String, width: Int) -> [String] {
    fillLines(text.split(separator: " ").flatMap { wordPieces(String($0), width: width) }) { _ in width }
}

/// The pieces a header may be broken into: words, and within a word single
/// Chinese characters (but not before closing or after opening punctuation)
/// and the parts of a dotted path.
func headerPieces(_ text: String) -> [String] {
    var pieces: [String] = []
    for word in text.split(separator: " ") {
        var current = ""
        var previous: Character?
        for character in word {
            if let previous {
                let wide = displayWidth(String(character)) == 2 || displayWidth(String(previous)) == 2
                let glued = ")]）】%".contains(character) || "([（【".contains(previous)
                // A dotted path may break after a dot: `budget.` / `reliefShare`.
                let afterDot = previous == "." && character.isLetter
                if wide && !glued || afterDot {
                    pieces.append(current)
                    current = ""
                }
            }
            current.append(character)
            previous = character
        }
        pieces.append(current)
    }
    return pieces
}

/// Lines up cells of the form `value [low, high]` on the value's last digit
/// and the bracket; other cells are left as they are.
struct IntervalAligner {
    var valueWidth = 0, intervalWidth = 0

    init(_ cells: [String]) {
        for cell in cells {
            guard let (value, interval) = IntervalAligner.split(cell) else { continue }
            valueWidth = max(valueWidth, displayWidth(value))
            intervalWidth = max(intervalWidth, displayWidth(interval))
        }
    }

    var width: Int { intervalWidth == 0 ? 0 : valueWidth + 1 + intervalWidth }

    func align(_ cell: String) -> String {
        guard let (value, interval) = IntervalAligner.split(cell) else { return cell }
        return padded(value, to: valueWidth, right: true) + " " + padded(interval, to: intervalWidth)
    }

    static func split(_ cell: String) -> (String, String)? {
        guard let bracket = cell.range(of: " ["), cell.hasSuffix("]") else { return nil }
        return (String(cell[..<bracket.lowerBound]), "[" + cell[bracket.upperBound...])
    }
}

func trimmingTrailingSpaces(_ text: String) -> String {
    String(text.reversed().drop { $0 == " " }.reversed())
}
