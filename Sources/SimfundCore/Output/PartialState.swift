import Foundation

/// What a part of a run needs to be merged with the other parts and to
/// produce exactly what the whole run produces: the inputs it was planned
/// from, the plan's identity, its replicate range, and its accumulated state.
///
/// Written by `run`/`compare`/`sweep --shard I/N` as one JSON file
/// (`part-I-of-N.json`, format ``PartialRun/formatVersion``); read by
/// `simfund merge`. Every field is checked on reading: a part is untrusted input.
public struct PartialRun: Sendable {
    public static let formatVersion = 1

    /// How to rebuild the plan: the command and its inputs.
    public struct Inputs: Sendable, Equatable {
        /// "run", "compare" or "sweep".
        public var command: String
        /// Each scenario file given (name as typed, and its bytes): one for
        /// run, sweep and compare of one file; several for compare A B ….
        public var files: [(name: String, source: [UInt8])]
        /// Sweep axes: PATH and its values.
        public var axes: [(path: String, values: [Double])]
        /// `--rank-by` as given, if any.
        public var rankBy: String?
        public var seed: UInt64
        public var replicates: Int
        /// compare `--value-of-information`: outputs add every input's EVPPI
        /// (recorded in part files only when set, so other parts read as before).
        public var valueOfInformation = false
        /// Per file: the SHA-256 of its posterior file (nil: no posterior), so
        /// that parts made with another posterior file are not merged.
        public var posteriorHashes: [String?] = []

        public init(command: String, files: [(name: String, source: [UInt8])], axes: [(path: String, values: [Double])] = [],
                    rankBy: String? = nil, seed: UInt64, replicates: Int, valueOfInformation: Bool = false) {
            self.valueOfInformation = valueOfInformation
            self.command = command
            self.files = files
            self.axes = axes
            self.rankBy = rankBy
            self.seed = seed
            self.replicates = replicates
        }

        public static func == (a: Inputs, b: Inputs) -> Bool {
            a.command == b.command && a.files.map(\.name) == b.files.map(\.name) && a.files.map(\.source) == b.files.map(\.source)
                && a.axes.map(\.path) == b.axes.map(\.path) && a.axes.map(\.values) == b.axes.map(\.values)
                && a.rankBy == b.rankBy && a.seed == b.seed && a.replicates == b.replicates && a.posteriorHashes == b.posteriorHashes
                && a.valueOfInformation == b.valueOfInformation
        }
    }

    public var simfund: String
    public var inputs: Inputs
    /// Names of the plan's variants, base first (a check that both sides built the same plan).
    public var variants: [String]
    public var shard: (index: Int, count: Int)
    public var state: PlanState
    /// The state as read, until ``loadState(plan:file:)`` types it against the plan.
    var stateNode: JSONNode?

    public init(inputs: Inputs, variants: [String], shard: (index: Int, count: Int), state: PlanState) {
        simfund = simfundVersion
        self.inputs = inputs
        self.variants = variants
        self.shard = shard
        self.state = state
    }

    /// The file name of shard I of N.
    public static func fileName(index: Int, count: Int) -> String { "part-\(index)-of-\(count).json" }

    // MARK: - Writing

    public func json() -> String {
        JSONOutput.object([
            ("simfundPartialRun", .integer(Int64(PartialRun.formatVersion))),
            ("simfund", .string(simfund)),
            ("command", .string(inputs.command)),
            ("files", .array(inputs.files.enumerated().map { i, file in
                let posterior = i < inputs.posteriorHashes.count ? inputs.posteriorHashes[i] : nil
                return .object([("name", .string(file.name)), ("sha256", .string(sha256Hex(file.source)))]
                    + (posterior.map { [("posteriorSHA256", JSONOutput.string($0))] } ?? [])
                    + [("source", .string(Data(file.source).base64EncodedString()))])
            })),
            ("axes", .array(inputs.axes.map { .object([("path", .string($0.path)), ("values", .array($0.values.map { .number($0) }))]) })),
            ("rankBy", inputs.rankBy.map { .string($0) } ?? .null),
        ] + (inputs.valueOfInformation ? [("valueOfInformation", .bool(true))] : []) + [
            ("seed", .unsigned(inputs.seed)),
            ("replicates", .integer(Int64(inputs.replicates))),
            ("variants", .array(variants.map { .string($0) })),
            ("shard", .array([.integer(Int64(shard.index)), .integer(Int64(shard.count))])),
            ("range", .array([.integer(Int64(state.range.lowerBound)), .integer(Int64(state.range.upperBound))])),
            ("state", state.jsonValue()),
        ]).render(pretty: false) + "\n"
    }

