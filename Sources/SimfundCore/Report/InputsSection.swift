import Foundation

/// The inputs table: every value of the scenario with its unit, and each
/// source cited once (rows refer to it by number).
extension HTMLReport {
    /// The schema field at a dotted scenario path; array elements (by index or name) are skipped.
    func schemaField(_ path: String) -> SchemaField? {
        var type = ScenarioSchema.root
        var found: SchemaField?
        for name in path.split(separator: ".").map(String.init) {
            if case let .array(element, _, _) = type {
                type = element
                // A component naming an element (an index, a district's name) is not a field.
                if case let .object(fields) = type, !fields.contains(where: { $0.name == name }) { continue }
            }
            guard case let .object(fields) = type, let field = fields.first(where: { $0.name == name }) else { return nil }
            found = field
            type = field.type
        }
        return found
    }

    func schemaUnit(_ path: String) -> String? { schemaField(path)?.unit }

    /// ` (yuan per year)` for an axis title; shares need none (their ticks read as percentages).
    func schemaUnitSuffix(_ path: String) -> String {
        guard let unit = schemaUnit(path), !unit.hasPrefix("share") else { return "" }
        return " (\(unitWords(unit)))"
    }

    /// A unit in the report's language.
    func unitWords(_ unit: String) -> String {
        guard zh else { return unit }
        let table = ["yuan": "元", "yuan per year": "元/年", "yuan per unit-year": "元/(个·年)", "yuan per person-month": "元/(人·月)",
                     "people": "人", "people per year": "人/年", "townships": "个乡镇(街道)", "communities": "个村(社区)", "stations": "个社工站",
                     "rooms": "个社工室", "agencies": "家", "units": "个", "units per year": "个/年", "awards": "个", "factor": "倍数",
                     "per wage share": "(相对工资比例)", "agencies per 1e7 yuan": "家/千万元", "share per year": "每年", "per year": "每年"]
        return table[unit] ?? unit
    }

    /// A number in its unit: shares as percentages, digits grouped; the unit appended when `withUnit`.
    func inputNumber(_ value: Double, unit: String?, withUnit: Bool = false) -> String {
        guard let unit else { return shortNumber(value, maximum: 4) }
        if unit.hasPrefix("share") {
            let rest = unit.dropFirst("share".count).trimmingCharacters(in: .whitespaces)
            let percent = shortNumber(value * 100, maximum: 3) + "%"
            guard withUnit, !rest.isEmpty else { return percent }
            return zh ? unitWords(rest) + percent : percent + " " + rest
        }
        let number = shortNumber(value, maximum: unit == "factor" ? 3 : 2)
        return withUnit ? number + (zh ? "" : " ") + unitWords(unit) : number
    }

    /// A scenario value as a planner reads it: `1%`, `10,800,000 yuan per year`, `normal: mean 3%, sd 2% per year`.
    func inputValue(_ node: JSONNode, unit: String?) -> String {
        switch node.value {
        case let .number(x, literal):
            // Years, seeds and versions are names, not amounts: never grouped.
            return unit == nil && x == x.rounded() && !literal.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? literal : inputNumber(x, unit: unit, withUnit: true)
        case let .string(s): return s
        case let .bool(b): return b ? t("yes", "是") : t("no", "否")
        case .null: return "null"
        case let .array(elements): return elements.map { inputValue($0, unit: unit) }.joined(separator: ", ")
        case let .object(members):
            guard let dist = node["dist"]?.string else { return members.map { "\($0.key): \(inputValue($0.value, unit: unit))" }.joined(separator: ", ") }
            // Location and spread carry the unit; shape parameters (alpha, beta, sigma of a lognormal) do not.
            let carriesUnit: Set<String> = ["mean", "sd", "min", "max", "mode", "median", "value", "low", "high"]
            let parameters = members.filter { $0.key != "dist" }.map { member -> String in
                let shown: String
                if let x = member.value.number { shown = carriesUnit.contains(member.key) ? inputNumber(x, unit: unit) : shortNumber(x, maximum: 4) }
                else { shown = inputValue(member.value, unit: nil) }
                return "\(member.key) \(shown)"
            }
            let trailing = unit.map { $0.hasPrefix("share") ? String($0.dropFirst("share".count)).trimmingCharacters(in: .whitespaces) : $0 }
                .map { $0.isEmpty ? "" : " (\(unitWords($0)))" } ?? ""
            return "\(dist): " + parameters.joined(separator: ", ") + trailing
        }
    }

