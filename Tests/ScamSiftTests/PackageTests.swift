import Foundation
import Testing

/// scripts/package.sh end to end: it builds scamsift with the Swift runtime linked in, packs a
/// .tar.gz and a .deb, and its checks (scripts/check-package.sh) run each packaged binary with
/// an empty environment and the Swift toolchain hidden (where the machine allows a private
/// mount namespace), proving the packages need no /opt/swift. The test builds the debug
/// configuration in its own scratch folder (.build-package) to spare CI a release build; the
/// packaging and the checks are the same for both.
@Suite struct PackageTests {
    @Test(.timeLimit(.minutes(40))) func packagesRunWithoutTheToolchain() throws {
        let root = (samplesDirectory() as NSString).deletingLastPathComponent
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("scamsift-package-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: root + "/scripts/package.sh")
        p.arguments = ["--configuration", "debug", "--scratch-path", root + "/.build-package", "--out", out.path]
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let stdout = Pipe()
        p.standardOutput = stdout
        p.standardError = FileHandle.standardError   // the build's progress, for a slow CI run
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
}
