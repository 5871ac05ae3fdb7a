import Foundation

/// Why an output file (summary.json, compare.json, sweep.json, manifest.json)
/// cannot be read back: it names the file, the JSON path and the line, and
/// says what was expected. Output files are read as untrusted input: they may
/// have been edited, truncated or written by another version.
public struct OutputReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// JSON path of the offending value, e.g. `base.metrics.certified[3].p50`; empty for the whole document.
    public var path: String
    public var line: Int?
    /// "expected …, found …" or why the value contradicts another.
    public var problem: String

    public var description: String {
        "\(file): \(path.isEmpty ? "the document" : path)\(line.map { " (line \($0))" } ?? ""): \(problem)"
    }
}

/// One value of an output file being decoded, with its JSON path for messages.
struct OutputField {
    let node: JSONNode
    let path: String
    let file: String

    /// Magnitude above which a number in an output file cannot have been
    /// written by simfund (far above any capped amount; keeps every sum and
    /// square the report takes finite).
    static let largestMagnitude = 1e30

    static func document(_ text: String, file: String) throws(OutputReadError) -> OutputField {
        do {
            return OutputField(node: try JSONParser.parse(text), path: "", file: file)
        } catch {
            throw OutputReadError(file: file, path: "", line: error.location.line,
                                  problem: "not valid JSON at \(error.location): expected \(error.expected), found \(error.found)")
        }
    }

    func failure(_ expected: String) -> OutputReadError {
        OutputReadError(file: file, path: path, line: node.location?.line, problem: "expected \(expected), found \(node.summary)")
    }

    /// A value that parses but contradicts another value of the file.
    func inconsistency(_ problem: String) -> OutputReadError {
        OutputReadError(file: file, path: path, line: node.location?.line, problem: problem)
    }

    func childPath(_ key: String) -> String {
        let plain = key.first.map { $0.isLetter || $0 == "_" } == true && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        let component = plain ? key : "[\(JSONOutput.quote(key))]"
        return path.isEmpty || !plain ? path + component : "\(path).\(component)"
    }

    func member(_ key: String) throws(OutputReadError) -> OutputField {
        guard let child = try optionalMember(key) else {
            guard node.members != nil else { throw failure("an object") }
            throw OutputReadError(file: file, path: path, line: node.location?.line, problem: "expected a field \"\(key)\", found none")
        }
        return child
    }

    /// nil when the field is absent or `null`.
    func optionalMember(_ key: String) throws(OutputReadError) -> OutputField? {
        guard let members = node.members else { throw failure("an object") }
        guard let value = members.first(where: { $0.key == key })?.value else { return nil }
        if case .null = value.value { return nil }
        return OutputField(node: value, path: childPath(key), file: file)
    }

    /// The object's members in file order; a key given twice is an error.
    func members() throws(OutputReadError) -> [(key: String, field: OutputField)] {
        guard let members = node.members else { throw failure("an object") }
        var seen = Set<String>()
        var out: [(key: String, field: OutputField)] = []
        for member in members {
            let field = OutputField(node: member.value, path: childPath(member.key), file: file)
            guard seen.insert(member.key).inserted else { throw field.inconsistency("\"\(member.key)\" is given twice") }
            out.append((member.key, field))
        }
        return out
    }

    /// - Parameter count: the exact number of elements required, with what they stand for ("one per year 2020–2023").
    func elements(count: (Int, String)? = nil) throws(OutputReadError) -> [OutputField] {
        guard let elements = node.elements else { throw failure("an array") }
        if let (expected, meaning) = count, elements.count != expected {
            throw OutputReadError(file: file, path: path, line: node.location?.line,
                                  problem: "expected \(expected) entries (\(meaning)), found \(elements.count)")
        }
        return elements.enumerated().map { OutputField(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws(OutputReadError) -> String {
        guard let string = node.string else { throw failure("a string") }
        return string
    }

    func number(in range: ClosedRange<Double> = -largestMagnitude...largestMagnitude, meaning: String? = nil) throws(OutputReadError) -> Double {
        guard let number = node.number else { throw failure("a number") }
        guard range.contains(number) else {
            throw failure(meaning ?? "a number from \(jsonNumber(range.lowerBound)) to \(jsonNumber(range.upperBound))")
        }
        return number
    }

    /// A share or probability, 0 … 1.
    func share() throws(OutputReadError) -> Double { try number(in: 0...1, meaning: "a share from 0 to 1") }

    func integer(in range: ClosedRange<Int>) throws(OutputReadError) -> Int {
        guard let number = node.number else { throw failure("a whole number") }
        // Checked as a Double first: converting an out-of-range Double to Int traps.
        guard number == number.rounded(), number >= Double(range.lowerBound), number <= Double(range.upperBound) else {
            throw failure("a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(number)
    }

    /// An unsigned 64-bit integer, read from its literal (a Double cannot hold every seed).
    func unsigned() throws(OutputReadError) -> UInt64 {
        guard case let .number(_, literal) = node.value, let value = UInt64(literal) else { throw failure("a whole number from 0 to 2^64−1") }
        return value
    }
}

/// Whether two numbers agree to within rounding (derived fields are checked against what they derive from).
func agrees(_ a: Double, _ b: Double) -> Bool {
    abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
}
