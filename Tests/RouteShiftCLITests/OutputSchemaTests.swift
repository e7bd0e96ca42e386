import Foundation
import RouteShiftTestSupport
import XCTest

/// Real outputs of `simulate`, `batch` and `sweep` against the JSON Schemas in Schemas/:
/// with Python's `jsonschema` (draft 2020-12) when it is installed, and always with
/// `SchemaCheck`, a small validator of the keywords those schemas use, so a field
/// that disappears fails the test on any machine.
final class OutputSchemaTests: XCTestCase {
    static let schemas = SourceTree.root.appendingPathComponent("Schemas")

    private var temporary: TemporaryDirectory!
    var work: URL { temporary.url }

    override func setUpWithError() throws { temporary = try TemporaryDirectory("rs-schema") }
    override func tearDown() { temporary = nil }

    func routeshift(_ arguments: [String]) throws -> BatchCommandTests.Outcome {
        BatchCommandTests.finish(try BatchCommandTests.start(arguments))
    }

    func schema(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemas.appendingPathComponent(name)))
    }

    /// Real documents: `(schema file, document)`.
    func outputs() throws -> [(schema: String, document: Data, name: String)] {
        let examples = SourceTree.exampleScenarios
        let out = work.appendingPathComponent("batch").path
        let batch = try routeshift(["batch", examples.path + "/close-*", "--out", out, "-q"])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        var docs: [(String, Data, String)] = [
            ("batch-summary.schema.json", try Data(contentsOf: URL(fileURLWithPath: out + "/batch-summary.json")), "batch-summary.json"),
        ]
        for dir in try FileManager.default.contentsOfDirectory(atPath: out).sorted() where !dir.hasSuffix(".json") {
            docs.append(("summary.schema.json", try Data(contentsOf: URL(fileURLWithPath: out + "/\(dir)/summary.json")),
                         "\(dir)/summary.json"))
        }
        let logit = try routeshift(["simulate", examples.path + "/baseline-logit.yaml", "--out", work.appendingPathComponent("logit").path,
                                    "--format", "json", "-q"])
        XCTAssertEqual(logit.status, 0, logit.stderr)
        docs.append(("summary.schema.json", Data(logit.stdout.utf8), "simulate --format json"))
        let sweep = try routeshift(["sweep", examples.path + "/baseline-logit.yaml", "--by", "border",
                                    "--out", work.appendingPathComponent("sweep").path, "--format", "json", "-q"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        docs.append(("sweep.schema.json", Data(sweep.stdout.utf8), "sweep --format json"))
        // The committed outputs of `calibrate --report` and `backtest --format json` on the bundled data.
        let root = SourceTree.root
        for (schema, file) in [("calibration.schema.json", "Geodata/calibration-report.json"),
                               ("backtest.schema.json", "Geodata/validation/backtest-report.json")] {
            let url = root.appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: url.path) { docs.append((schema, try Data(contentsOf: url), file)) }
        }
        return docs
    }

    func testOutputsMatchTheirSchemas() throws {
        let docs = try outputs()
        XCTAssertGreaterThanOrEqual(docs.count, 5)
        for (schemaName, document, name) in docs {
            let problems = SchemaCheck.problems(try JSONSerialization.jsonObject(with: document), schema: try schema(schemaName))
            XCTAssertEqual(problems, [], "\(name) against \(schemaName)")
        }
    }

    func testAMissingRequiredFieldFailsValidation() throws {
        var broken: [(schema: String, document: Data, name: String)] = []
        for (schemaName, document, name) in try outputs().prefix(2) {
            var object = try JSONSerialization.jsonObject(with: document) as! [String: Any]
            var totals = object["totals"] as? [String: Any]
            if totals != nil {
                totals!["displaced"] = nil
                object["totals"] = totals
            } else {
                object["counts"] = nil
            }
            let problems = SchemaCheck.problems(object, schema: try schema(schemaName))
            XCTAssertFalse(problems.isEmpty, "\(name) without a required field passed")
            broken.append((schemaName, try JSONSerialization.data(withJSONObject: object), name))
        }
        if let python = try pythonJSONSchema(broken) {
            XCTAssertNotEqual(python.status, 0, "jsonschema accepted documents without a required field")
            for doc in broken {
                XCTAssertTrue(python.stderr.contains(doc.name + ":"), "jsonschema accepted \(doc.name) without a required field")
            }
        }
    }

    func testOutputsMatchTheirSchemasWithPythonJSONSchema() throws {
        guard let result = try pythonJSONSchema(try outputs()) else {
            throw XCTSkip("python3 with the jsonschema package is not installed (scripts/setup.sh --tests installs it)")
        }
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// Validates each document against its schema with Python's jsonschema (Draft 2020-12), in one
    /// process; the errors, one per line as `name: path: message`, are in `stderr`.
    /// `nil` when python3 or jsonschema is missing.
    func pythonJSONSchema(_ docs: [(schema: String, document: Data, name: String)]) throws -> (status: Int32, stderr: String)? {
        let script = """
        import json, sys
        try:
            import jsonschema
        except ImportError:
            sys.exit(97)
        failed = False
        for item in json.load(sys.stdin):
            schema = json.load(open(item["schema"]))
            jsonschema.Draft202012Validator.check_schema(schema)
            for e in jsonschema.Draft202012Validator(schema).iter_errors(json.loads(item["document"])):
                failed = True
                print(item["name"] + ": " + "/".join(map(str, e.absolute_path)) + ": " + e.message, file=sys.stderr)
        sys.exit(1 if failed else 0)
        """
        let input = try JSONSerialization.data(withJSONObject: docs.map {
            ["schema": Self.schemas.appendingPathComponent($0.schema).path, "document": String(decoding: $0.document, as: UTF8.self),
             "name": $0.name]
        })
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe(), err = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        do { try process.run() } catch { return nil }
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 97 || process.terminationStatus == 127 { return nil }
        return (process.terminationStatus, String(decoding: e, as: UTF8.self))
    }
}

/// The JSON Schema keywords Schemas/ uses: `type`, `const`, `enum`, `required`,
/// `properties`, `additionalProperties: false`, `items`, `minimum`, `pattern`,
/// `uniqueItems`, `$ref` to `#/$defs/…`, and `if`/`then`/`else`.
enum SchemaCheck {
    static func problems(_ value: Any, schema: Any) -> [String] {
        var out: [String] = []
        check(value, schema, root: schema, path: "$", into: &out)
        return out
    }

    static func typeName(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let n as NSNumber:
            // JSONSerialization reads true and false as NSNumbers of type char.
            if String(cString: n.objCType) == "c" { return "boolean" }
            return n.doubleValue.rounded() == n.doubleValue ? "integer" : "number"
        case is String: return "string"
        case is [Any]: return "array"
        case is [String: Any]: return "object"
        default: return "unknown"
        }
    }

    static func check(_ value: Any, _ schemaValue: Any, root: Any, path: String, into out: inout [String]) {
        guard let schema = schemaValue as? [String: Any] else { return }
        if let ref = schema["$ref"] as? String, ref.hasPrefix("#/") {
            var target: Any? = root
            for part in ref.dropFirst(2).split(separator: "/") { target = (target as? [String: Any])?[String(part)] }
            if let target { check(value, target, root: root, path: path, into: &out) } else { out.append("\(path): bad $ref \(ref)") }
        }
        let actual = typeName(value)
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [type as? String ?? ""]
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !ok { out.append("\(path): \(actual), expected \(allowed.joined(separator: " or "))"); return }
        }
        if let c = schema["const"], !equal(c, value) { out.append("\(path): expected \(c)") }
        if let e = schema["enum"] as? [Any], !e.contains(where: { equal($0, value) }) { out.append("\(path): not one of \(e)") }
        if let minimum = (schema["minimum"] as? NSNumber)?.doubleValue, let n = (value as? NSNumber)?.doubleValue, n < minimum {
            out.append("\(path): \(n) < \(minimum)")
        }
        if let pattern = schema["pattern"] as? String, let s = value as? String,
           s.range(of: pattern, options: .regularExpression) == nil {
            out.append("\(path): '\(s)' does not match \(pattern)")
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                out.append("\(path): required '\(key)' is missing")
            }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            for (key, item) in object {
                if let sub = properties[key] {
                    check(item, sub, root: root, path: "\(path).\(key)", into: &out)
                } else if schema["additionalProperties"] as? Bool == false {
                    out.append("\(path): unexpected '\(key)'")
                }
            }
        }
        if let array = value as? [Any] {
            if let items = schema["items"] {
                for (i, item) in array.enumerated() { check(item, items, root: root, path: "\(path)[\(i)]", into: &out) }
            }
            if schema["uniqueItems"] as? Bool == true, Set(array.map { "\($0)" }).count != array.count {
                out.append("\(path): items are not unique")
            }
        }
        if let condition = schema["if"] {
            var scratch: [String] = []
            check(value, condition, root: root, path: path, into: &scratch)
            if let branch = scratch.isEmpty ? schema["then"] : schema["else"] {
                check(value, branch, root: root, path: path, into: &out)
            }
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        (a as? NSObject)?.isEqual(b) ?? false
    }
}