    func inputsSection() -> String {
        guard let scenario else { return "" }
        var provenance: [String: String] = [:]
        for member in scenario["provenance"]?.members ?? [] { provenance[member.key] = member.value.string }
        // Each source once, numbered in order of first use.
        var sources: [String] = []
        func reference(_ text: String?) -> String {
            guard let text, !text.isEmpty else { return "" }
            if let i = sources.firstIndex(of: text) { return "[\(i + 1)]" }
            sources.append(text)
            return "[\(sources.count)]"
        }
        func source(_ path: String) -> String? {
            var candidate = path
            while true {
                if let text = provenance[candidate] { return text }
                guard let dot = candidate.lastIndex(of: ".") else { return nil }
                candidate = String(candidate[..<dot])
            }
        }
        var rows: [(String, JSONNode)] = []
        func walk(_ node: JSONNode, _ path: String) {
            switch node.value {
            case let .object(members) where node["dist"] == nil:
                for member in members where !(path.isEmpty && ["districts", "provenance", "alternatives", "targets", "history", "description", "name", "$schema"].contains(member.key)) {
                    walk(member.value, path.isEmpty ? member.key : "\(path).\(member.key)")
                }
            case let .array(elements) where elements.contains(where: { $0.members != nil && $0["dist"] == nil }):
                for (i, element) in elements.enumerated() { walk(element, "\(path).\(i)") }
            default:
                rows.append((path, node))
            }
        }
        walk(scenario, "")
        var out = "<h2 id=\"inputs\">" + t("Inputs and their sources", "输入及其来源") + "</h2><div class=\"wide\"><table class=\"inputs\"><tr><th class=\"name\">"
            + t("input", "输入") + "</th><th class=\"name\">" + t("value", "取值") + "</th><th class=\"name\">" + t("source", "来源") + "</th></tr>"
        // Parameters drawn from the posterior: their distributions in the file are not used.
        let posteriorPaths = Set(scenario["posterior"]?["parameters"]?.elements?.compactMap(\.string) ?? [])
        let posteriorFile = scenario["posterior"]?["file"]?.string ?? ""
        for (path, node) in rows {
            // Indices in paths (budget.fiscal.0.amount) name no schema field; the schema skips array elements.
            let unit = schemaUnit(path)
            var value = inputValue(node, unit: unit)
            if posteriorPaths.contains(path) { value = t("a weighted row of \(posteriorFile), instead of \(value)", "取自 \(posteriorFile) 的加权行，代替 \(value)") }
            out += "<tr><td class=\"name\"><code>\(escapeXML(path))</code></td><td class=\"name\">\(escapeXML(value))</td>"
                + "<td class=\"name\">\(escapeXML(reference(source(path))))</td></tr>"
        }
        out += "</table></div>"
        out += historyInputs()
        let districts = scenario["districts"]?.elements ?? []
        if !districts.isEmpty {
            let relief = MoneyScale(values: districts.compactMap { $0["reliefFunds"]?.number }, language: language)
            func count(_ node: JSONNode?) -> String { node?.number.map { shortNumber($0) } ?? "" }
            out += "<div class=\"wide\"><table><tr><th class=\"name\">" + t("district", "区县") + "</th><th>" + t("population", "人口") + "</th><th>"
                + t("townships (streets / towns)", "乡镇(街道) (街道 / 乡镇)") + "</th><th>" + t("communities (urban / rural)", "村(社区) (社区 / 村)") + "</th><th>"
                + t("stations (streets / towns)", "社工站 (街道 / 乡镇)") + "</th><th>" + t("rooms (urban / rural)", "社工室 (社区 / 村)") + "</th><th>"
                + t("uncertified / junior / intermediate / senior", "未持证 / 助理 / 中级 / 高级") + "</th><th>" + t("agencies", "机构") + "</th><th>"
                + t("relief funds", "救助资金") + " (\(escapeXML(relief.unit)))</th><th class=\"name\">" + t("source", "来源") + "</th></tr>"
            for (i, d) in districts.enumerated() {
                func pair(_ key: String, _ a: String, _ b: String) -> String { "\(count(d[key]?[a])) / \(count(d[key]?[b]))" }
                let name = d["name"]?.string ?? ""
                let cited = [provenance["districts.\(name)"], provenance["districts.\(i)"], provenance["districts"]].compactMap { $0 }.first
                out += "<tr><td class=\"name\">\(escapeXML(name))</td><td>\(count(d["population"]))</td>"
                    + "<td>\(pair("townships", "streets", "towns"))</td><td>\(pair("communities", "urban", "rural"))</td>"
                    + "<td>\(pair("stations", "streets", "towns"))</td><td>\(pair("rooms", "urban", "rural"))</td>"
                    + "<td>\(pair("workforce", "uncertified", "junior")) / \(count(d["workforce"]?["intermediate"])) / \(count(d["workforce"]?["senior"]))</td>"
                    + "<td>\(count(d["agencies"]))</td><td>\(d["reliefFunds"]?.number.map { relief.format($0) } ?? "")</td>"
                    + "<td class=\"name\">\(escapeXML(reference(cited)))</td></tr>"
            }
            out += "</table></div>"
        }
        if !sources.isEmpty {
            out += "<h3 id=\"sources\">" + t("Sources", "来源") + "</h3><ol class=\"sources\">" + sources.map { "<li>\(escapeXML($0))</li>" }.joined() + "</ol>"
        }
        return out
    }
}
