import RouteShiftCore

/// Rejects, before parsing, the YAML constructs RouteShift's files never need and whose cost
/// in the YAML library can grow exponentially with the input: explicit (`? `) mapping keys,
/// aliases (`*name`), and flow collections nested deeper than `maximumFlowDepth`.
///
/// The library compares mapping keys to report duplicates, and its comparison of two nested
/// collections calls itself twice per level, so duplicate keys that are collections nested
/// d deep cost 2^d comparisons: 700 bytes of `? - ? - …` kept a parse busy for minutes.
/// Without explicit keys and aliases, a key that is a collection can only be written in flow
/// style (`[a, [b]]: 1`), whose depth is bounded here; aliases would also let a few lines
/// stand for a document of exponential size.
///
/// The scan follows YAML's token positions closely enough for these three tests: quoted
/// scalars, comments and block scalars (`|`, `>`) are skipped, `?` and `*` count only where
/// a node starts (line start, after `- `, `? `, `: `, and after `[`, `{`, `,` in flow).
/// - Complexity: O(bytes), one pass.
public enum YAMLInputGuard {
    /// The deepest flow nesting accepted (RouteShift's own files nest two levels at most).
    public static let maximumFlowDepth = 16

    /// - Throws: `InputError` at the line of the first construct found, naming it.
    public static func check(_ text: String, file: String?) throws {
        var flowDepth = 0
        var blockScalarIndent: Int? = nil
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = Array(line.utf8)
            var i = 0
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
            let indent = i
            if let scalarIndent = blockScalarIndent {
                if i == bytes.count || indent > scalarIndent { continue }
                blockScalarIndent = nil
            }
            func fail(_ what: String) -> InputError {
                InputError("\(what) are not accepted in RouteShift's YAML files (they are never needed, and parsing them "
                           + "can take exponential time)", at: InputLocation(file: file, line: lineNumber))
            }
            func isBreak(_ j: Int) -> Bool {
                j >= bytes.count || bytes[j] == UInt8(ascii: " ") || bytes[j] == UInt8(ascii: "\t") || bytes[j] == UInt8(ascii: "\r")
            }
            func skipQuoted(_ j: Int) -> Int {
                let quote = bytes[j]
                var k = j + 1
                while k < bytes.count {
                    if quote == UInt8(ascii: "\"") && bytes[k] == UInt8(ascii: "\\") { k += 2; continue }
                    if bytes[k] == quote {
                        if quote == UInt8(ascii: "'"), k + 1 < bytes.count, bytes[k + 1] == quote { k += 2; continue }
                        return k + 1
                    }
                    k += 1
                }
                return bytes.count
            }
            var nodeStart = true
            if flowDepth == 0, bytes.count - i >= 3, bytes[i] == UInt8(ascii: "-"), bytes[i + 1] == UInt8(ascii: "-"),
               bytes[i + 2] == UInt8(ascii: "-"), isBreak(i + 3) {
                i += 3
            }
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") { i += 1; continue }
                if c == UInt8(ascii: "#"), i == 0 || bytes[i - 1] == UInt8(ascii: " ") || bytes[i - 1] == UInt8(ascii: "\t") { break }
                if nodeStart {
                    if c == UInt8(ascii: "?"), isBreak(i + 1) { throw fail("explicit mapping keys ('? ')") }
                    if c == UInt8(ascii: "*") { throw fail("aliases ('*name')") }
                    if c == UInt8(ascii: "-"), flowDepth == 0, isBreak(i + 1) { i += 1; continue }
                    if flowDepth == 0, c == UInt8(ascii: "|") || c == UInt8(ascii: ">") {
                        blockScalarIndent = indent
                        break
                    }
                }
                if c == UInt8(ascii: "'") || c == UInt8(ascii: "\""), nodeStart || flowDepth > 0 {
                    i = skipQuoted(i); nodeStart = false; continue
                }
                if c == UInt8(ascii: "[") || c == UInt8(ascii: "{"), nodeStart || flowDepth > 0 {
                    flowDepth += 1
                    if flowDepth > maximumFlowDepth { throw fail("flow collections nested more than \(maximumFlowDepth) deep") }
                    nodeStart = true; i += 1; continue
                }
                if flowDepth > 0 {
                    if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { flowDepth -= 1; nodeStart = false; i += 1; continue }
                    if c == UInt8(ascii: ",") { nodeStart = true; i += 1; continue }
                }
                if c == UInt8(ascii: ":"), isBreak(i + 1) || (flowDepth > 0 && i + 1 < bytes.count
                                                              && [UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}")].contains(bytes[i + 1])) {
                    nodeStart = true; i += 1; continue
                }
                if c == UInt8(ascii: "&"), nodeStart {
                    // An anchor's name, then the node it names.
                    while i < bytes.count, !isBreak(i) { i += 1 }
                    continue
                }
                nodeStart = false
                i += 1
            }
        }
    }
}
