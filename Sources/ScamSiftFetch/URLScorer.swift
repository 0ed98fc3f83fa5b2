import AsyncHTTPClient
import Foundation
import ScamSift

/// `scamsift score https://…`: fetches pages with the batch fetcher and scores them.
public enum URLScorer {
    /// An http:// or https:// address (any case); anything else is a file path.
    public static func isURL(_ s: String) -> Bool {
        let l = s.lowercased()
        return l.hasPrefix("http://") || l.hasPrefix("https://")
    }

    public struct Scored: Sendable {
        public var outcome: ScoreOutcome
        /// Things to tell the person besides the report (a cut body, redirects).
        public var notes: [String]
    }

    /// Fetches and scores each URL (one client, shut down before returning). Never throws:
    /// a failure is a `.failure` outcome whose message starts with the error kind.
    /// - Parameter charset: beats the server's charset when given.
    public static func score(_ urls: [String], engine: Engine, config: FetchConfig, charset: String? = nil) async -> [String: Scored] {
        var results: [String: Scored] = [:]
        do {
            results = try await config.withClient { client in
                let fetcher = Fetcher(client: client, config: config)
                var out: [String: Scored] = [:]
                for url in urls where out[url] == nil {
                    out[url] = await scoreOne(url, fetcher: fetcher, engine: engine, charset: charset)
                }
                return out
            }
        } catch {
            for url in urls where results[url] == nil {
                results[url] = Scored(outcome: .failure(source: url, message: "\(FetchError.classify(error))", kind: FetchError.classify(error).kind.rawValue), notes: [])
            }
        }
        return results
    }

    static func scoreOne(_ input: String, fetcher: Fetcher, engine: Engine, charset: String?) async -> Scored {
        guard case let .url(url) = URLNormalizer.parse(input) else {
            if case let .invalid(reason) = URLNormalizer.parse(input) {
                return Scored(outcome: .failure(source: input, message: "invalid-url: \(reason)", kind: FetchError.Kind.invalidURL.rawValue), notes: [])
            }
            return Scored(outcome: .failure(source: input, message: "invalid-url: empty", kind: FetchError.Kind.invalidURL.rawValue), notes: [])
        }
        let fetched = await fetcher.fetch(url)
        if let error = fetched.error {
            return Scored(outcome: .failure(source: input, message: error.description, kind: error.kind.rawValue), notes: [])
        }
        var notes: [String] = []
        if let final = fetched.finalURL, final != url { notes.append("redirected to \(final)") }
        if fetched.truncated { notes.append("only the first \(fetched.body.count) bytes were read and scored (--max-bytes)") }
        let body = fetched.body
        let finalURL = URL(string: fetched.finalURL ?? url)
        let cs = charset ?? fetched.charset
        // Parsing and scoring are CPU work: off the event loops.
        let contentType = fetched.contentType
        let task = Task.detached { try engine.score(html: body, url: finalURL, charset: cs, contentType: contentType, source: input) }
        do {
            return Scored(outcome: .report(try await task.value), notes: notes)
        } catch {
            return Scored(outcome: .failure(source: input, message: BatchRunner.scoringError(error).description,
                                            kind: BatchRunner.scoringError(error).kind.rawValue), notes: notes)
        }
    }
}
