import Foundation

/// A weighted sample of parameter values (`"posterior": {"file", "parameters"}`,
/// docs/model.md, "Forecasting from a posterior"): each replicate draws one row
/// with probability ∝ its weight and takes all of the row's values together,
/// so the correlations between the parameters are kept.
public struct Posterior: Sendable {
    /// Largest posterior file read, in bytes: a larger one is refused before it is read.
    public static let maximumBytes = 64 << 20
    /// Most rows (particles) and columns a posterior file may have.
    public static let maximumRows = 1_000_000
    public static let maximumColumns = 1_000

    /// The file as the block names it.
    public var file: String
    /// Where it was read: `file` resolved against the scenario file's directory.
    public var resolvedPath: String
    /// SHA-256 of the file's bytes (recorded in manifests and part files).
    public var sha256: String
    /// The parameter paths the rows set, in the block's order, and their slots.
    public var paths: [String]
    public var slots: [Int]
    /// Row-major: row r's value for `slots[c]` is `values[r · slots.count + c]`.
    public private(set) var values: [Double]
    public private(set) var weights: [Double]
    /// Running sums of the weights (the draw searches them).
    private var cumulative: [Double]
    /// The last row with a positive weight: where a draw rounded up to the total lands.
    private var lastPositiveRow: Int

    init(file: String, resolvedPath: String, sha256: String, paths: [String], slots: [Int], values: [Double], weights: [Double]) {
        self.file = file
        self.resolvedPath = resolvedPath
        self.sha256 = sha256
        self.paths = paths
        self.slots = slots
        self.values = values
        self.weights = weights
        var sum = 0.0
        cumulative = weights.map { weight in
            sum += weight
            return sum
        }
        lastPositiveRow = weights.lastIndex { $0 > 0 } ?? 0
    }

    public var rowCount: Int { weights.count }

    /// Row `row`'s value of column `column` (an index into ``paths``).
    public func value(row: Int, column: Int) -> Double { values[row * slots.count + column] }

    /// The row a uniform number u ∈ [0, 1) selects: row i with probability
    /// wᵢ / Σw (the first row whose running sum exceeds u·Σw, by binary
    /// search: O(log rows)). Rows of weight 0 are never selected.
    public func row(at u: Double) -> Int {
        let target = u * (cumulative.last ?? 0)
        var low = 0, high = cumulative.count
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return min(low, lastPositiveRow)
    }

    /// Sets row `row`'s values into their slots.
    @inline(__always)
    func apply(row: Int, to values: Column<Double>) {
        let start = row * slots.count
        for c in slots.indices { values[slots[c]] = self.values[start + c] }
    }
}

extension Posterior: Hashable {
    /// Two posteriors are equal when they set the same slots from the same file's bytes.
    public static func == (a: Posterior, b: Posterior) -> Bool {
        a.sha256 == b.sha256 && a.paths == b.paths && a.slots == b.slots
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sha256)
        hasher.combine(slots)
    }
}

/// The problems of a posterior block or file.
struct PosteriorIssues: Error {
    var issues: [ScenarioIssue]
}

/// Reads and checks a scenario's `posterior` block and its file.
enum PosteriorLoader {
    static let blockPath = JSONPath().field("posterior")

    /// The per-replicate numeric parameters of `scenario`, by path (the paths a posterior can set).
    static func parameterSlots(of scenario: Scenario) -> [String: Int] {
        var slots: [String: Int] = [:]
        for slot in scenario.parameters.indices { slots[scenario.parameterPath(slot)] = slot }
        return slots
    }

    /// Why `path` cannot take its values from a posterior row, if it cannot.
    static func refusal(_ path: String, slot: Int, in scenario: Scenario) -> String? {
        if scenario.schedules[slot] != nil {
            return "\"\(quoted: path)\", which follows a schedule; a row gives one value per replicate, so scheduled parameters cannot come from the posterior"
        }
        if scenario.parameters[slot].per == .year {
            return "\"\(quoted: path)\", drawn anew every year (per: year); a row gives one value per replicate, so per-year parameters cannot come from the posterior"
        }
        return nil
    }

