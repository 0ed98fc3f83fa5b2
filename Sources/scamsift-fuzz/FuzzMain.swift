import Foundation
import ScamSiftFuzzTargets

// Built by scripts/fuzz.sh with `-sanitize=fuzzer,address -DFUZZING`: `main` hands over to
// libFuzzer, which calls `fuzzOneInput` for each input, with the target named by
// SCAMSIFT_FUZZ_TARGET. In an ordinary build (plain `swift build`) it is a small program that
// replays inputs instead:
//   scamsift-fuzz TARGET FILE...
#if FUZZING
private let selected: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["SCAMSIFT_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fatalError("set SCAMSIFT_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " "))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// libFuzzer's C entry point (FuzzerInterface.h). Declared here because no module exports it.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links every executable with its module's `main` as the entry point (libFuzzer's own
/// `main`, linked in too, is set aside), so this one starts libFuzzer the way that one would.
@main
struct Fuzz {
    static func main() {
        _ = selected
        FuzzTarget.prepare()
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("usage: scamsift-fuzz TARGET FILE...  (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")))\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("scamsift-fuzz: cannot read \(path)\n".utf8))
                exit(1)
            }
            target.run(Array(data))
            print("ok \(path)")
        }
    }
}
#endif