    // MARK: - Reading

    /// Reads a part, checking every field; errors name the file and the JSON path.
    /// - Parameter keepingState: false reads the header only (the state's
    ///   tree is dropped at once), so many parts can be checked in little memory.
    public static func read(bytes: [UInt8], file: String, keepingState: Bool = true) throws(PartialRunError) -> PartialRun {
        let node: JSONNode
        do { node = try JSONParser.parse(bytes: bytes) } catch {
            throw PartialRunError(file: file, path: "", message: "expected a simfund part file (JSON), found a syntax error at \(error.location): expected \(error.expected)")
        }
        var reader = PartReader(file: file)
        var part = try reader.part(node)
        if !keepingState { part.stateNode = nil }
        return part
    }
}

/// Why a part file cannot be used.
public struct PartialRunError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var message: String
    public var description: String { path.isEmpty ? "\(file): \(message)" : "\(file): \(path): \(message)" }

    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }
}

// MARK: - State as JSON

extension ExactSum {
    /// 96 hexadecimal digits, most significant limb first.
    var hex: String {
        limbs.reversed().map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    init?(hex: String) {
        guard hex.count == 96, hex.allSatisfy(\.isHexDigit) else { return nil }
        let characters = Array(hex)
        var limbs: [UInt64] = []
        for i in 0..<6 {
            guard let word = UInt64(String(characters[(16 * i)..<(16 * (i + 1))]), radix: 16) else { return nil }
            limbs.append(word)
        }
        self.init(limbs: limbs.reversed())
    }
}

extension MomentSums {
    var jsonFields: [(String, JSONOutput)] {
        [("n", .integer(Int64(count))), ("sum", .string(sum.hex)), ("squares", .string(squares.hex)),
         ("min", count > 0 ? .number(min) : .null), ("max", count > 0 ? .number(max) : .null)]
    }
}

extension SeriesAccumulator {
    var jsonValue: JSONOutput {
        var fields = moments.jsonFields
        if let values = distribution.sortedValues {
            fields.append(("values", .array(values.map { .number($0) })))
        } else if let buckets = distribution.buckets {
            let sorted = buckets.counts.sorted { $0.key < $1.key }
            fields.append(("bits", .integer(Int64(buckets.bits))))
            fields.append(("keys", .array(sorted.map { .string(String($0.key, radix: 16)) })))
            fields.append(("counts", .array(sorted.map { .integer(Int64($0.value)) })))
        }
        return .object(fields)
    }
}

extension DistrictCoverage {
    var jsonValue: JSONOutput {
        .object([("counts", .array(counts.map { .integer(Int64($0)) })), ("full", .array(full.map { .integer(Int64($0)) })),
                 ("large", .array(large.map(\.jsonValue)))])
    }
}

extension PlanState {
    func jsonValue() -> JSONOutput {
        .object([
            ("variants", .array(variants.map { variant in
                .object([("series", .array(variant.series.map(\.jsonValue))),
                         ("targets", .array(variant.targetSuccesses.map { .integer(Int64($0)) })),
                         ("townships", variant.townships.jsonValue), ("communities", variant.communities.jsonValue)])
            })),
            ("pairs", .array(pairs.map { pair in
                .object([("differences", .array(pair.differences.map { .object($0.jsonFields) })),
                         ("better", .array(pair.better.map { .integer(Int64($0)) })),
                         ("worse", .array(pair.worse.map { .integer(Int64($0)) })),
                         ("gained", .array(pair.gained.map { .integer(Int64($0)) })),
                         ("lost", .array(pair.lost.map { .integer(Int64($0)) })),
                         ("cost", .object([("n", .integer(Int64(pair.cost.count))), ("sums", .array(pair.cost.sums.map { .string($0.hex) }))]))])
            })),
        ])
    }
}

/// Reads a part file's JSON, naming the field of every problem.
struct PartReader {
    let file: String

