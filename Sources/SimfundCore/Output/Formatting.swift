import Foundation

/// A number as JSON and CSV write it: shortest text that reads back to the
/// same Double (integers without a fraction), `null` for non-finite values.
func jsonNumber(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}

/// A compact number for the HTML report until it moves to ``Presentation``.
func formatNumber(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    let magnitude = abs(x)
    if magnitude >= 1e8 { return String(format: "%.2f亿", x / 1e8) }
    if magnitude >= 1e6 { return String(format: "%.1f万", x / 1e4) }
    if magnitude >= 100 || x == x.rounded() { return String(format: "%.0f", x) }
    if magnitude >= 1 { return String(format: "%.2f", x) }
    return String(format: "%.3f", x)
}

/// A share as a percentage for the HTML report until it moves to ``Presentation``.
func formatPercent(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    return String(format: x * 100 == (x * 100).rounded() ? "%.0f%%" : "%.1f%%", x * 100)
}

/// A minimal JSON builder with keys in insertion order (outputs read better
/// in a fixed order than sorted).
indirect enum JSONOutput {
    case number(Double)
    case integer(Int64)
    case unsigned(UInt64)
    case string(String)
    case bool(Bool)
    case null
    case array([JSONOutput])
    case object([(String, JSONOutput)])

    func render(indent: Int = 0, pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, indent: indent, pretty: pretty)
        return out
    }

    private func write(to out: inout String, indent: Int, pretty: Bool) {
        let newline = pretty ? "\n" : ""
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        switch self {
        case let .number(x): out += jsonNumber(x)
        case let .integer(i): out += String(i)
        case let .unsigned(u): out += String(u)
        case let .string(s): out += JSONOutput.quote(s)
        case let .bool(b): out += b ? "true" : "false"
        case .null: out += "null"
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line.
            let scalar = items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            if scalar {
                out += "[" + items.map { $0.render(pretty: false) }.joined(separator: ", ") + "]"
                return
            }
            out += "[" + newline
            for (i, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 1, pretty: pretty)
                out += (i < items.count - 1 ? "," : "") + newline
            }
            out += closePad + "]"
        case let .object(members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, (key, value)) in members.enumerated() {
                out += pad + JSONOutput.quote(key) + (pretty ? ": " : ":")
                value.write(to: &out, indent: indent + 1, pretty: pretty)
                out += (i < members.count - 1 ? "," : "") + newline
            }
            out += closePad + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// A CSV file as Excel and WPS read it when `excel`: with a UTF-8 byte-order
/// mark first, without which they take the file for the system's legacy code
/// page and garble Chinese district names. Other readers (pandas, R) skip it
/// or need `encoding="utf-8-sig"`, so it is only added on request.
public func excelCSV(_ csv: String, _ excel: Bool) -> String {
    excel ? "\u{FEFF}" + csv : csv
}

/// A CSV field, quoted when it needs to be (RFC 4180).
func csvField(_ s: String) -> String {
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}

// MARK: - Numbers as planners read them (terminal and report)

/// The language of terminal tables and reports. Files (JSON, CSV) keep
/// their English field names whatever the language.
public enum Language: String, Sendable, CaseIterable, Hashable {
    case en, zh

    /// From a language code as `--lang` or `SIMFUND_LANG` give it: `en`,
    /// `zh`, also locale spellings such as `zh_CN.UTF-8`, `zh-Hans`, `en-GB`.
    public init?(code: String) {
        let primary = code.lowercased().prefix { $0.isLetter }
        switch primary {
        case "en": self = .en
        case "zh": self = .zh
        default: return nil
        }
    }

    /// `--lang` when given, else `SIMFUND_LANG` when set and not empty, else English.
    /// Fails with a message naming the source of a code it does not know.
    public static func resolve(flag: String?, environment: [String: String]) -> Result<Language, LanguageError> {
        if let flag {
            return Language(code: flag).map { .success($0) } ?? .failure(LanguageError(source: "--lang", code: flag))
        }
        if let code = environment["SIMFUND_LANG"], !code.isEmpty {
            return Language(code: code).map { .success($0) } ?? .failure(LanguageError(source: "SIMFUND_LANG", code: code))
        }
        return .success(.en)
    }
}

/// A language code that is neither English nor Chinese.
public struct LanguageError: Error, Sendable, CustomStringConvertible {
    public var source: String
    public var code: String
    public var description: String { "\(source): expected en or zh, found \"\(code)\"" }
}

/// Digits grouped by thousands with a fixed number of decimals, e.g.
/// `12,345.6`; `signed` puts `+` before positive values. Zero is `0` (with
/// its decimals), never `-0` or `+0`.
func groupedNumber(_ x: Double, decimals: Int, signed: Bool = false) -> String {
    guard x.isFinite else { return "–" }
    let unit = pow(10, Double(decimals))
    let rounded = (x * unit).rounded() / unit
    if rounded == 0 { return 0.0.formatted(numberStyle(decimals)) }
    let text = abs(rounded).formatted(numberStyle(decimals))
    return (rounded < 0 ? "-" : signed ? "+" : "") + text
}

private func numberStyle(_ decimals: Int) -> FloatingPointFormatStyle<Double> {
    // A fixed locale: the same digits in every language and on every machine.
    FloatingPointFormatStyle<Double>(locale: Locale(identifier: "en_US"))
        .grouping(.automatic)
        .precision(.fractionLength(decimals))
}

/// Significant decimals for a number with at most `maximum`, dropping trailing
/// zeros: `0.9` → `0.9`, `2610` → `2,610`, `0.125` → `0.125`.
func shortNumber(_ x: Double, maximum: Int = 3) -> String {
    for decimals in 0...maximum {
        let unit = pow(10, Double(decimals))
        if abs((x * unit).rounded() - x * unit) < 1e-9 * max(1, abs(x * unit)) { return groupedNumber(x, decimals: decimals) }
    }
    return groupedNumber(x, decimals: maximum)
}

/// One scale for every amount of a column, chosen from the column's largest
/// magnitude and named in its header: yuan or thousand/million/billion yuan in
/// English, 元/万元/亿元 in Chinese (the units of Chinese budget documents).
public struct MoneyScale: Sendable, Hashable {
    public var divisor: Double
    public var decimals: Int
    public var language: Language

    /// The scale for amounts whose largest magnitude is `largest` (yuan).
    public init(largest: Double, language: Language) {
        self.language = language
        let magnitude = largest.isFinite ? abs(largest) : 0
        switch language {
        case .en: divisor = magnitude >= 1e9 ? 1e9 : magnitude >= 1e6 ? 1e6 : magnitude >= 1e4 ? 1e3 : 1
        case .zh: divisor = magnitude >= 1e8 ? 1e8 : magnitude >= 1e5 ? 1e4 : 1
        }
        decimals = divisor == 1 ? 0 : MoneyScale.decimals(largestScaled: magnitude / divisor)
    }

    /// The scale for a column of amounts.
    public init(values: some Sequence<Double>, language: Language) {
        self.init(largest: values.lazy.filter(\.isFinite).map(abs).max() ?? 0, language: language)
    }

    /// Three significant digits on the largest value (Monte Carlo results
    /// carry no more), at most two decimals.
    static func decimals(largestScaled: Double) -> Int {
        largestScaled >= 100 ? 0 : largestScaled >= 10 ? 1 : 2
    }

    /// The unit for a header: `yuan`, `million yuan`, `万元`, …
    public var unit: String {
        switch (language, divisor) {
        case (.en, 1e9): return "billion yuan"
        case (.en, 1e6): return "million yuan"
        case (.en, 1e3): return "thousand yuan"
        case (.en, _): return "yuan"
        case (.zh, 1e8): return "亿元"
        case (.zh, 1e4): return "万元"
        case (.zh, _): return "元"
        }
    }

    /// An amount in yuan in this scale, without the unit: `27.9`, `+1,250`.
    public func format(_ yuan: Double, signed: Bool = false) -> String {
        groupedNumber(yuan / divisor, decimals: decimals, signed: signed)
    }

    /// An amount with its unit, for sentences: `27.9 million yuan`, `2,787万元`.
    public func withUnit(_ yuan: Double, signed: Bool = false) -> String {
        format(yuan, signed: signed) + (language == .zh ? "" : " ") + unit
    }

    /// One amount in its own scale, with its unit: for sentences and target words.
    public static func amount(_ yuan: Double, language: Language, signed: Bool = false) -> String {
        MoneyScale(largest: yuan, language: language).withUnit(yuan, signed: signed)
    }
}

/// How one column of a table shows its values: the kind follows the metric's
/// unit, the decimals (and the money scale) the column's largest value, so
/// every row of a column reads alike.
public struct ColumnFormat: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Shares shown as percentages (`80.5%`); differences in percentage points (`+1.2`).
        case share
        /// Whole people, agencies, units; differences with at most one decimal.
        case count
        /// A rate such as certified per 10k people.
        case rate
        case money(MoneyScale)
    }

    public var kind: Kind
    public var decimals: Int
    /// Whether values are differences (signed; shares in points).
    public var isDifference: Bool
    public var language: Language

    /// The format of a column of `metric` holding `values` (levels, or
    /// paired differences when `difference`).
    public init(metric: Metric, values: [Double], difference: Bool = false, language: Language) {
        let finite = values.filter(\.isFinite)
        let largest = finite.map(abs).max() ?? 0
        isDifference = difference
        self.language = language
        switch metric.unit {
        case "share":
            kind = .share
            // Percent (or points) with one decimal; two when every value is under 1%.
            decimals = largest > 0 && largest < 0.01 ? 2 : 1
        case "yuan":
            let scale = MoneyScale(largest: largest, language: language)
            kind = .money(scale)
            decimals = scale.decimals
        case "people", "units", "agencies":
            kind = .count
            decimals = difference && largest < 100 ? 1 : 0
        default:
            kind = .rate
            decimals = largest >= 100 ? 0 : largest >= 10 ? 1 : 2
        }
    }

    /// A value of the column, without unit (the header names it), except `%` on shares.
    public func format(_ x: Double) -> String {
        switch kind {
        case .share:
            return groupedNumber(x * 100, decimals: decimals, signed: isDifference) + (isDifference ? "" : "%")
        case let .money(scale):
            return scale.format(x, signed: isDifference)
        case .count, .rate:
            return groupedNumber(x, decimals: decimals, signed: isDifference)
        }
    }

    /// `value [low, high]`, the interval in the same format.
    public func interval(_ value: Double, low: Double, high: Double) -> String {
        "\(format(value)) [\(format(low)), \(format(high))]"
    }

    /// The unit a header names, or nil where cells carry it (`%`) or none is needed.
    public var unit: String? {
        switch kind {
        case .share: return isDifference ? (language == .zh ? "百分点" : "pp") : nil
        case let .money(scale): return scale.unit
        case .count, .rate: return nil
        }
    }

    /// `label (unit)`, or the label alone.
    public func header(_ label: String) -> String {
        unit.map { "\(label) (\($0))" } ?? label
    }
}

/// A percentage with fixed decimals (`49.0%`), for probabilities and shares outside a column format.
public func percentText(_ share: Double, decimals: Int = 1) -> String {
    groupedNumber(share * 100, decimals: decimals) + "%"
}

/// Time left, as a person reads it: `45 s`, `12 min`, `1 h 05 min` (`45秒`, `12分钟`, `1小时05分`).
public func durationText(seconds: Double, language: Language = .en) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "–" }
    let total = Int(seconds.rounded(.up))
    if total < 60 { return language == .zh ? "\(total)秒" : "\(total) s" }
    let minutes = Int((Double(total) / 60).rounded(.up))
    if minutes < 60 { return language == .zh ? "\(minutes)分钟" : "\(minutes) min" }
    let hours = minutes / 60, rest = minutes % 60
    let restText = rest < 10 ? "0\(rest)" : "\(rest)"
    return language == .zh ? "\(hours)小时\(restText)分" : "\(hours) h \(restText) min"
}
