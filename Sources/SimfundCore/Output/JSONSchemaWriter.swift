import SimfundStochastics

/// Renders ``ScenarioSchema`` as a JSON Schema (draft 2020-12), so editors
/// can complete and check scenario files. Cross-field rules (stations ≤
/// townships, target years within the horizon, `set` paths) are checked by
/// `simfund validate` only.
public enum JSONSchemaWriter {
    public static func render() -> String {
        var root: [(String, JSONOutput)] = [
            ("$schema", .string("https://json-schema.org/draft/2020-12/schema")),
            ("$id", .string("https://simfund.example/schema/scenario-v1.json")),
            ("title", .string("simfund scenario, version 1")),
        ]
        if case let .object(members) = schema(for: ScenarioSchema.root) { root += members }
        root.append(("$defs", .object([("distribution", distributionSchema())])))
        return JSONOutput.object(root).render() + "\n"
    }

    private static func schema(for type: SchemaType, summary: String? = nil, unit: String? = nil, defaultValue: String? = nil) -> JSONOutput {
        var fields: [(String, JSONOutput)] = []
        var text = summary ?? ""
        if let unit { text += text.isEmpty ? "Unit: \(unit)." : " Unit: \(unit)." }
        if let defaultValue { text += " Default: \(defaultValue)." }
        if !text.isEmpty { fields.append(("description", .string(text))) }
        switch type {
        case let .object(schemaFields):
            fields.append(("type", .string("object")))
            fields.append(("properties", .object(schemaFields.map { field in
                (field.name, schema(for: field.type, summary: field.summary, unit: field.unit, defaultValue: field.defaultValue))
            })))
            let required = schemaFields.filter(\.required).map { JSONOutput.string($0.name) }
            if !required.isEmpty { fields.append(("required", .array(required))) }
            fields.append(("additionalProperties", .bool(false)))
        case let .map(valueType):
            fields.append(("type", .string("object")))
            fields.append(("additionalProperties", schema(for: valueType)))
        case let .array(element, minItems, maxItems):
            fields.append(("type", .string("array")))
            fields.append(("items", schema(for: element)))
            fields.append(("minItems", .integer(Int64(minItems))))
            fields.append(("maxItems", .integer(Int64(maxItems))))
        case let .parameter(role, per):
            var plain: [(String, JSONOutput)] = [("type", .string("number"))]
            switch role {
            case .rate: plain += [("minimum", .integer(0)), ("maximum", .integer(1))]
            case .growth: plain += [("minimum", .integer(-1)), ("maximum", .number(ScenarioSchema.maximumGrowth))]
            case .money: plain += [("minimum", .integer(0)), ("maximum", .number(ScenarioSchema.maximumMoney))]
            case .count: plain = [("type", .string("integer")), ("minimum", .integer(0)), ("maximum", .integer(Int64(ScenarioSchema.maximumCount)))]
            case .positive: plain += [("exclusiveMinimum", .integer(0)), ("maximum", .number(ScenarioSchema.maximumMoney))]
            case .free: plain += [("minimum", .number(-ScenarioSchema.maximumFree)), ("maximum", .number(ScenarioSchema.maximumFree))]
            }
            fields.append(("anyOf", .array([.object(plain), .object([("$ref", .string("#/$defs/distribution"))])])))
            let note = " A number, or a distribution drawn per \(per.rawValue) by default."
            if let i = fields.firstIndex(where: { $0.0 == "description" }), case let .string(s) = fields[i].1 {
                fields[i].1 = .string(s + note)
            }
        case let .integer(lo, hi):
            fields += [("type", .string("integer")), ("minimum", .integer(Int64(lo))), ("maximum", .integer(Int64(hi)))]
        case let .number(lo, hi):
            fields += [("type", .string("number")), ("minimum", .number(lo)), ("maximum", .number(hi))]
        case .seed:
            fields += [("type", .string("integer")), ("minimum", .integer(0)), ("maximum", .unsigned(UInt64.max))]
        case let .string(allowed):
            fields.append(("type", .string("string")))
            if let allowed { fields.append(("enum", .array(allowed.map { .string($0) }))) } else { fields.append(("minLength", .integer(1))) }
        case .boolean:
            fields.append(("type", .string("boolean")))
        case .any:
            break
        }
        return .object(fields)
    }

