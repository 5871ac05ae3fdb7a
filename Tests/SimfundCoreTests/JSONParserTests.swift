import Testing
@testable import SimfundCore

@Suite("JSON parser")
struct JSONParserTests {
    @Test("Values keep their line and column")
    func locations() throws {
        let node = try JSONParser.parse("{\n  \"a\": [1, 2.5e3],\n  \"b\": {\"c\": \"é\"}\n}")
        #expect(node["a"]?.location == FilePosition(line: 2, column: 8))
        #expect(node["a"]?.elements?[1].number == 2500)
        #expect(node["b"]?["c"]?.location == FilePosition(line: 3, column: 14))
        #expect(node["b"]?["c"]?.string == "é")
    }

    @Test("Escapes, including surrogate pairs")
    func escapes() throws {
        let node = try JSONParser.parse(#"["a\"b\\c\/\n\u00e9\ud83d\ude00"]"#)
        #expect(node.elements?[0].string == "a\"b\\c/\n\u{e9}\u{1F600}")
    }

    @Test("Exact 64-bit integers survive through the literal")
    func bigIntegers() throws {
        let node = try JSONParser.parse("18446744073709551615")
        guard case let .number(_, literal) = node.value else { Issue.record("not a number"); return }
        #expect(UInt64(literal) == UInt64.max)
    }

    @Test("Malformed documents", arguments: [
        ("", "a value"), ("{\"a\" 1}", "':' after field name \"a\""), ("[1,]", "a value (object, array, string, number, true, false or null)"),
        ("01", "end of file after the top-level value"), ("{\"a\": tru}", "'true'"), ("1.", "a digit after the decimal point"),
        ("\"\u{01}\"", "a character other than a control character in a string (escape it)"), ("[1] [2]", "end of file after the top-level value"),
    ])
    func malformed(text: String, expected: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
        do {
            _ = try JSONParser.parse(text)
        } catch {
            #expect(error.expected == expected)
        }
    }

    @Test("Deep nesting is refused, not a stack overflow")
    func depth() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }
}
