import Foundation

/// How a lever's values read: shares as percentages, money in yuan, counts as whole numbers.
public enum LeverUnit: String, Sendable, Equatable {
    case share, yuan, count, number

    static func of(_ lever: NumericLever) -> LeverUnit {
        func unit(_ role: ParameterRole) -> LeverUnit {
            switch role {
            case .rate, .growth: return .share
            case .money: return .yuan
            case .count: return .count
            case .positive, .free: return .number
            }
        }
        switch lever.kind {
        case let .plain(_, role, _): return unit(role)
        case let .distributionField(slot, _, field):
            // A distribution's location fields carry the parameter's unit (a count's mean need not be whole); its shape fields do not.
            let own = unit(lever.base.parameters[slot].role)
            guard ["mean", "sd", "min", "max", "mode", "median"].contains(field) else { return .number }
            return own == .count ? .number : own
        case let .scheduleEntry(slot, entry, field):
            guard let role = lever.base.schedules[slot]?.entries[entry].parameter.role else { return .number }
            return field == nil ? unit(role) : .number
        case let .district(_, field, whole, _, _):
            return field == .reliefFunds ? .yuan : whole ? .count : .number
        }
    }

    /// `1.25%`, `10,800,000`, `12`, with `decimals` (of the percentage for shares).
    public func text(_ x: Double, decimals: Int) -> String {
        switch self {
        case .share: return groupedNumber(x * 100, decimals: decimals) + "%"
        case .count: return groupedNumber(x, decimals: 0)
        case .yuan, .number: return groupedNumber(x, decimals: decimals)
        }
    }
}

extension GoalResult {
    /// Decimals that show a thousandth of the range (of the percentage for shares), at most 6.
    public var decimals: Int {
        if wholeNumbers { return 0 }
        let step = (high - low) / 1000 * (unit == .share ? 100 : 1)
        return max(0, min(6, Int((-log10(step)).rounded(.up))))
    }

    public func valueText(_ x: Double) -> String { unit.text(x, decimals: decimals) }

