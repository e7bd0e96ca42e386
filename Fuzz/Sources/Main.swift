#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Fuzzing (built by scripts/fuzz.sh with `-sanitize=fuzzer,address -D FUZZING`):
/// libFuzzer's driver calls `LLVMFuzzerTestOneInput` with the parser named by
/// `ROUTESHIFT_FUZZ_TARGET`. Built plainly: `routeshift-fuzz TARGET FILE|DIR...`
/// runs each file through that parser once (replaying a corpus or a crash).
nonisolated(unsafe) var selected = FuzzTarget.edgesCSV

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

func usage() -> Never {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
    FileHandle.standardError.write(Data("usage: ROUTESHIFT_FUZZ_TARGET=\(names) routeshift-fuzz [libFuzzer options] (fuzzing build)\n       routeshift-fuzz \(names) FILE|DIR... (replay)\n".utf8))
    exit(64)
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

// SwiftPM links an executable's entry point under this name.
@_cdecl("routeshift_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    guard let name = getenv("ROUTESHIFT_FUZZ_TARGET").map({ String(cString: $0) }), let target = FuzzTarget(rawValue: name)
    else { usage() }
    selected = target
    var count = argc, vector = argv
    return LLVMFuzzerRunDriver(&count, &vector, fuzzOne)
}
#else
@main struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else { usage() }
        selected = target
        var files: [String] = []
        for path in arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            target.run([UInt8](data))
        }
        print("\(target.rawValue): \(files.count) inputs replayed, no crash")
    }
}
#endif
