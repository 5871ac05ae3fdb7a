import Foundation

/// A number as JSON and CSV write it: shortest text that reads back to the
/// same Double (integers without a fraction), `null` for non-finite values.
func jsonNumber(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}

/// A compact human-readable number for terminal tables.
func formatNumber(_ x: Double) -> String {
    guard x.isFinite else { return "–" }
    // Below a million, digits read best; above, 万 (1e4) and 亿 (1e8) as planners write them.
    let magnitude = abs(x)
    if magnitude >= 1e8 { return String(format: "%.2f亿", x / 1e8) }
    if magnitude >= 1e6 { return String(format: "%.1f万", x / 1e4) }
    if magnitude >= 100 || x == x.rounded() { return String(format: "%.0f", x) }
    if magnitude >= 1 { return String(format: "%.2f", x) }
    return String(format: "%.3f", x)
}

/// A share as a percentage, e.g. `87.5%`.
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

/// A CSV field, quoted when it needs to be (RFC 4180).
func csvField(_ s: String) -> String {
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
}
