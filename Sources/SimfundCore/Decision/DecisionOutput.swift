import Foundation

// compare.json's "valueOfInformation" and "sequential", and their words in
// the terminal and the report (en/zh).

/// What the decision methods add to a comparison (none by default).
public struct ComparisonDecisions: Sendable {
    public var valueOfInformation: [InputValueOfInformation]?
    public var sequential: SequentialOutcome?

    public init(valueOfInformation: [InputValueOfInformation]? = nil, sequential: SequentialOutcome? = nil) {
        self.valueOfInformation = valueOfInformation
        self.sequential = sequential
    }
}

extension ComparisonReport {
    /// Present only when computed, so compare.json without them is unchanged.
    func decisionFields() -> [(String, JSONOutput)] {
        var fields: [(String, JSONOutput)] = []
        if let sequential {
            fields.append(("sequential", .object([
                ("replicatesUsed", .integer(Int64(sequential.replicatesUsed))),
                ("selected", .string(sequential.selected)),
                ("confidence", .number(sequential.confidence)),
                ("indifference", .number(sequential.indifference)),
                ("eliminated", .array(sequential.eliminated.map {
                    .object([("name", .string($0.name)), ("afterReplicates", .integer(Int64($0.afterReplicates)))])
                })),
                ("remaining", .array(sequential.remaining.map { .string($0) })),
            ])))
        }
        if let valueOfInformation {
            fields.append(("valueOfInformation", .array(valueOfInformation.map {
                .object([("input", .string($0.input)), ("evppi", .number($0.evppi)), ("low", .number($0.low)), ("high", .number($0.high)),
                         ("noise", .number($0.noise)), ("source", $0.source.map { .string($0) } ?? .null)])
            })))
        }
        return fields
    }

    /// Reads the optional decision fields of compare.json.
    mutating func readDecisions(_ document: OutputField) throws(OutputReadError) {
        if let field = try document.optionalMember("sequential") {
            let names = Set([baseName] + alternatives.map(\.name))
            func name(_ field: OutputField) throws(OutputReadError) -> String {
                let text = try field.string()
                guard names.contains(text) else { throw field.failure("the name of a compared run") }
                return text
            }
            var eliminated: [SequentialOutcome.Elimination] = []
            for entry in try field.member("eliminated").elements() {
                eliminated.append(.init(name: try name(try entry.member("name")),
                                        afterReplicates: try entry.member("afterReplicates").integer(in: 1...base.replicates)))
            }
            var remaining: [String] = []
            for entry in try field.member("remaining").elements() { remaining.append(try name(entry)) }
            let selected = try field.member("selected")
            let selectedName = try name(selected)
            guard remaining.contains(selectedName) else { throw selected.inconsistency("expected one of the remaining runs, found \"\(selectedName)\"") }
            sequential = SequentialOutcome(replicatesUsed: try field.member("replicatesUsed").integer(in: 1...base.replicates), selected: selectedName,
                                           confidence: try field.member("confidence").number(in: 0...1, meaning: "a confidence from 0 to 1"),
                                           indifference: try field.member("indifference").number(in: 0...OutputField.largestMagnitude, meaning: "an indifference zone above 0"),
                                           eliminated: eliminated, remaining: remaining)
        }
        if let field = try document.optionalMember("valueOfInformation") {
            var values: [InputValueOfInformation] = []
            for entry in try field.elements() {
                let evppi = try entry.member("evppi").number(in: 0...OutputField.largestMagnitude, meaning: "a value of information of at least 0")
                let sourceField = try entry.optionalMember("source")
                let source: String? = sourceField == nil || sourceField!.node.value == .null ? nil : try sourceField!.string()
                let noise = try entry.optionalMember("noise")?.number(in: 0...OutputField.largestMagnitude, meaning: "a noise floor of at least 0") ?? 0
                values.append(InputValueOfInformation(input: try entry.member("input").string(), evppi: evppi,
                                                      low: try entry.member("low").number(), high: try entry.member("high").number(),
                                                      noise: noise, source: source))
            }
            valueOfInformation = values
        }
    }

    /// The rank key's units for an amount of it: points of probability, points
    /// of a share, money, or the metric's own unit.
    func rankKeyAmount(_ x: Double, language: Language) -> String {
        let zh = language == .zh
        // Two decimals of a point: a value of information is often a fraction of one.
        let tiny = x > 0 && x * 100 < 0.005
        let points = tiny ? (zh ? "不到0.01" : "less than 0.01") : shortNumber(x * 100, maximum: 2)
        let plural = points == "1" ? "" : "s"
        if rankKey.target != nil { return zh ? "\(points)个百分点的概率" : "\(points) point\(plural) of probability" }
        switch rankKey.metric.unit {
        case "share": return zh ? "\(points)个百分点" : "\(points) percentage point\(plural)"
        case "yuan": return MoneyScale.amount(x, language: language)
        default: return zh ? shortNumber(x, maximum: 2) : "\(shortNumber(x, maximum: 2)) \(rankKey.metric.unit)"
        }
    }

    /// An amount of the rank key as a number in the scale of ``rankKeyAmount(_:language:)``, without the unit.
    func rankKeyNumber(_ x: Double, scaleOf reference: Double, language: Language) -> String {
        if rankKey.target != nil || rankKey.metric.unit == "share" { return shortNumber(x * 100, maximum: 2) }
        if rankKey.metric.unit == "yuan" { return MoneyScale(largest: reference, language: language).format(x) }
        return shortNumber(x, maximum: 2)
    }