    func fail(_ path: String, _ message: String) -> PartialRunError { PartialRunError(file: file, path: path, message: message) }

    func field(_ node: JSONNode, _ key: String, _ path: String) throws(PartialRunError) -> JSONNode {
        guard let value = node[key] else { throw fail(path.isEmpty ? key : "\(path).\(key)", "missing") }
        return value
    }

    func int(_ node: JSONNode, _ path: String, min: Int = 0) throws(PartialRunError) -> Int {
        guard let x = node.number, x == x.rounded(), x >= Double(min), x <= 9e15 else { throw fail(path, "expected a whole number ≥ \(min), found \(node.summary)") }
        return Int(x)
    }

    func number(_ node: JSONNode, _ path: String) throws(PartialRunError) -> Double {
        guard let x = node.number, x.isFinite else { throw fail(path, "expected a number, found \(node.summary)") }
        return x
    }

    func string(_ node: JSONNode, _ path: String) throws(PartialRunError) -> String {
        guard let s = node.string else { throw fail(path, "expected a string, found \(node.summary)") }
        return s
    }

    func array(_ node: JSONNode, _ path: String, count: Int? = nil) throws(PartialRunError) -> [JSONNode] {
        guard let elements = node.elements else { throw fail(path, "expected an array, found \(node.summary)") }
        if let count, elements.count != count { throw fail(path, "expected \(count) entries, found \(elements.count)") }
        return elements
    }

    func ints(_ node: JSONNode, _ path: String, count: Int? = nil) throws(PartialRunError) -> [Int] {
        var result: [Int] = []
        for (i, element) in try array(node, path, count: count).enumerated() { result.append(try int(element, "\(path)[\(i)]")) }
        return result
    }

    func sum(_ node: JSONNode, _ path: String) throws(PartialRunError) -> ExactSum {
        guard let text = node.string, let sum = ExactSum(hex: text) else { throw fail(path, "expected 96 hexadecimal digits") }
        return sum
    }

    mutating func part(_ node: JSONNode) throws(PartialRunError) -> PartialRun {
        guard node.members != nil else { throw fail("", "expected a simfund part file (a JSON object)") }
        let version = try int(try field(node, "simfundPartialRun", ""), "simfundPartialRun")
        guard version == PartialRun.formatVersion else { throw fail("simfundPartialRun", "expected format \(PartialRun.formatVersion), found \(version)") }
        let simfund = try string(try field(node, "simfund", ""), "simfund")
        let command = try string(try field(node, "command", ""), "command")
        guard ["run", "compare", "sweep"].contains(command) else { throw fail("command", "expected run, compare or sweep, found \"\(command)\"") }
        var files: [(name: String, source: [UInt8])] = []
        var posteriorHashes: [String?] = []
        for (i, entry) in try array(try field(node, "files", ""), "files").enumerated() {
            let path = "files[\(i)]"
            let name = try string(try field(entry, "name", path), "\(path).name")
            guard let data = Data(base64Encoded: try string(try field(entry, "source", path), "\(path).source")) else {
                throw fail("\(path).source", "expected base64 text")
            }
            let source = [UInt8](data)
            guard try string(try field(entry, "sha256", path), "\(path).sha256") == sha256Hex(source) else {
                throw fail("\(path).sha256", "does not match the scenario it records (the file was edited)")
            }
            files.append((name, source))
            if let hash = entry["posteriorSHA256"] {
                let text = try string(hash, "\(path).posteriorSHA256")
                guard text.count == 64, text.allSatisfy(\.isHexDigit) else { throw fail("\(path).posteriorSHA256", "expected 64 hexadecimal digits (a SHA-256)") }
                posteriorHashes.append(text)
            } else {
                posteriorHashes.append(nil)
            }
        }
        guard !files.isEmpty else { throw fail("files", "expected at least one scenario") }
        var axes: [(path: String, values: [Double])] = []
        for (i, axis) in try array(try field(node, "axes", ""), "axes").enumerated() {
            let path = try string(try field(axis, "path", "axes[\(i)]"), "axes[\(i)].path")
            var values: [Double] = []
            for (j, v) in try array(try field(axis, "values", "axes[\(i)]"), "axes[\(i)].values").enumerated() {
                values.append(try number(v, "axes[\(i)].values[\(j)]"))
            }
            axes.append((path, values))
        }
        let rankNode = try field(node, "rankBy", "")
        let rankBy: String? = rankNode.value == .null ? nil : try string(rankNode, "rankBy")
        guard case let .number(_, literal) = try field(node, "seed", "").value, let seed = UInt64(literal) else {
            throw fail("seed", "expected a whole number from 0 to 2^64-1")
        }
        let replicates = try int(try field(node, "replicates", ""), "replicates", min: 1)
        var variants: [String] = []
        for (i, v) in try array(try field(node, "variants", ""), "variants").enumerated() { variants.append(try string(v, "variants[\(i)]")) }
        let shard = try ints(try field(node, "shard", ""), "shard", count: 2)
        guard shard[1] >= 1, (1...shard[1]).contains(shard[0]) else { throw fail("shard", "expected [I, N] with 1 ≤ I ≤ N") }
        let range = try ints(try field(node, "range", ""), "range", count: 2)
        guard range[0] < range[1], range[1] <= replicates else { throw fail("range", "expected [first, last) within 0…\(replicates)") }
        var valueOfInformation = false
        if let flag = node["valueOfInformation"] {
            guard case let .bool(value) = flag.value else { throw fail("valueOfInformation", "expected true or false") }
            valueOfInformation = value
        }
        var inputs = PartialRun.Inputs(command: command, files: files, axes: axes, rankBy: rankBy, seed: seed, replicates: replicates,
                                       valueOfInformation: valueOfInformation)
        inputs.posteriorHashes = posteriorHashes
        var part = PartialRun(inputs: inputs, variants: variants, shard: (shard[0], shard[1]),
                              state: PlanState(variants: [], pairs: [], range: range[0]..<range[1]))
        part.simfund = simfund
        part.stateNode = try field(node, "state", "")
        return part
    }

