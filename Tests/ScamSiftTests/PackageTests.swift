import Foundation
import Testing

/// scripts/package.sh end to end: it packs the suite's own scamsift (which `swift build` links
/// with the Swift runtime inside on Linux, see Package.swift) as a .tar.gz and a .deb, and its
/// checks (scripts/check-package.sh) run each packaged binary with an empty environment and the
/// Swift toolchain hidden (where the machine allows a private mount namespace), proving the
/// packages need no /opt/swift. The script's own build step (a release build with
/// `--static-swift-stdlib`) is left out here, so CI compiles the project once, not twice.
@Suite struct PackageTests {
    @Test(.timeLimit(.minutes(10))) func packagesRunWithoutTheToolchain() throws {
        let root = (samplesDirectory() as NSString).deletingLastPathComponent
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-package-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: root + "/scripts/package.sh")
        p.arguments = ["--binary", CLI.binary.path, "--out", out.path]
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let stdout = Pipe()
        p.standardOutput = stdout
        p.standardError = FileHandle.standardError
        try p.run()
        let text = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("all package checks passed"), "\(text)")
        #expect(text.contains("ok:      links only system libraries"))
        #expect(!text.contains("FAILED"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files.contains { $0.hasPrefix("scamsift_") && $0.hasSuffix(".deb") } && files.contains { $0.hasSuffix(".tar.gz") }, "\(files)")
    }

    /// The script refuses a --binary that is not there, before packing anything.
    @Test func refusesAMissingBinary() throws {
        let root = (samplesDirectory() as NSString).deletingLastPathComponent
        let p = Process()
        p.executableURL = URL(fileURLWithPath: root + "/scripts/package.sh")
        p.arguments = ["--binary", root + "/no-such-scamsift", "--out", FileManager.default.temporaryDirectory.path + "/never-made-\(UUID().uuidString)"]
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let stderr = Pipe()
        p.standardError = stderr
        p.standardOutput = Pipe()
        try p.run()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 2)
        #expect(text.contains("no-such-scamsift is not an executable file"), "\(text)")
    }
}
