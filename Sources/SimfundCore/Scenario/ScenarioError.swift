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

    public var description: String {
        var text = path.isEmpty ? "" : "\(path): "
        text += "expected \(expected)"
        if let found { text += ", found \(found)" }
        if let hint { text += "; \(hint)" }
        return text
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
        issues.map { issue in
            let place = issue.location.map { "\(file):\($0.line):\($0.column)" } ?? file
            return "\(place): \(issue)"
        }
    }

    public var description: String { lines.joined(separator: "\n") }
}

/// A JSON path under construction (`districts[0].stations`).
struct JSONPath: CustomStringConvertible {
    var text: String = ""

    func field(_ name: String) -> JSONPath {
        let isIdentifier = !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        if !isIdentifier { return JSONPath(text: text + "[\"\(name)\"]") }
        return JSONPath(text: text.isEmpty ? name : text + "." + name)
    }

    func index(_ i: Int) -> JSONPath { JSONPath(text: text + "[\(i)]") }

    var description: String { text }
}

/// Levenshtein distance, case-insensitive, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.lowercased()), y = Array(b.lowercased())
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

/// The candidates closest to `word`, nearest first, within a distance that
/// scales with the word's length.
func nearest(_ word: String, in candidates: [String], limit: Int = 1) -> [String] {
    let threshold = max(2, word.count / 3)
    let lowered = word.lowercased()
    var scored: [(candidate: String, distance: Int)] = []
    for candidate in candidates {
        let distance = editDistance(word, candidate)
        let isPrefix = !lowered.isEmpty && candidate.lowercased().hasPrefix(lowered)
        if distance <= threshold || isPrefix { scored.append((candidate, distance)) }
    }
    scored.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.candidate < $1.candidate }
    return scored.prefix(limit).map(\.candidate)
}
