/// Values that are valid but probably unit slips, each with what was
/// probably meant (README "Scenarios", docs/model.md). They are warnings,
/// not errors: a planner may mean them; `--strict` turns them into errors.
enum ScenarioWarnings {
    /// Relief funds under this many yuan, for a district of more than
    /// ``reliefPopulation`` people, were probably entered in 万 (10⁴ yuan).
    static let reliefFloor = 1e5
    static let reliefPopulation = 1e4
    /// A monthly subsidy above this many yuan was probably entered per year.
    static let subsidyCeiling = 2_000.0
    /// A yearly contract price under this many yuan was probably entered in 万.
    static let contractFloor = 1_000.0
    /// A yearly reference wage under this many yuan was probably entered per month.
    static let wageFloor = 12_000.0
    /// A region-wide yearly amount (fiscal line, lottery, donations) under
    /// this many yuan was probably entered in 万.
    static let amountFloor = 10_000.0
    /// A district of fewer people was probably entered in 万.
    static let populationFloor = 100.0
    /// Growth above this a year was probably entered as a percentage.
    static let growthCeiling = 0.5

    /// The warnings of a valid document, in file order; `districts` limits
    /// the district checks to those districts (an alternative's changes).
    static func check(_ document: JSONNode, districts only: [Int]? = nil) -> [ScenarioIssue] {
        var warnings: [ScenarioIssue] = []
        func warn(_ path: JSONPath, _ node: JSONNode?, _ message: String) {
            warnings.append(ScenarioIssue(path: path.text, location: node?.location, expected: message, found: nil))
        }
        func parameter(_ dotted: String) -> (JSONPath, JSONNode, Double)? {
            let names = dotted.split(separator: ".").map(String.init)
            guard let node = names.reduce(Optional(document), { $0?[$1] }), let value = typicalValue(node) else { return nil }
            return (names.reduce(JSONPath()) { $0.field($1) }, node, value)
        }
        func show(_ x: Double) -> String { jsonNumber(x) }

        if let (path, node, share) = parameter("budget.reliefShare"), share == 1 {
            warn(path, node, "1 is 100% of relief funds; did you mean 1%, 0.01?")
        }
        if let (path, node, growth) = parameter("budget.reliefGrowth"), growth > growthCeiling {
            warn(path, node, "growth of \(show(growth)) is \(show(growth * 100))% a year; did you mean \(show(growth))%, \(show(growth / 100))?")
        }
        let districts = document["districts"]?.elements ?? []
        for i in only ?? Array(districts.indices) where i < districts.count {
            let district = districts[i]
            let path = JSONPath().field("districts").index(i)
            let population = district["population"]?.number ?? 0
            if population < populationFloor {
                warn(path.field("population"), district["population"],
                     "a district of \(show(population)) people; entered in 万 (\(show(population))万 = \(show(population * 1e4)) people)?")
            }
            if let funds = district["reliefFunds"]?.number, funds > 0, funds < reliefFloor, population > reliefPopulation {
                warn(path.field("reliefFunds"), district["reliefFunds"],
                     "relief funds of \(show(funds)) yuan a year for \(show(population)) people; entered in 万 (\(show(funds))万 = \(show(funds * 1e4)) yuan)?")
            }
        }
        for (i, line) in (document["budget"]?["fiscal"]?.elements ?? []).enumerated() {
            if let amountNode = line["amount"], let amount = typicalValue(amountNode), amount > 0, amount < amountFloor {
                warn(JSONPath().field("budget").field("fiscal").index(i).field("amount"), amountNode,
                     "\(show(amount)) yuan a year for the whole region; entered in 万 (\(show(amount))万 = \(show(amount * 1e4)) yuan)?")
            }
        }
        for dotted in ["budget.lottery", "budget.donations"] {
            if let (path, node, amount) = parameter(dotted), amount > 0, amount < amountFloor {
                warn(path, node, "\(show(amount)) yuan a year for the whole region; entered in 万 (\(show(amount))万 = \(show(amount * 1e4)) yuan)?")
            }
        }
        for dotted in ["costs.stationContract.street", "costs.stationContract.town", "costs.roomContract.urban", "costs.roomContract.rural"] {
            if let (path, node, price) = parameter(dotted), price > 0, price < contractFloor {
                warn(path, node, "a contract of \(show(price)) yuan a year per unit; entered in 万 (\(show(price))万 = \(show(price * 1e4)) yuan)?")
            }
        }
        for dotted in ["subsidies.junior", "subsidies.intermediate", "subsidies.senior"] {
            if let (path, node, subsidy) = parameter(dotted), subsidy > subsidyCeiling {
                warn(path, node, "\(show(subsidy)) yuan a month per holder (\(show(subsidy * 12)) a year); per year instead of per month (\(show((subsidy / 12).rounded())) a month)?")
            }
        }
        if let (path, node, wage) = parameter("workforce.referenceWage"), wage < wageFloor {
            warn(path, node, "a wage of \(show(wage)) yuan a year; per month instead of per year (\(show(wage * 12)) a year)?")
        }
        return ScenarioError(file: "", issues: warnings).issues
    }

    /// The value a planner would call the parameter's size: the plain
    /// number, or the centre of its distribution (mode, median or mean).
    static func typicalValue(_ node: JSONNode) -> Double? {
        if let value = node.number { return value }
        func n(_ key: String) -> Double? { node[key]?.number }
        switch node["dist"]?.string {
        case "fixed": return n("value")
        case "uniform": return n("min").flatMap { lo in n("max").map { hi in (lo + hi) / 2 } }
        case "triangular", "pert": return n("mode")
        case "normal", "poisson": return n("mean")
        case "lognormal": return n("median")
        case "gamma": return n("shape").flatMap { k in n("scale").map { k * $0 } }
        default: return nil
        }
    }
}
