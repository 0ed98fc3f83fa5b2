import Foundation

/// Reads a page from a file (or stdin) and scores it, turning every failure into a
/// one-line reason rather than an exception, so one bad file never stops the others.
public enum PageScorer {
    public static func score(path: String, engine: Engine, baseURL: String? = nil, charset: String? = nil,
                             timings: StageTimings.Accumulator? = nil) -> ScoreOutcome {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                return .failure(source: path, message: "no such file")
            }
            if isDir.boolValue { return .failure(source: path, message: "is a folder, not a page") }
            guard FileManager.default.isReadableFile(atPath: path), let d = FileManager.default.contents(atPath: path) else {
                return .failure(source: path, message: "cannot read the file (permission denied?)")
            }
            data = d
        }
        do {
            let url = baseURL.flatMap { URL(string: $0) }
            let (report, t) = try engine.timedScore(html: data, url: url, charset: charset, source: path)
            timings?.add(t)
            return .report(report)
        } catch let error as PageError {
            return .failure(source: path, message: error.description)
        } catch {
            return .failure(source: path, message: "\(error)")
        }
    }
}