    /// The block's posterior for a valid base scenario read from `scenarioFile`
    /// (`-`: standard input; the file resolves against the working directory),
    /// or every problem found (JSON paths of the block; CSV file, row and column).
    static func load(_ block: JSONNode, for scenario: Scenario, scenarioFile: String) -> Result<Posterior, PosteriorIssues> {
        var issues: [ScenarioIssue] = []
        let fileNode = block["file"]
        let file = fileNode?.string ?? ""
        let parameterNodes = block["parameters"]?.elements ?? []
        let known = parameterSlots(of: scenario)
        var slots: [Int] = []
        var seen: [String: Int] = [:]
        for (i, node) in parameterNodes.enumerated() {
            let path = node.string ?? ""
            let at = blockPath.field("parameters").index(i).text
            if let first = seen[path] {
                issues.append(ScenarioIssue(path: at, location: node.location, expected: "each path once",
                                            found: "\"\(quoted: path)\" again (also parameters[\(first)])"))
                continue
            }
            seen[path] = i
            guard let slot = known[path] else {
                issues.append(ScenarioIssue(path: at, location: node.location,
                                            expected: "a per-replicate numeric parameter of this scenario (such as workforce.passRate.junior or budget.fiscal.0.amount)",
                                            found: "\"\(quoted: path)\"",
                                            hint: nearest(path, in: known.keys.sorted()).first.map { "did you mean \"\($0)\"?" }))
                continue
            }
            if let reason = refusal(path, slot: slot, in: scenario) {
                issues.append(ScenarioIssue(path: at, location: node.location, expected: "a parameter drawn once per replicate", found: reason))
                continue
            }
            slots.append(slot)
        }
        guard issues.isEmpty else { return .failure(PosteriorIssues(issues: issues)) }
        let paths = parameterNodes.map { $0.string ?? "" }

        let resolved = resolve(file, against: scenarioFile)
        let fileAt = blockPath.field("file").text
        // Only a regular file: opening a named pipe or a device could block or never end.
        var status = stat()
        if stat(resolved, &status) == 0, status.st_mode & S_IFMT != S_IFREG, status.st_mode & S_IFMT != S_IFDIR {
            return .failure(PosteriorIssues(issues: [ScenarioIssue(path: fileAt, location: fileNode?.location,
                expected: "a regular posterior file (CSV; looked for \(resolved))", found: "a pipe, socket or device")]))
        }
        let bytes: [UInt8]
        switch ScenarioLoader.readFile(resolved, limit: Posterior.maximumBytes) {
        case let .failure(problem):
            return .failure(PosteriorIssues(issues: [ScenarioIssue(path: fileAt, location: fileNode?.location,
                                           expected: "a readable posterior file (CSV; looked for \(resolved))", found: problem.found)]))
        case let .success(read): bytes = read
        }
        var reader = PosteriorCSV(bytes: bytes, file: file, paths: paths, roles: slots.map { scenario.parameters[$0].role },
                                  blockPath: blockPath, fileLocation: fileNode?.location, parameterLocations: parameterNodes.map(\.location))
        guard let table = reader.read() else { return .failure(PosteriorIssues(issues: reader.issues)) }
        return .success(Posterior(file: file, resolvedPath: resolved, sha256: sha256Hex(bytes), paths: paths, slots: slots,
                                  values: table.values, weights: table.weights))
    }

    /// `file` relative to the directory of the scenario file (absolute paths as given).
    static func resolve(_ file: String, against scenarioFile: String) -> String {
        if file.hasPrefix("/") { return file }
        let directory = scenarioFile == "-" ? "" : (scenarioFile as NSString).deletingLastPathComponent
        // "./-": a file named "-", never standard input.
        return directory.isEmpty ? (file == "-" ? "./-" : file) : (directory as NSString).appendingPathComponent(file)
    }

    /// The problem of an alternative (or a sweep axis) that would set a path
    /// the posterior sets, or a path above one (`workforce.passRate` replaced
    /// whole): the posterior's row would silently win, or the alternative
    /// would silently lose its common random numbers, so it is refused.
    static func conflict(_ steps: [DocumentPaths.Step], in document: JSONNode) -> String? {
        let posteriorPaths = document["posterior"]?["parameters"]?.elements?.compactMap(\.string) ?? []
        guard !posteriorPaths.isEmpty else { return nil }
        let path = steps.map { step -> String in
            switch step {
            case let .field(name): return name
            case let .index(i): return String(i)
            }
        }.joined(separator: ".")
        let overlapping = posteriorPaths.filter { $0 == path || $0.hasPrefix(path + ".") || path.hasPrefix($0 + ".") }
        guard let first = overlapping.first else { return nil }
        let file = document["posterior"]?["file"]?.string ?? "the posterior file"
        return "\(first) is drawn from the posterior (\(quoted: file)) jointly with the block's other parameters, "
            + "so neither an alternative nor a sweep can set it; use a scenario file with another posterior, or none, to change it"
    }
}

/// The plain CSV of a posterior: a header of column names, then one row of
/// decimal numbers per particle; no quoting (a quote is refused). Lines end
/// in LF or CRLF; cells may be padded with spaces; blank lines at the end are ignored.
struct PosteriorCSV {
    let bytes: [UInt8]
    let file: String
    let paths: [String]
    let roles: [ParameterRole]
    let blockPath: JSONPath
    let fileLocation: FilePosition?
    let parameterLocations: [FilePosition?]
    private(set) var issues: [ScenarioIssue] = []
    /// Cell problems listed before the reader stops.
    static let maximumCellIssues = 10