    /// Reads the accumulated state against the plan rebuilt from the part's inputs.
    func state(_ node: JSONNode, plan: RunPlan, range: Range<Int>) throws(PartialRunError) -> PlanState {
        let template = PlanState(plan: plan, range: range)
        let years = plan.base.years
        let seriesCount = Metric.count * years
        let n = range.count
        let variantNodes = try array(try field(node, "variants", "state"), "state.variants", count: plan.variants.count)
        var variants: [VariantAccumulator] = []
        for (v, variantNode) in variantNodes.enumerated() {
            let path = "state.variants[\(v)]"
            var variant = template.variants[v]
            let seriesNodes = try array(try field(variantNode, "series", path), "\(path).series", count: seriesCount)
            for (i, s) in seriesNodes.enumerated() {
                variant.series[i] = try series(s, "\(path).series[\(i)]", limits: plan.limits, replicates: n)
            }
            variant.targetSuccesses = try ints(try field(variantNode, "targets", path), "\(path).targets", count: plan.targets.count)
            guard variant.targetSuccesses.allSatisfy({ $0 <= n }) else { throw fail("\(path).targets", "expected counts of at most \(n) replicates") }
            variant.townships = try coverage(try field(variantNode, "townships", path), "\(path).townships", template: variant.townships, limits: plan.limits, replicates: n)
            variant.communities = try coverage(try field(variantNode, "communities", path), "\(path).communities", template: variant.communities, limits: plan.limits, replicates: n)
            variants.append(variant)
        }
        let pairNodes = try array(try field(node, "pairs", "state"), "state.pairs", count: plan.variants.count - 1)
        var pairs: [PairedAccumulator] = []
        for (a, pairNode) in pairNodes.enumerated() {
            let path = "state.pairs[\(a)]"
            var pair = template.pairs[a]
            for (i, d) in try array(try field(pairNode, "differences", path), "\(path).differences", count: seriesCount).enumerated() {
                pair.differences[i] = try moments(d, "\(path).differences[\(i)]", replicates: n)
            }
            pair.better = try ints(try field(pairNode, "better", path), "\(path).better", count: seriesCount)
            pair.worse = try ints(try field(pairNode, "worse", path), "\(path).worse", count: seriesCount)
            pair.gained = try ints(try field(pairNode, "gained", path), "\(path).gained", count: plan.targets.count)
            pair.lost = try ints(try field(pairNode, "lost", path), "\(path).lost", count: plan.targets.count)
            let cost = try field(pairNode, "cost", path)
            let count = try int(try field(cost, "n", "\(path).cost"), "\(path).cost.n")
            var sums: [ExactSum] = []
            for (i, s) in try array(try field(cost, "sums", "\(path).cost"), "\(path).cost.sums", count: 8).enumerated() {
                sums.append(try sum(s, "\(path).cost.sums[\(i)]"))
            }
            guard count == n else { throw fail("\(path).cost.n", "expected \(n) replicates, found \(count)") }
            pair.cost = CrossMoments(count: count, sums: sums)
            pairs.append(pair)
        }
        return PlanState(variants: variants, pairs: pairs, range: range)
    }

