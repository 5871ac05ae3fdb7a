/// One problem in a scenario file: where it is, what was expected and what
/// was found. The CLI prints one line per problem and exits with status 2.
public struct ScenarioIssue: Sendable, Hashable, CustomStringConvertible {
    /// JSON path of the offending value, e.g. `districts[0].stations.streets`;
    /// empty for the whole file.
    public var path: String
    public var location: FilePosition?
    public var expected: String
    public var found: String?
    /// A suggestion such as `did you mean "reliefShare"?`.
    public var hint: String?

    public init(path: String, location: FilePosition?, expected: String, found: String?, hint: String? = nil) {
        self.path = path
        self.location = location
        self.expected = expected
        self.found = found
        self.hint = hint
    }

    /// One line: scenario strings in it (keys, names, values) have their
    /// control characters escaped.
    public var description: String {
        var text = path.isEmpty ? "" : "\(path): "
        text += "expected \(expected)"
        if let found { text += ", found \(found)" }
        if let hint { text += "; \(hint)" }
        return text.escapingControlCharacters
    }

    /// A warning reads "PATH: MESSAGE" (`expected` holds the message).
    var warningDescription: String {
        ((path.isEmpty ? "" : "\(path): ") + expected).escapingControlCharacters
    }
}

extension String {
    /// The text with every control character written as an escape (`\n`,
    /// `\t`, `\u001B`, …): C0 and C1 controls, DEL, the Unicode line and
    /// paragraph separators and the bidirectional overrides. A scenario
    /// string echoed in a message can then neither split it over two lines
    /// nor send a terminal escape sequence.
    public var escapingControlCharacters: String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
            default: return false
            }
        }
        guard unicodeScalars.contains(where: isControl) else { return self }
        var escaped = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            guard isControl(scalar) else {
                escaped.append(scalar)
                continue
            }
            let text: String
            switch scalar {
            case "\n": text = "\\n"
            case "\r": text = "\\r"
            case "\t": text = "\\t"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                text = "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
            escaped.append(contentsOf: text.unicodeScalars)
        }
        return String(escaped)
    }
}

/// All problems of one scenario file, collected at once.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var issues: [ScenarioIssue]

    /// Issues are kept in file order (those without a location last).
    public init(file: String, issues: [ScenarioIssue]) {
        self.file = file
        self.issues = issues.enumerated().sorted { a, b in
            let la = a.element.location.map { ($0.line, $0.column) } ?? (Int.max, Int.max)
            let lb = b.element.location.map { ($0.line, $0.column) } ?? (Int.max, Int.max)
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }

    /// One line per issue: `FILE:LINE:COLUMN: PATH: expected …, found …`.
    public var lines: [String] {
        issues.map { issue in "\(ScenarioError.place(of: issue, in: file)): \(issue)" }
    }

    /// `FILE:LINE:COLUMN`, or `FILE` when the issue has no location.
    static func place(of issue: ScenarioIssue, in file: String) -> String {
        let place = issue.location.map { "\(file):\($0.line):\($0.column)" } ?? file
        return place.escapingControlCharacters
    }

    public var description: String { lines.joined(separator: "\n") }
}

/// A JSON path under construction (`districts[0].stations`).
struct JSONPath: CustomStringConvertible {
    var text: String = ""

    /// Keys longer than this are shortened in paths (a message naming a
    /// 1 MB key stays readable).
    static let maximumKeyLength = 80

    func field(_ name: String) -> JSONPath {
        let isIdentifier = !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        if name.count > JSONPath.maximumKeyLength {
            return JSONPath(text: text + "[\"\(name.prefix(JSONPath.maximumKeyLength - 20))…\" (\(name.count) characters)]")
        }
        if !isIdentifier { return JSONPath(text: text + "[\"\(name)\"]") }
        return JSONPath(text: text.isEmpty ? name : text + "." + name)
    }

    func index(_ i: Int) -> JSONPath { JSONPath(text: text + "[\(i)]") }

    var description: String { text }
}

/// Levenshtein distance, case-insensitive, for "did you mean" hints; nil
/// once it exceeds `bound` or would take more than `budget` cells of work
/// (`budget` is decreased by the work done).
func editDistance(_ a: String, _ b: String, bound: Int = .max, budget: inout Int) -> Int? {
    // Cheap checks first: most candidates of a long list fail them.
    let (m, n) = (a.utf8.count, b.utf8.count)
    guard m.multipliedReportingOverflow(by: n).partialValue <= budget || m == 0 || n == 0 else { return nil }
    let x = Array(a.lowercased()), y = Array(b.lowercased())
    if abs(x.count - y.count) > bound { return nil }
    if x.isEmpty { return y.count <= bound ? y.count : nil }
    if y.isEmpty { return x.count <= bound ? x.count : nil }
    let cells = x.count * y.count
    guard cells <= budget else { return nil }
    budget -= cells
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count] <= bound ? previous[y.count] : nil
}

func editDistance(_ a: String, _ b: String) -> Int {
    var budget = Int.max
    return editDistance(a, b, budget: &budget)!
}

/// Bounds for "did you mean" hints, so that validating a hostile file stays
/// linear in its size: no hint for a name longer than
/// ``maximumWordLength``, at most ``maximumCellsPerProblem`` cells of edit
/// distance per problem, and hints for the first ``maximumProblems``
/// problems of a file only.
final class Suggestions {
    static let maximumWordLength = 100
    static let maximumCellsPerProblem = 1_000_000
    static let maximumProblems = 20

    private var problemsLeft = Suggestions.maximumProblems
    /// Every path of the base document, computed on first use.
    private var pathCache: [String]?

    /// Takes one problem's share of the budget; false once it is spent.
    func take() -> Bool {
        guard problemsLeft > 0 else { return false }
        problemsLeft -= 1
        return true
    }

    /// The nearest candidates, if this problem still gets a hint.
    func nearest(_ word: String, in candidates: [String], limit: Int = 1) -> [String] {
        guard word.count <= Suggestions.maximumWordLength, take() else { return [] }
        return SimfundCore.nearest(word, in: candidates, limit: limit)
    }

    func allPaths(in document: JSONNode) -> [String] {
        if let pathCache { return pathCache }
        let paths = DocumentPaths.allPaths(in: document)
        pathCache = paths
        return paths
    }
}

/// The candidates closest to `word`, nearest first, within a distance that
/// scales with the word's length. Bounded work: nothing for a word longer
/// than ``Suggestions/maximumWordLength``, and at most
/// ``Suggestions/maximumCellsPerProblem`` cells of edit distance.
func nearest(_ word: String, in candidates: [String], limit: Int = 1) -> [String] {
    guard word.count <= Suggestions.maximumWordLength else { return [] }
    let threshold = max(2, word.count / 3)
    let lowered = word.lowercased()
    var budget = Suggestions.maximumCellsPerProblem
    var scored: [(candidate: String, distance: Int)] = []
    for candidate in candidates {
        let isPrefix = !lowered.isEmpty && candidate.lowercased().hasPrefix(lowered)
        if let distance = editDistance(word, candidate, bound: threshold, budget: &budget) {
            scored.append((candidate, distance))
        } else if isPrefix {
            scored.append((candidate, candidate.count - word.count))
        }
        if budget <= 0 { break }
    }
    scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.candidate < $1.candidate }
    return scored.prefix(limit).map(\.candidate)
}