    /// The value of information below which an input "would not change the
    /// choice": half a point for a probability or share, else 0.5% of the
    /// largest ranked value's magnitude (docs/model.md).
    public var materialValueOfInformation: Double {
        if rankKey.target != nil || rankKey.metric.unit == "share" { return 0.005 }
        return 0.005 * (ranking.map { abs($0.value) }.max() ?? 0)
    }

    /// Whether knowing the input could change the choice: its EVPPI exceeds
    /// what an input carrying no information shows by at least ``materialValueOfInformation``.
    public func couldChangeChoice(_ value: InputValueOfInformation) -> Bool {
        value.evppi - value.noise >= materialValueOfInformation
    }

    /// One sentence per input, most valuable first.
    public func valueOfInformationSentences(language: Language) -> [String] {
        let zh = language == .zh
        let threshold = materialValueOfInformation
        return (valueOfInformation ?? []).sorted { $0.evppi > $1.evppi }.map { value in
            let amount = rankKeyAmount(value.evppi, language: language)
            let range = "\(rankKeyNumber(value.low, scaleOf: value.evppi, language: language))–\(rankKeyNumber(value.high, scaleOf: value.evppi, language: language))"
            let interval = zh ? "95%区间\(range)" : "95% interval \(range)"
            var sentence: String
            if couldChangeChoice(value) {
                sentence = zh ? "确知\(value.input)的准确值可能改变选择，其价值最多约\(amount)（\(interval)）"
                    : "knowing \(value.input) exactly could change the choice; it is worth up to \(amount) (\(interval))"
            } else if value.evppi >= threshold {
                // Above the threshold, but no more than noise would give with these replicates.
                let noise = rankKeyAmount(value.noise, language: language)
                sentence = zh ? "确知\(value.input)的准确值不会明显改变选择（价值\(amount)，与无信息输入在同样重复次数下的\(noise)相当）"
                    : "knowing \(value.input) exactly would not clearly change the choice (worth \(amount), close to the \(noise) an input carrying no information shows with these replicates)"
            } else {
                sentence = zh ? "确知\(value.input)的准确值不会改变选择（价值\(amount)）" : "knowing \(value.input) exactly would not change the choice (worth \(amount))"
            }
            let source = value.source
            sentence += zh ? (source.map { "。来源：\($0)" } ?? "。来源：未注明") : (source.map { ". Source: \($0)" } ?? ". Source: not given")
            return sentence
        }
    }

    /// What the sequential selection found, in words.
    public func sequentialSentence(language: Language) -> String? {
        guard let s = sequential else { return nil }
        let zh = language == .zh
        let baseLabel = Labels(language).text(.base)
        func label(_ name: String) -> String { name == "base" && name == baseName ? baseLabel : name }
        let confidence = shortNumber(s.confidence * 100, maximum: 1) + "%"
        let zone = rankKeyAmount(s.indifference, language: language)
        let dropped = s.eliminated.map { zh ? "\(label($0.name))（\(groupedNumber(Double($0.afterReplicates), decimals: 0))次后）" : "\(label($0.name)) after \(groupedNumber(Double($0.afterReplicates), decimals: 0))" }
        let used = groupedNumber(Double(s.replicatesUsed), decimals: 0)
        if zh {
            var text = "序贯选择（Kim–Nelson，置信度\(confidence)，无差异区间\(zone)）："
            if s.decided {
                text += "\(used)次重复后选出\(label(s.selected))"
            } else {
                text += "到上限\(used)次重复仍未分出：\(s.remaining.map(label).joined(separator: "、"))仍在竞争（尚未证明相差超过\(zone)），其中\(label(s.selected))排名第一"
            }
            if !dropped.isEmpty { text += "；淘汰：\(dropped.joined(separator: "、"))" }
            return text + "。淘汰的方案继续运行，所有统计基于同样的重复。"
        }
        var text = "Sequential selection (Kim–Nelson, \(confidence) confidence, indifference \(zone)): "
        if s.decided {
            text += "\(label(s.selected)) selected after \(used) replicates"
        } else {
            let names = s.remaining.map(label)
            let listed = names.count == 2 ? "\(names[0]) and \(names[1])" : names.dropLast().joined(separator: ", ") + " and " + names.last!
            text += "not decided within the maximum of \(used) replicates: \(listed) are still in contention (not yet shown to differ by more "
                + "than \(zone)); \(label(s.selected)) ranks first of them"
        }
        if !dropped.isEmpty { text += "; eliminated: \(dropped.joined(separator: ", "))" }
        return text + ". Eliminated alternatives kept running, so every statistic covers the same replicates."
    }

    /// The decision paragraphs the terminal prints after the table (empty without them).
    public func decisionText(language: Language, width: Int) -> String {
        var out = ""
        if let sentence = sequentialSentence(language: language) { out += "\n" + hangingParagraph(sentence, width: width, indent: 2) }
        let sentences = valueOfInformationSentences(language: language)
        if !sentences.isEmpty {
            let m = groupedNumber(Double(Swift.min(base.replicates, ValueOfInformation.replicateCap)), decimals: 0)
            out += "\n" + hangingParagraph(language == .zh ? "信息价值（EVPPI，基于前\(m)次重复）：" : "Value of information (EVPPI, from the first \(m) replicates):",
                                           width: width, indent: 2)
            for sentence in sentences { out += hangingParagraph("- " + sentence, width: width, indent: 2) }
        }
        return out
    }
}
