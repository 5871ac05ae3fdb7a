import Foundation

/// The words of terminal tables and reports in one language: metric names,
/// targets, headings and the cost-effectiveness sentences. Chinese uses the
/// terms of civil-affairs documents (社工站, 社工室, 持证社工, 购买服务, 覆盖率).
public struct Labels: Sendable, Hashable {
    public var language: Language

    public init(_ language: Language) { self.language = language }

    /// The metric's name in prose and headers: `township coverage`, `乡镇(街道)社工站覆盖率`.
    public func metric(_ metric: Metric) -> String {
        let (en, zh) = Labels.metricNames[metric.rawValue]
        return language == .zh ? zh : en
    }

    /// A short name for table headers, where Chinese has a usual one
    /// (`社工站覆盖率` for `乡镇(街道)社工站覆盖率`); the full name otherwise.
    public func shortMetric(_ metric: Metric) -> String {
        switch (language, metric) {
        case (.zh, .townshipCoverage): return "社工站覆盖率"
        case (.zh, .communityCoverage): return "社工室覆盖率"
        case (.zh, .certifiedPer10k): return "每万人持证"
        default: return self.metric(metric)
        }
    }

    // Indexed by Metric.rawValue.
    static let metricNames: [(String, String)] = {
        let table: [Metric: (String, String)] = [
            .townshipCoverage: ("township coverage", "乡镇(街道)社工站覆盖率"),
            .communityCoverage: ("community coverage", "村(社区)社工室覆盖率"),
            .stations: ("township stations", "社工站"),
            .rooms: ("community rooms", "社工室"),
            .certified: ("certified workers", "持证社工"),
            .junior: ("assistant social workers", "助理社会工作师"),
            .intermediate: ("social workers (intermediate)", "社会工作师"),
            .senior: ("senior social workers", "高级社会工作师"),
            .talent: ("social work talent", "社会工作人才"),
            .certifiedPer10k: ("certified per 10k people", "每万人持证社工数"),
            .subsidyPaidRatio: ("subsidies paid", "补贴兑现率"),
            .spendSubsidies: ("subsidy spending", "补贴支出"),
            .spendContracts: ("purchased services", "购买服务支出"),
            .spendBuild: ("building", "建设支出"),
            .spendTraining: ("training", "培训支出"),
            .spendAwards: ("awards", "奖励支出"),
            .carry: ("carry-over", "结转资金"),
            .failedContracts: ("failed contracts", "未履约项目"),
            .agencies: ("social work agencies", "社会工作服务机构"),
            .revenue: ("new funds", "当年新增资金"),
            .spendTotal: ("total spending", "总支出"),
        ]
        return Metric.allCases.map { table[$0]! }
    }()

    /// A target in words: `township coverage ≥ 90% in 2022`,
    /// `2022年乡镇(街道)社工站覆盖率 ≥ 90%`; a district's in parentheses (en) or before the metric (zh).
    public func target(_ target: Target, districtNames: [String]) -> String {
        let comparison: String, threshold: Double
        switch target.bound {
        case let .atLeast(x): comparison = "≥"; threshold = x
        case let .atMost(x): comparison = "≤"; threshold = x
        }
        let value = bound(threshold, metric: target.metric)
        let district = target.district.map { districtNames[$0] }
        switch language {
        case .en:
            return "\(metric(target.metric)) \(comparison) \(value) in \(target.year)" + (district.map { " (\($0))" } ?? "")
        case .zh:
            return "\(target.year)年" + (district.map { "\($0)" } ?? "") + "\(metric(target.metric)) \(comparison) \(value)"
        }
    }

    /// A threshold as written in words: shares as percent, money in its own scale, people with their unit in Chinese.
    func bound(_ x: Double, metric: Metric) -> String {
        switch metric.unit {
        case "share": return shortNumber(x * 100, maximum: 2) + "%"
        case "yuan":
            let scale = MoneyScale(largest: x, language: language)
            return shortNumber(x / scale.divisor, maximum: 2) + (language == .zh ? "" : " ") + scale.unit
        case "people": return shortNumber(x) + (language == .zh ? "人" : "")
        default: return shortNumber(x)
        }
    }

