/// The order of runs in a comparison: best first on the value ranked on,
/// ties broken by a second key, then by the order the runs were given.
public enum Ranking {
    public struct Entry: Sendable, Hashable {
        public var name: String
        /// The value ranked on (a target's probability, or a metric's mean).
        public var primary: Double
        /// The tie-break: the ranked metric's mean in the ranked year.
        public var secondary: Double

        public init(name: String, primary: Double, secondary: Double) {
            self.name = name
            self.primary = primary
            self.secondary = secondary
        }
    }

    /// Best first: `primary` in its better direction, then `secondary` in
    /// its own, then input order (stable). A NaN ranks below every number.
    public static func order(_ entries: [Entry], primaryHigherIsBetter: Bool, secondaryHigherIsBetter: Bool) -> [Entry] {
        // -1 when a is better, 1 when b is, 0 when tied.
        func compare(_ a: Double, _ b: Double, higherIsBetter: Bool) -> Int {
            switch (a.isNaN, b.isNaN) {
            case (true, true): return 0
            case (true, false): return 1
            case (false, true): return -1
            case (false, false):
                if a == b { return 0 }
                return (a > b) == higherIsBetter ? -1 : 1
            }
        }
        return entries.enumerated().sorted { a, b in
            let first = compare(a.element.primary, b.element.primary, higherIsBetter: primaryHigherIsBetter)
            if first != 0 { return first < 0 }
            let second = compare(a.element.secondary, b.element.secondary, higherIsBetter: secondaryHigherIsBetter)
            if second != 0 { return second < 0 }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// The tie-break value of a run: the mean of the key's metric in the
    /// key's year (for a district target, that district's coverage).
    public static func secondaryValue(_ key: RankKey, summary: RunSummary) -> Double {
        let y = key.year - summary.years[0]
        if let target = key.target, let d = target.district {
            let district = summary.districts[d]
            return (target.metric == .communityCoverage ? district.communityCoverage : district.townshipCoverage)[y].mean
        }
        return summary.metrics[key.metric]![y].mean
    }

    /// A ranking as ``ComparisonReport/ranking`` holds it, reordered with the
    /// tie-break; `summaries` in the same order as `ranked`.
    static func order(_ ranked: [(name: String, value: Double)], summaries: [RunSummary], key: RankKey) -> [(name: String, value: Double)] {
        let entries = zip(ranked, summaries).map { Entry(name: $0.name, primary: $0.value, secondary: secondaryValue(key, summary: $1)) }
        return order(entries, primaryHigherIsBetter: key.target != nil || key.metric.higherIsBetter,
                     secondaryHigherIsBetter: key.metric.higherIsBetter).map { ($0.name, $0.primary) }
    }
}