    init(bytes: [UInt8], file: String, paths: [String], roles: [ParameterRole], blockPath: JSONPath,
         fileLocation: FilePosition?, parameterLocations: [FilePosition?]) {
        self.bytes = bytes
        self.file = file
        self.paths = paths
        self.roles = roles
        self.blockPath = blockPath
        self.fileLocation = fileLocation
        self.parameterLocations = parameterLocations
    }

    struct Table {
        var values: [Double]
        var weights: [Double]
    }

    private var fileAt: String { blockPath.field("file").text }

    /// `posterior.file: posterior.csv row 3 (line 4), column 2 (workforce.passRate.junior)`.
    private func place(line: Int, column: Int? = nil, name: String? = nil) -> String {
        var text = "\(fileAt): \(file)"
        text += line == 1 ? " header (line 1)" : " row \(line - 1) (line \(line))"
        if let column { text += ", column \(column + 1)" + (name.map { " (\(quoted: $0))" } ?? "") }
        return text
    }

    private mutating func problem(_ at: String, expected: String, found: String?, hint: String? = nil) {
        issues.append(ScenarioIssue(path: at, location: fileLocation, expected: expected, found: found, hint: hint))
    }

    /// Line ranges (without their line ends), trailing blank lines dropped;
    /// at most `limit` (the rest is not split, so a file of newlines stays cheap).
    private func lines(limit: Int) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var i = start
        while i < bytes.count, lines.count < limit {
            if bytes[i] == UInt8(ascii: "\n") {
                let end = i > start && bytes[i - 1] == UInt8(ascii: "\r") ? i - 1 : i
                lines.append(start..<end)
                start = i + 1
            }
            i += 1
        }
        if lines.count == limit {
            // Stopped at the limit: the file fits only if nothing but blank lines follows.
            if !bytes[start...].allSatisfy({ [0x20, 0x09, 0x0D, 0x0A].contains($0) }) { return lines }
        } else if start < bytes.count {
            let end = bytes[bytes.count - 1] == UInt8(ascii: "\r") ? bytes.count - 1 : bytes.count
            lines.append(start..<end)
        }
        while let last = lines.last, isBlank(last) { lines.removeLast() }
        return lines
    }

    private func isBlank(_ range: Range<Int>) -> Bool {
        bytes[range].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// How many cells a line has (without splitting it).
    private func cellCount(_ line: Range<Int>) -> Int {
        bytes[line].reduce(1) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
    }

    /// The cells of a line, each trimmed of spaces and tabs.
    private func cells(_ line: Range<Int>) -> [Range<Int>] {
        var cells: [Range<Int>] = []
        var start = line.lowerBound
        for i in line where bytes[i] == UInt8(ascii: ",") {
            cells.append(trimmed(start..<i))
            start = i + 1
        }
        cells.append(trimmed(start..<line.upperBound))
        return cells
    }

    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var low = range.lowerBound, high = range.upperBound
        func isSpace(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        while low < high, isSpace(bytes[low]) { low += 1 }
        while high > low, isSpace(bytes[high - 1]) { high -= 1 }
        return low..<high
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// A cell as it is shown in a message: quoted, shortened, "an empty cell" for nothing.
    private func shown(_ range: Range<Int>) -> String {
        range.isEmpty ? "an empty cell" : "\"\(quoted: text(range))\""
    }

    /// A decimal number (`-0.25`, `3`, `1.5e-3`): no hexadecimal, `nan` or `inf`.
    private func decimal(_ range: Range<Int>) -> Double? {
        var i = range.lowerBound
        let end = range.upperBound
        func digits() -> Int {
            let start = i
            while i < end, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var count = digits()
        if i < end, bytes[i] == UInt8(ascii: ".") {
            i += 1
            count += digits()
        }
        guard count > 0 else { return nil }
        if i < end, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < end, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == end else { return nil }
        return Double(text(range))
    }

    /// The table of the listed columns and the weights, or nil with ``issues`` set.
    mutating func read() -> Table? {
        if let quote = bytes.firstIndex(of: UInt8(ascii: "\"")) {
            let line = bytes[..<quote].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            problem(place(line: line), expected: "plain cells without quotes (a header of parameter paths and weight, then decimal numbers)",
                    found: "a quote (\")")
            return nil
        }
        // The header and one line more than the rows allowed: enough to refuse a longer file.
        let lines = lines(limit: Posterior.maximumRows + 2)
        guard let headerLine = lines.first, !isBlank(headerLine) else {
            problem(fileAt, expected: "a header row naming the columns (parameter paths and weight) in \(quoted: file)", found: "an empty file")
            return nil
        }
        let columnCount = cellCount(headerLine)
        guard columnCount <= Posterior.maximumColumns else {
            problem(place(line: 1), expected: "at most \(Posterior.maximumColumns) columns", found: "\(columnCount)")
            return nil
        }
        let header = cells(headerLine).map(text)
        var columnOf: [String: Int] = [:]
        for (c, name) in header.enumerated() {
            if name.isEmpty {
                problem(place(line: 1, column: c), expected: "a column name (a parameter path or weight)", found: "an empty name")
            } else if let first = columnOf[name] {
                problem(place(line: 1, column: c, name: name), expected: "each column once", found: "\"\(quoted: name)\" again (also column \(first + 1))")
            } else {
                columnOf[name] = c
            }
        }
        let weightColumn = columnOf["weight"]
        if weightColumn == nil {
            problem(place(line: 1), expected: "a column \"weight\" (each row's weight, ≥ 0)", found: "columns \(listed(header))")
        }
        var columns: [Int] = []
        for (i, path) in paths.enumerated() {
            if let c = columnOf[path] {
                columns.append(c)
            } else {
                issues.append(ScenarioIssue(path: blockPath.field("parameters").index(i).text, location: parameterLocations[i],
                                            expected: "a column of \(quoted: file)", found: "\"\(quoted: path)\" (the header has \(listed(header)))",
                                            hint: nearest(path, in: header).first.map { "did you mean \"\($0)\"?" }))
            }
        }
        guard issues.isEmpty, let weightColumn else { return nil }
        let rowCount = lines.count - 1
        guard rowCount > 0 else {
            problem(place(line: 1), expected: "at least one row (particle) after the header", found: "only the header")
            return nil
        }
        guard rowCount <= Posterior.maximumRows else {
            problem(fileAt, expected: "at most \(Posterior.maximumRows) rows (particles) in \(quoted: file)", found: "more")
            return nil
        }
        // (index into paths, or nil for the weight; column), by column.
        let order = ([(nil, weightColumn)] + columns.enumerated().map { (Optional($0.offset), $0.element) }).sorted { $0.1 < $1.1 }
        var values = [Double](repeating: 0, count: rowCount * paths.count)
        var weights = [Double](repeating: 0, count: rowCount)
        for (r, line) in lines.dropFirst().enumerated() {
            let lineNumber = r + 2
            let count = cellCount(line)
            guard count == header.count else {
                problem(place(line: lineNumber), expected: "\(header.count) cells, as in the header",
                        found: isBlank(line) ? "an empty line" : "\(count)")
                if issues.count >= PosteriorCSV.maximumCellIssues { break } else { continue }
            }
            let row = cells(line)
            func number(_ c: Int, name: String) -> Double? {
                guard let x = decimal(row[c]) else {
                    problem(place(line: lineNumber, column: c, name: name), expected: "a decimal number", found: shown(row[c]))
                    return nil
                }
                guard x.isFinite else {
                    problem(place(line: lineNumber, column: c, name: name), expected: "a finite number", found: shown(row[c]))
                    return nil
                }
                return x
            }
            // In column order, so a row's problems read left to right.
            for (i, c) in order {
                guard let x = number(c, name: i.map { paths[$0] } ?? "weight") else { continue }
                guard let i else {
                    if x < 0 { problem(place(line: lineNumber, column: c, name: "weight"), expected: "a weight ≥ 0", found: shown(row[c])) }
                    weights[r] = x
                    continue
                }
                if let expected = SchemaValidator.plainProblem(x, role: roles[i]) {
                    problem(place(line: lineNumber, column: c, name: paths[i]), expected: expected + " (as the plain field accepts)",
                            found: shown(row[c]))
                }
                values[r * paths.count + i] = x
            }
            if issues.count >= PosteriorCSV.maximumCellIssues { break }
        }
        guard issues.isEmpty else { return nil }
        let total = weights.reduce(0, +)
        if total == 0 {
            problem("\(fileAt): \(file), column \(weightColumn + 1) (weight)", expected: "at least one positive weight",
                    found: rowCount == 1 ? "a weight of 0" : "all \(rowCount) weights 0")
            return nil
        }
        if !total.isFinite {
            problem("\(fileAt): \(file), column \(weightColumn + 1) (weight)", expected: "weights with a finite sum", found: "a sum beyond 1.8e308")
            return nil
        }
        return Table(values: values, weights: weights)
    }

    private func listed(_ header: [String]) -> String {
        let shown = header.prefix(6).map { "\"\(quoted: $0)\"" }.joined(separator: ", ")
        return header.count > 6 ? "\(shown) … (\(header.count) columns)" : shown
    }
}