    func moments(_ node: JSONNode, _ path: String, replicates: Int) throws(PartialRunError) -> MomentSums {
        var m = MomentSums()
        m.count = try int(try field(node, "n", path), "\(path).n")
        guard m.count == replicates else { throw fail("\(path).n", "expected \(replicates) replicates, found \(m.count)") }
        m.sum = try sum(try field(node, "sum", path), "\(path).sum")
        m.squares = try sum(try field(node, "squares", path), "\(path).squares")
        m.min = try number(try field(node, "min", path), "\(path).min")
        m.max = try number(try field(node, "max", path), "\(path).max")
        return m
    }

    func series(_ node: JSONNode, _ path: String, limits: StatisticsLimits, replicates: Int) throws(PartialRunError) -> SeriesAccumulator {
        let m = try moments(node, path, replicates: replicates)
        if let valuesNode = node["values"] {
            var values: [Double] = []
            for (i, v) in try array(valuesNode, "\(path).values", count: replicates).enumerated() { values.append(try number(v, "\(path).values[\(i)]")) }
            guard replicates <= limits.exactValues else { throw fail("\(path).values", "expected buckets beyond \(limits.exactValues) values") }
            return SeriesAccumulator(moments: m, distribution: ValueDistribution(exactLimit: limits.exactValues, maxBuckets: limits.maxBuckets, values: values, buckets: nil))
        }
        let bits = try int(try field(node, "bits", path), "\(path).bits")
        guard bits <= BucketCounts.finestBits else { throw fail("\(path).bits", "expected at most \(BucketCounts.finestBits)") }
        let keyNodes = try array(try field(node, "keys", path), "\(path).keys")
        let counts = try ints(try field(node, "counts", path), "\(path).counts", count: keyNodes.count)
        guard keyNodes.count <= limits.maxBuckets else { throw fail("\(path).keys", "expected at most \(limits.maxBuckets) buckets") }
        var buckets: [UInt64: Int] = [:]
        for (i, k) in keyNodes.enumerated() {
            guard let text = k.string, let key = UInt64(text, radix: 16) else { throw fail("\(path).keys[\(i)]", "expected a hexadecimal key") }
            buckets[key] = counts[i]
        }
        guard counts.reduce(0, +) == replicates else { throw fail("\(path).counts", "expected counts adding up to \(replicates)") }
        return SeriesAccumulator(moments: m, distribution: ValueDistribution(exactLimit: limits.exactValues, maxBuckets: limits.maxBuckets,
                                                                             values: nil, buckets: BucketCounts(maxBuckets: limits.maxBuckets, bits: bits, counts: buckets)))
    }

    func coverage(_ node: JSONNode, _ path: String, template: DistrictCoverage, limits: StatisticsLimits, replicates: Int) throws(PartialRunError) -> DistrictCoverage {
        var coverage = template
        coverage.counts = try ints(try field(node, "counts", path), "\(path).counts", count: template.counts.count)
        coverage.full = try ints(try field(node, "full", path), "\(path).full", count: template.full.count)
        let largeNodes = try array(try field(node, "large", path), "\(path).large", count: template.large.count)
        for (i, l) in largeNodes.enumerated() { coverage.large[i] = try series(l, "\(path).large[\(i)]", limits: limits, replicates: replicates) }
        return coverage
    }
}

extension PartialRun {
    /// Reads the state once the plan is rebuilt from the inputs (the shape of
    /// the state depends on the plan).
    public mutating func loadState(plan: RunPlan, file: String) throws(PartialRunError) {
        guard let node = stateNode else { return }
        state = try PartReader(file: file).state(node, plan: plan, range: state.range)
        stateNode = nil
    }
}
