/// A 1-based line and column in a scenario file (columns count characters).
public struct FilePosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var description: String { "\(line):\(column)" }
}

/// A parsed JSON value that remembers where it stood in the file, so errors
/// can point at the line and column of the offending field.
public struct JSONNode: Sendable, Hashable {
    public indirect enum Value: Sendable, Hashable {
        case null
        case bool(Bool)
        /// The number and its literal text (kept for exact 64-bit integers such as seeds).
        case number(Double, literal: String)
        case string(String)
        case array([JSONNode])
        /// Members in file order.
        case object([Member])
    }

    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONNode
    }

    public var value: Value
    public var location: FilePosition?

    public init(_ value: Value, at location: FilePosition? = nil) {
        self.value = value
        self.location = location
    }

    /// The member named `key` of an object, if any.
    public subscript(key: String) -> JSONNode? {
        guard case let .object(members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var members: [Member]? {
        if case let .object(members) = value { return members }
        return nil
    }

    public var elements: [JSONNode]? {
        if case let .array(elements) = value { return elements }
        return nil
    }

    public var number: Double? {
        if case let .number(number, _) = value { return number }
        return nil
    }

    public var string: String? {
        if case let .string(string) = value { return string }
        return nil
    }

    public var bool: Bool? {
        if case let .bool(bool) = value { return bool }
        return nil
    }

    /// A short description of the value for "found …" in error messages.
    public var summary: String {
        switch value {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(_, literal): return literal
        case let .string(s): return s.count > 40 ? "a string \"\(s.prefix(37))...\"" : "\"\(s)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Why a file is not well-formed JSON, and where.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public var location: FilePosition
    public var expected: String
    public var found: String
}

/// A strict RFC 8259 parser that records the location of every value.
/// Duplicate keys are kept (the validator reports them).
public struct JSONParser {
    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var column = 1
    private var depth = 0
    private static let maximumDepth = 200

    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: Array(text.utf8))
        return try parser.parseDocument()
    }

    public static func parse(bytes: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte-order mark is tolerated.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    private var location: FilePosition { FilePosition(line: line, column: column) }

    private mutating func parseDocument() throws(JSONSyntaxError) -> JSONNode {
        skipWhitespace()
        let node = try parseValue()
        skipWhitespace()
        if index < bytes.count { throw error("end of file after the top-level value") }
        return node
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of file" }
        let byte = bytes[index]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(UnicodeScalar(byte)))'" }
        return String(format0x: byte)
    }

    private func error(_ expected: String) -> JSONSyntaxError {
        JSONSyntaxError(location: location, expected: expected, found: describeCurrent())
    }

    private mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: advance()
            default: return
            }
        }
    }

    private mutating func expect(_ literal: String, value: JSONNode.Value, at start: FilePosition) throws(JSONSyntaxError) -> JSONNode {
        for byte in literal.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw error("'\(literal)'") }
            advance()
        }
        return JSONNode(value, at: start)
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONNode {
        guard index < bytes.count else { throw error("a value") }
        let start = location
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return JSONNode(.string(try parseString()), at: start)
        case UInt8(ascii: "t"): return try expect("true", value: .bool(true), at: start)
        case UInt8(ascii: "f"): return try expect("false", value: .bool(false), at: start)
        case UInt8(ascii: "n"): return try expect("null", value: .null, at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONParser.maximumDepth { throw error("at most \(JSONParser.maximumDepth) levels of nesting") }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONNode {
        let start = location
        try enter()
        advance() // {
        var members: [JSONNode.Member] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            advance()
            depth -= 1
            return JSONNode(.object(members), at: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("a field name in double quotes")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("':' after field name \"\(key)\"") }
            advance()
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONNode.Member(key: key, value: value))
            skipWhitespace()
            guard index < bytes.count else { throw error("',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                advance()
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                advance()
                depth -= 1
                return JSONNode(.object(members), at: start)
            }
            throw error("',' or '}' after the value of \"\(key)\"")
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONNode {
        let start = location
        try enter()
        advance() // [
        var elements: [JSONNode] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            advance()
            depth -= 1
            return JSONNode(.array(elements), at: start)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw error("',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                advance()
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                advance()
                depth -= 1
                return JSONNode(.array(elements), at: start)
            }
            throw error("',' or ']' after an array element")
        }
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw error("four hexadecimal digits after \\u") }
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("four hexadecimal digits after \\u")
            }
            value = value << 4 | digit
            advance()
        }
        return value
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        advance() // opening quote
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("'\"' to close the string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                advance()
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw JSONSyntaxError(location: location, expected: "valid UTF-8 text", found: "invalid bytes in a string")
                }
                return text
            }
            if byte < 0x20 { throw error("a character other than a control character in a string (escape it)") }
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                advance()
                continue
            }
            advance()
            guard index < bytes.count else { throw error("an escape character after '\\'") }
            let escape = bytes[index]
            let simple: [UInt8: UInt8] = [
                UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F,
                UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
                UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
            ]
            if let decoded = simple[escape] {
                utf8.append(decoded)
                advance()
                continue
            }
            guard escape == UInt8(ascii: "u") else {
                throw error("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
            }
            advance()
            var code = try parseHex4()
            if (0xD800..<0xDC00).contains(code),
               index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                advance(); advance()
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("a low surrogate after a high surrogate") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            // A lone surrogate becomes U+FFFD rather than failing the whole file.
            let scalar = UnicodeScalar(code) ?? "\u{FFFD}"
            utf8.append(contentsOf: String(Character(scalar)).utf8)
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNode {
        let start = location
        let startIndex = index
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") { advance() }
        guard index < bytes.count, isDigit(bytes[index]) else { throw error("a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            advance()
        } else {
            while index < bytes.count, isDigit(bytes[index]) { advance() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            advance()
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("a digit after the decimal point") }
            while index < bytes.count, isDigit(bytes[index]) { advance() }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            advance()
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { advance() }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("a digit in the exponent") }
            while index < bytes.count, isDigit(bytes[index]) { advance() }
        }
        let literal = String(decoding: bytes[startIndex..<index], as: UTF8.self)
        guard let number = Double(literal), number.isFinite else {
            throw JSONSyntaxError(location: start, expected: "a number of finite size", found: literal)
        }
        return JSONNode(.number(number, literal: literal), at: start)
    }
}

private extension String {
    init(format0x byte: UInt8) {
        let digits = Array("0123456789ABCDEF")
        self = "byte 0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
