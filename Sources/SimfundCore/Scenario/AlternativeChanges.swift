/// An alternative is checked and built from what it changes, not as a whole
/// new document: validating 1,000 alternatives of a 10,000-district file
/// whole would take minutes (each one re-checks every district). The base
/// is valid when this runs, and an alternative cannot change what other
/// rules read (the horizon, targets, district names and order), so the
/// changed subtrees and the districts they touch are all that can be wrong.
struct ChangedRoots {
    /// The subtrees to check again, none inside another: the changed value,
    /// the whole distribution when one of its parameters changed, or the
    /// first object the change had to create.
    var roots: [[DocumentPaths.Step]]
    /// Districts whose fields changed (nil: the whole array was replaced).
    var districts: [Int]?
}

extension DocumentPaths {
    static func changedRoots(_ changes: [[Step]], in base: JSONNode) -> ChangedRoots {
        var roots: [[Step]] = []
        for steps in changes {
            var type = ScenarioSchema.root
            var node: JSONNode? = base
            var root = steps
            for (i, step) in steps.enumerated() {
                var isParameter = false
                if case .parameter = type { isParameter = true }
                if node == nil || isParameter {
                    root = Array(steps[..<i])
                    break
                }
                (type, node) = ScenarioSchema.descend(type, node, step)
            }
            roots.append(root)
        }
        // Shortest first, so a subtree inside another is dropped.
        var kept: [[Step]] = []
        for root in roots.sorted(by: { $0.count < $1.count }) where !kept.contains(where: { root.starts(with: $0) }) {
            kept.append(root)
        }
        var districts: [Int]? = []
        for root in kept where root.first == .field("districts") {
            guard root.count > 1, case let .index(d) = root[1] else {
                districts = nil
                break
            }
            districts?.append(d)
        }
        return ChangedRoots(roots: kept, districts: districts)
    }
}

extension ScenarioSchema {
    /// One step down a schema type and a node (the node may be missing).
    static func descend(_ type: SchemaType, _ node: JSONNode?, _ step: DocumentPaths.Step) -> (SchemaType, JSONNode?) {
        switch (type, step) {
        case let (.object(fields), .field(name)):
            return (fields.first { $0.name == name }?.type ?? .any, node?[name])
        case let (.array(element, _, _), .index(i)):
            let elements = node?.elements ?? []
            return (element, i < elements.count ? elements[i] : nil)
        case let (_, .field(name)):
            return (.any, node?[name])
        case (_, .index):
            return (.any, nil)
        }
    }
}

extension ScenarioLoader {
    /// The problems of an alternative's changed document, found by checking
    /// only its changed subtrees and the cross-field rules of the districts
    /// they touch: the same problems as ``validate(_:suggestions:)`` of the
    /// whole changed document, given a valid base.
    static func validateChanges(_ touched: ChangedRoots, in changed: JSONNode, suggestions: Suggestions) -> [ScenarioIssue] {
        var validator = SchemaValidator(suggestions: suggestions)
        for root in touched.roots {
            var type = ScenarioSchema.root
            var node: JSONNode? = changed
            var path = JSONPath()
            for step in root {
                (type, node) = ScenarioSchema.descend(type, node, step)
                switch step {
                case let .field(name): path = path.field(name)
                case let .index(i): path = path.index(i)
                }
            }
            // Always present: the change itself put a value there.
            if let node { validator.check(node, against: type, at: path) }
        }
        let invalid = InvalidRoots(validator.issues)
        var issues = validator.issues
        let districts = changed["districts"]?.elements ?? []
        for d in touched.districts ?? Array(districts.indices) where d < districts.count {
            let path = JSONPath().field("districts").index(d)
            if invalid.isValid(path.text) { issues += unitIssues(districts[d], at: path) }
        }
        return issues
    }

    /// The alternative's scenario: the base with its parameters, fiscal
    /// lines, carry-over rule and touched districts read from the changed
    /// document. Equal to ``build(_:)`` of the changed document.
    static func rebuild(_ base: Scenario, from changed: JSONNode, districts touched: [Int]?) -> Scenario {
        var scenario = base
        (scenario.parameters, scenario.fiscal, scenario.schedules) = parameters(changed)
        scenario.carryOver = changed["budget"]?["carryOver"]?.bool ?? true
        let nodes = changed["districts"]?.elements ?? []
        if let touched {
            for d in touched { scenario.districts[d] = district(nodes[d]) }
        } else {
            scenario.districts = nodes.map(district)
        }
        return scenario
    }
}