    /// The targets' positions in words: `1, 2 and 3`, `1、2和3`.
    func positionsText(_ language: Language) -> String {
        let names = targets.map(String.init)
        guard names.count > 1 else { return names.first ?? "" }
        return language == .zh ? names.dropLast().joined(separator: "、") + "和" + names.last!
            : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// The answer in one sentence (terminal, report).
    public func sentence(_ language: Language) -> String {
        let zh = language == .zh
        let which = targets.count == 1 ? (zh ? "目标 \(positionsText(language))" : "target \(positionsText(language))")
            : (zh ? "目标 \(positionsText(language)) 同时" : "targets \(positionsText(language)) together")
        let p = percentText(probability, decimals: 0)
        // One sentence: the confirmation is its last clause.
        let confirmed = confirmation.map { c in
            zh ? "; 以新种子 \(c.seed) 复核: 达成概率 \(percentText(c.probability.estimate)) [\(percentText(c.probability.low))–\(percentText(c.probability.high))]"
                : "; a fresh run at that value (seed \(c.seed)) meets \(targets.count == 1 ? "it" : "them") with probability \(percentText(c.probability.estimate)) [\(percentText(c.probability.low))–\(percentText(c.probability.high))]"
        } ?? ""
        let interval = zh ? "95%区间 \(answerLow.map(valueText) ?? "低于下限") 至 \(answerHigh.map(valueText) ?? "超出上限")"
            : "95% interval \(answerLow.map(valueText) ?? "below the range") to \(answerHigh.map(valueText) ?? "beyond the range")"
        let atEnd = direction == .increasing ? curve.last : curve.first
        let endProbability = atEnd.map { zh ? "\(valueText($0.value)) 时概率为 \(percentText($0.probability.estimate))" : "at \(valueText($0.value)) the probability is \(percentText($0.probability.estimate))" } ?? ""
        switch outcome {
        case .found:
            guard let answer else { return "" }
            if direction == .increasing {
                return zh ? "要以至少 \(p) 的概率达成\(which), \(lever) 至少需要 \(valueText(answer)) (\(interval))" + confirmed + "。"
                    : "To meet \(which) with probability at least \(p), \(lever) must be at least \(valueText(answer)) (\(interval))" + confirmed + "."
            }
            return zh ? "要以至少 \(p) 的概率达成\(which), \(lever) 最多为 \(valueText(answer)) (\(interval); 该值越大越不利)" + confirmed + "。"
                : "To meet \(which) with probability at least \(p), \(lever) may be at most \(valueText(answer)) (\(interval); higher values make it worse)" + confirmed + "."
        case .alreadyMet:
            let end = valueText(direction == .increasing ? low : high)
            if direction == .increasing {
                return zh ? "\(lever) 取下限 \(end) 已能以至少 \(p) 的概率达成\(which), 无需更高" + confirmed + "。"
                    : "\(lever) = \(end), the low end of the range, already meets \(which) with probability at least \(p), so no more is needed" + confirmed + "."
            }
            return zh ? "\(lever) 取上限 \(end) 仍能以至少 \(p) 的概率达成\(which)" + confirmed + "。"
                : "\(lever) = \(end), the high end of the range, still meets \(which) with probability at least \(p)" + confirmed + "."
        case .notReached:
            if direction == .increasing {
                return zh ? "\(lever) 在 \(valueText(high)) 以内的任何取值都不能以 \(p) 的概率达成\(which): \(endProbability)。"
                    : "No value of \(lever) up to \(valueText(high)) meets \(which) with probability \(p): \(endProbability)."
            }
            return zh ? "\(lever) 在 \(valueText(low)) 以上的任何取值都不能以 \(p) 的概率达成\(which): \(endProbability)。"
                : "No value of \(lever) down to \(valueText(low)) meets \(which) with probability \(p): \(endProbability)."
        case .nonMonotone:
            return zh ? "\(lever) 的任何网格取值都不能以 \(p) 的概率达成\(which): \(percentText(nonMonotone)) 的重复中结果不随该值单调变化。"
                : "No grid value of \(lever) meets \(which) with probability \(p): in \(percentText(nonMonotone)) of the replicates the outcome is not monotone in the lever."
        }
    }

    /// The reason written to goal.json (English, fixed words).
    var reason: String {
        switch outcome {
        case .found: return method == "grid" ? "moved to the first grid value reaching the probability: outcomes are not monotone in the lever" : "found"
        case .alreadyMet: return direction == .increasing ? "LOW already reaches the probability" : "HIGH still reaches the probability"
        case .notReached: return direction == .increasing ? "no value up to HIGH reaches the probability" : "no value down to LOW reaches the probability"
        case .nonMonotone: return "outcomes are not monotone in the lever and no grid value reaches the probability"
        }
    }

    // MARK: - Files

    /// goal.json.
    public func json() -> String {
        func optional(_ x: Double?) -> JSONOutput { x.map { .number($0) } ?? .null }
        let answerField: JSONOutput = answer.map { value in
            .object([("value", .number(value)), ("low", optional(answerLow)), ("high", optional(answerHigh)), ("method", .string(method))])
        } ?? .null
        let confirmationField: JSONOutput = confirmation.map { c in
            .object([("seed", .unsigned(c.seed)), ("replicates", .integer(Int64(c.probability.trials))),
                     ("probability", .number(c.probability.estimate)), ("low", .number(c.probability.low)), ("high", .number(c.probability.high))])
        } ?? .null
        let document = JSONOutput.object([
            ("simfund", .string(simfundVersion)),
            ("scenario", .string(scenarioName)),
            ("lever", .string(lever)), ("low", .number(low)), ("high", .number(high)),
            ("unit", .string(unit.rawValue)), ("wholeNumbers", .bool(wholeNumbers)),
            ("probability", .number(probability)),
            ("targets", .array(targets.map { .integer(Int64($0)) })),
            ("seed", .unsigned(seed)), ("replicates", .integer(Int64(replicates))),
            ("direction", .string(direction.rawValue)), ("precision", .number(precision)),
            ("outcome", .string(outcome.rawValue)), ("reason", .string(reason)),
            ("answer", answerField),
            ("confirmation", confirmationField),
            ("nonMonotone", .number(nonMonotone)),
            ("curve", .array(curve.map { point in
                .object([("value", .number(point.value)), ("probability", .number(point.probability.estimate)),
                         ("low", .number(point.probability.low)), ("high", .number(point.probability.high))])
            })),
        ])
        return document.render() + "\n"
    }

    /// goal.csv: the curve, one row per grid value.
    public func csv() -> String {
        var out = "value,probability,low,high\n"
        for point in curve {
            out += [point.value, point.probability.estimate, point.probability.low, point.probability.high].map(jsonNumber).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Reads goal.json: the inverse of ``json()``.
    public init(goalJSON text: String, file: String = "goal.json") throws(OutputReadError) {
        let document = try OutputField.document(text, file: file)
        scenarioName = try document.member("scenario").string()
        lever = try document.member("lever").string()
        low = try document.member("low").number()
        high = try document.member("high").number()
        let unitField = try document.member("unit")
        guard let unit = LeverUnit(rawValue: try unitField.string()) else { throw unitField.failure("share, yuan, count or number") }
        self.unit = unit
        guard case let .bool(whole) = try document.member("wholeNumbers").node.value else { throw try document.member("wholeNumbers").failure("true or false") }
        wholeNumbers = whole
        let probabilityField = try document.member("probability")
        probability = try probabilityField.number(in: 0...1, meaning: "a probability between 0 and 1")
        targets = try document.member("targets").elements().map { (field) throws(OutputReadError) in try field.integer(in: 1...100_000) }
        seed = try document.member("seed").unsigned()
        replicates = try document.member("replicates").integer(in: 1...100_000_000)
        let directionField = try document.member("direction")
        guard let direction = Direction(rawValue: try directionField.string()) else { throw directionField.failure("increasing or decreasing") }
        self.direction = direction
        precision = try document.member("precision").number()
        let outcomeField = try document.member("outcome")
        guard let outcome = Outcome(rawValue: try outcomeField.string()) else { throw outcomeField.failure("found, alreadyMet, notReached or nonMonotone") }
        self.outcome = outcome
        let n = replicates
        func proportion(_ field: OutputField, trials: Int) throws(OutputReadError) -> Proportion {
            let estimate = try field.member("probability").share()
            let p = Proportion(successes: Int((estimate * Double(trials)).rounded()), trials: trials)
            guard agrees(p.estimate, estimate), agrees(p.low, try field.member("low").share()), agrees(p.high, try field.member("high").share()) else {
                throw field.inconsistency("the probability and its interval do not agree with \(trials) replicates")
            }
            return p
        }
        if let answerField = try document.optionalMember("answer") {
            answer = try answerField.member("value").number()
            answerLow = try answerField.optionalMember("low")?.number()
            answerHigh = try answerField.optionalMember("high")?.number()
            method = try answerField.member("method").string()
        } else {
            answer = nil
            answerLow = nil
            answerHigh = nil
            method = "quantile"
        }
        if let field = try document.optionalMember("confirmation") {
            let trials = try field.member("replicates").integer(in: 1...100_000_000)
            confirmation = Confirmation(seed: try field.member("seed").unsigned(), probability: try proportion(field, trials: trials))
        } else {
            confirmation = nil
        }
        nonMonotone = try document.member("nonMonotone").share()
        curve = try document.member("curve").elements().map { (field) throws(OutputReadError) in
            Point(value: try field.member("value").number(), probability: try proportion(field, trials: n))
        }
        if curve.isEmpty { throw try document.member("curve").failure("at least one point") }
    }

    // MARK: - Terminal

    /// The sentence, the targets and the curve, for a terminal `width` columns wide.
    public func terminalText(targetWords: [String], language: Language, width: Int) -> String {
        let zh = language == .zh
        var out = "\(scenarioName): " + (zh ? "目标求解 \(lever)" : "goal seek on \(lever)") + "\n\n"
        out += hangingParagraph(sentence(language), width: width, indent: 0)
        for (position, words) in zip(targets, targetWords) { out += hangingParagraph("\(position). \(words)", width: width, indent: 5, firstIndent: 2) }
        if nonMonotone > 0 {
            out += hangingParagraph(zh ? "注意: \(percentText(nonMonotone)) 的重复在网格上不是单一跃变 (结果不随该值单调变化)" + (answer == nil ? "。" : method == "grid" ? "; 答案取自网格上的直接概率。" : "; 答案处的直接概率已复核。")
                                    : "Note: in \(percentText(nonMonotone)) of the replicates the outcome along the grid is not a single step (not monotone in the lever)"
                                    + (answer == nil ? "." : method == "grid" ? "; the answer is taken from the grid's direct probabilities." : "; the direct probability at the answer was checked."),
                                    width: width, indent: 0)
        }
        out += "\n"
        let header = [lever, zh ? "达成概率 [95%区间]" : "probability [95% interval]", zh ? "≥ \(percentText(probability, decimals: 0))" : "≥ \(percentText(probability, decimals: 0))"]
        let rows = curve.map { point in
            [valueText(point.value),
             "\(percentText(point.probability.estimate)) [\(groupedNumber(point.probability.low * 100, decimals: 1)), \(groupedNumber(point.probability.high * 100, decimals: 1))]",
             point.probability.estimate >= probability ? (zh ? "是" : "yes") : ""]
        }
        var table = TextTable(header: header, rows: rows)
        table.labels = Labels(language)
        table.dropsConstantColumns = false
        out += table.render(width: width) + "\n"
        let resolution = wholeNumbers ? (zh ? "整数" : "whole numbers") : (zh ? "取值范围的万分之一" : "1/10,000 of the range")
        out += hangingParagraph(zh ? "\(replicates) 次重复, 种子 \(seed); 每个重复的临界值以二分法求得, 精度为\(resolution)。"
                                : "\(groupedNumber(Double(replicates), decimals: 0)) replicates, seed \(seed); each replicate's critical value by bisection to \(resolution).",
                                width: width, indent: 0)
        return out
    }
}