    /// Fixed words of tables and reports.
    public enum Phrase: Sendable, CaseIterable {
        case rank, alternative, base, target, probability, interval95, generator
        case medianByYear, targetsHeading, rankedOn, higherIsBetter, lowerIsBetter, noChange
    }

    public func text(_ phrase: Phrase) -> String {
        let (en, zh): (String, String)
        switch phrase {
        case .rank: (en, zh) = ("rank", "排名")
        case .alternative: (en, zh) = ("alternative", "方案")
        case .base: (en, zh) = ("base", "基准")
        case .target: (en, zh) = ("target", "目标")
        case .probability: (en, zh) = ("probability", "达成概率")
        case .interval95: (en, zh) = ("95% interval", "95%区间")
        case .generator: (en, zh) = ("generator", "生成器")
        case .medianByYear: (en, zh) = ("median [5th, 95th percentile] by year", "各年中位数 [第5, 第95百分位数]")
        case .targetsHeading: (en, zh) = ("targets: probability met [95% interval]", "目标：达成概率 [95%区间]")
        case .rankedOn: (en, zh) = ("ranked on", "排名依据")
        case .higherIsBetter: (en, zh) = ("higher is better", "越高越好")
        case .lowerIsBetter: (en, zh) = ("lower is better", "越低越好")
        case .noChange: (en, zh) = ("no change", "无变化")
        }
        return language == .zh ? zh : en
    }

    /// `1,000 replicates · seed 7`, `1,000次重复 · 种子 7`.
    public func runLine(replicates: Int, seed: UInt64) -> String {
        let count = groupedNumber(Double(replicates), decimals: 0)
        return language == .zh ? "\(count)次重复 · 种子 \(seed)" : "\(count) replicates · seed \(seed)"
    }

    /// The direction of a ranking, e.g. `ranked on P(township coverage ≥ 90% in 2022), higher is better`.
    public func rankingLine(key: RankKey, districtNames: [String]) -> String {
        let better = text(key.target != nil || key.metric.higherIsBetter ? .higherIsBetter : .lowerIsBetter)
        let on: String
        if let ranked = key.target {
            let words = target(ranked, districtNames: districtNames)
            on = language == .zh ? "\(words)的概率" : "P(\(words))"
        } else {
            on = language == .zh ? "\(key.year)年\(metric(key.metric))均值" : "mean \(metric(key.metric)) in \(key.year)"
        }
        guard key.target != nil else {
            return language == .zh ? "\(text(.rankedOn))：\(on)，\(better)" : "\(text(.rankedOn)) \(on), \(better)"
        }
        // Ties on a probability go to the better mean of the target's metric (see ``Ranking``).
        let tieBreak = language == .zh ? "\(key.year)年\(metric(key.metric))均值" : "mean \(metric(key.metric)) in \(key.year)"
        return language == .zh ? "\(text(.rankedOn))：\(on)，\(better)；相同时比较\(tieBreak)"
            : "\(text(.rankedOn)) \(on), \(better); ties by \(tieBreak)"
    }
}

// MARK: - Cost-effectiveness in words

/// Where an alternative falls against the base on the cost-effectiveness
/// plane (extra spending against extra staffed stations), decided on the means.
public enum CostQuadrant: Sendable, Hashable {
    /// Spends less and staffs more stations.
    case dominant
    /// Spends more for more stations: a cost per extra station.
    case costsMoreGainsMore
    /// Spends less with fewer stations: a saving per station lost.
    case savesLosesStations
    /// Spends more and staffs fewer stations.
    case dominated
    /// Staffed stations unchanged on average.
    case noEffect

    public static func classify(spending: Double, stations: Double) -> CostQuadrant {
        if abs(stations) < 1e-9 { return .noEffect }
        if stations > 0 { return spending <= 0 ? .dominant : .costsMoreGainsMore }
        return spending < 0 ? .savesLosesStations : .dominated
    }
}