    private static func distributionSchema() -> JSONOutput {
        let variants: [JSONOutput] = Distribution.parameterNames.keys.sorted().map { name in
            let parameters = Distribution.parameterNames[name] ?? []
            var properties: [(String, JSONOutput)] = [("dist", .object([("const", .string(name))]))]
            // Bounds that keep every draw finite (Distribution.problem checks the same).
            for parameter in parameters {
                var bounds: [(String, JSONOutput)] = [("minimum", .number(-Distribution.maximumMagnitude)), ("maximum", .number(Distribution.maximumMagnitude))]
                switch (name, parameter) {
                case ("normal", "sd"): bounds[0].1 = .integer(0)
                case ("lognormal", "median"), ("gamma", "scale"): bounds[0] = ("exclusiveMinimum", .integer(0))
                case ("lognormal", "sigma"): bounds = [("minimum", .integer(0)), ("maximum", .number(Distribution.maximumSigma))]
                case ("beta", _), ("gamma", "shape"):
                    bounds = [("minimum", .number(Distribution.minimumShape)), ("maximum", .number(Distribution.maximumShape))]
                case ("poisson", "mean"): bounds = [("minimum", .integer(0)), ("maximum", .number(1e9))]
                default: break
                }
                properties.append((parameter, .object([("type", .string("number"))] + bounds)))
            }
            for extra in ["min", "max"] where !parameters.contains(extra) {
                properties.append((extra, .object([("type", .string("number")), ("minimum", .number(-Distribution.maximumMagnitude)),
                                                   ("maximum", .number(Distribution.maximumMagnitude)), ("description", .string("Clamp for every draw."))])))
            }
            properties.append(("per", .object([("enum", .array([.string("replicate"), .string("year")]))])))
            return .object([
                ("type", .string("object")),
                ("properties", .object(properties)),
                ("required", .array((["dist"] + parameters).map { .string($0) })),
                ("additionalProperties", .bool(false)),
            ])
        }
        return .object([
            ("description", .string("A distribution (docs/model.md, section The scenario); min/max clamp draws; per is replicate or year.")),
            ("oneOf", .array(variants)),
        ])
    }
}

/// The scenario format as a Markdown table, one row per field, for the
/// README (`simfund schema --markdown`). Generated from ``ScenarioSchema`` so
/// the documentation cannot fall behind the validator.
public enum ScenarioFieldTable {
    public static func render() -> String {
        var rows = ["| field | type | unit | default | meaning |", "|---|---|---|---|---|"]
        func walk(_ type: SchemaType, _ prefix: String) {
            switch type {
            case let .object(fields):
                for field in fields {
                    let path = prefix.isEmpty ? field.name : "\(prefix).\(field.name)"
                    let defaultText = field.required ? "required" : (field.defaultValue ?? "optional")
                    rows.append("| `\(path)` | \(describe(field.type)) | \(field.unit ?? "") | \(defaultText) | \(field.summary) |")
                    walk(field.type, path)
                }
            case let .array(element, _, _):
                walk(element, prefix + "[]")
            default:
                break
            }
        }
        walk(ScenarioSchema.root, "")
        return rows.joined(separator: "\n") + "\n"
    }

    static func describe(_ type: SchemaType) -> String {
        switch type {
        case .object: return "object"
        case .map: return "object of path → value"
        case let .array(_, minItems, _): return minItems > 0 ? "array (≥ \(minItems))" : "array"
        case let .parameter(role, per):
            let clamp: String
            switch role {
            case .rate: clamp = "rate, clamped to [0, 1]"
            case .growth: clamp = "clamped to [−1, 100]"
            case .money: clamp = "clamped to [0, 1e15]"
            case .count: clamp = "count, clamped to [0, 1e8] and rounded"
            case .positive: clamp = "must stay > 0: a distribution needs `min` > 0; at most 1e15"
            case .free: clamp = "clamped to ±1e12"
            }
            return "*dist* (\(clamp); drawn per \(per.rawValue))"
        case let .integer(lo, hi): return "integer \(lo)…\(hi)"
        case let .number(lo, hi): return lo <= -1e17 ? "number" : "number \(jsonNumber(lo))…\(jsonNumber(hi))"
        case .seed: return "integer 0…2⁶⁴−1"
        case let .string(allowed): return allowed.map { $0.count > 6 ? "metric name" : $0.map { "`\($0)`" }.joined(separator: ", ") } ?? "string"
        case .boolean: return "boolean"
        case .any: return "any"
        }
    }
}