extension Labels {
    /// One sentence on an alternative's cost-effectiveness against the base,
    /// from the paired differences of final-year spending and staffed
    /// stations and their ratio: `saves 1.2 million yuan and gains 3.4 staffed
    /// stations`, `2.1 million yuan more per extra staffed station [1.5, 2.8]`,
    /// `saves 0.9 million yuan per station lost [0.6, 1.2]`, `costs 0.3
    /// million yuan more and loses 2.0 staffed stations`. When an interval
    /// includes 0 the sentence says the ratio (or the quadrant) is undetermined.
    public func costEffectiveness(spending: PairedDifference, stations: PairedDifference,
                                  ratio: CostEffectiveness.Ratio?) -> String {
        let quadrant = CostQuadrant.classify(spending: spending.mean, stations: stations.mean)
        let zh = language == .zh
        func money(_ x: Double) -> String { MoneyScale.amount(x, language: language) }
        let count = groupedNumber(abs(stations.mean), decimals: abs(stations.mean) >= 100 ? 0 : 1)
        let ratioScale = ratio.map { MoneyScale(values: [$0.estimate, $0.low, $0.high], language: language) }
        // Amounts per station are shown as positive: the sentence says whether they are spent or saved.
        func amount(_ r: CostEffectiveness.Ratio) -> String { ratioScale!.withUnit(abs(r.estimate)) }
        func range(_ r: CostEffectiveness.Ratio) -> String {
            let (a, b) = (abs(r.low), abs(r.high))
            let low = r.low < 0 && r.high > 0 ? -a : min(a, b), high = r.low < 0 && r.high > 0 ? b : max(a, b)
            return " [\(ratioScale!.format(low)), \(ratioScale!.format(high))]"
        }
        let undetermined = zh ? "；比值无法确定(95%区间包含0)" : "; the ratio is undetermined (its 95% interval includes 0)"
        let uncertain = spending.low < 0 && spending.high > 0 || stations.low < 0 && stations.high > 0
        let uncertainQuadrant = zh ? "；不确定(95%区间包含0)" : "; not certain (a 95% interval includes 0)"
        switch quadrant {
        case .noEffect:
            let cost = abs(spending.mean) < 0.5 ? (zh ? "支出不变" : "same spending")
                : spending.mean > 0 ? (zh ? "多花\(money(spending.mean))" : "costs \(money(spending.mean)) more")
                : (zh ? "节省\(money(-spending.mean))" : "saves \(money(-spending.mean))")
            return zh ? "有人驻站的社工站数不变，\(cost)" : "no change in staffed stations; \(cost)"
        case .dominant:
            let saving = abs(spending.mean) < 0.5 ? (zh ? "支出不变" : "same spending") : (zh ? "节省\(money(-spending.mean))" : "saves \(money(-spending.mean))")
            return (zh ? "\(saving)，多\(count)个有人驻站的社工站" : "\(saving) and gains \(count) staffed stations") + (uncertain ? uncertainQuadrant : "")
        case .dominated:
            return (zh ? "多花\(money(spending.mean))，少\(count)个有人驻站的社工站" : "costs \(money(spending.mean)) more and loses \(count) staffed stations")
                + (uncertain ? uncertainQuadrant : "")
        case .costsMoreGainsMore, .savesLosesStations:
            guard let ratio else { return text(.noChange) }
            let sentence: String
            if quadrant == .costsMoreGainsMore {
                sentence = zh ? "每多一个有人驻站的社工站多花\(amount(ratio))\(range(ratio))" : "\(amount(ratio)) more per extra staffed station\(range(ratio))"
            } else {
                sentence = zh ? "每少一个有人驻站的社工站节省\(amount(ratio))\(range(ratio))" : "saves \(amount(ratio)) per station lost\(range(ratio))"
            }
            return sentence + (ratio.low < 0 && ratio.high > 0 || stations.low < 0 && stations.high > 0 ? undetermined : "")
        }
    }
}

extension Labels {
    /// The sentence for an alternative's final-year cost-effectiveness against the base.
    public func costEffectiveness(_ value: CostEffectiveness) -> String {
        costEffectiveness(spending: value.spending, stations: value.staffedStations, ratio: value.perStaffedStation)
    }
}
