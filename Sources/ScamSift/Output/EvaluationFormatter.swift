import Foundation

public enum EvaluationFormatter {
    /// `evaluate --offers`: one line per page (label, file, its offers with their yearly
    /// return), then how many scam and legit pages promise 100% a year or more.
    public static func offers(_ e: Evaluation) -> String {
        var out: [String] = []
        for p in e.offers {
            let list = p.offers.isEmpty ? "no offers" : p.offers.map(OfferFormatter.brief).joined(separator: "; ")
            out.append("\(p.label.rawValue)\t\(TerminalSafe.clean(p.path))\t\(TerminalSafe.clean(list))")
        }
        out.append("")
        for label in [Label.scam, .legit] {
            let pages = e.offers.filter { $0.label == label }
            let any = pages.filter { !$0.offers.isEmpty }.count
            let high = pages.filter { ($0.maxAnnualPercent ?? 0) >= 100 }.count
            out.append("\(label.rawValue): \(pages.count) pages, \(any) with offers, \(high) with an offer of 100% a year or more")
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func text(_ e: Evaluation, byLanguage: Bool = false) -> String {
        var out: [String] = []
        let c = e.counts
        out.append("Pages: \(c["scam"] ?? 0) scam, \(c["legit"] ?? 0) legit, \(c["ambiguous"] ?? 0) ambiguous (not counted), \(c["failed"] ?? 0) failed to parse")
        out.append("")
        for (name, m) in [("likely-scam", e.atLikelyScam), ("suspicious (counted as positive)", e.atSuspicious)] {
            out.append("At the \(name) cut-off (score >= \(m.threshold)):")
            out.append(TextTable.render(header: ["", "flagged", "not flagged"],
                                        rows: [["scam", "\(m.truePositives)", "\(m.falseNegatives)"],
                                               ["legit", "\(m.falsePositives)", "\(m.trueNegatives)"]],
                                        rightAligned: [1, 2]).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            out.append(String(format: "  precision %.3f  recall %.3f  F1 %.3f  accuracy %.3f", m.precision, m.recall, m.f1, m.accuracy))
            out.append("")
        }
        out.append(String(format: "ROC AUC: %.4f", e.rocAUC))
        out.append("")
        if byLanguage {
            out.append("By language (told from each page's text), at the likely-scam cut-off:")
            out.append(TextTable.render(header: ["lang", "scam", "legit", "precision", "recall", "F1"],
                                        rows: e.byLanguage.map { row in
                                            let m = row.confusion
                                            return [row.lang, "\(m.truePositives + m.falseNegatives)", "\(m.falsePositives + m.trueNegatives)",
                                                    String(format: "%.3f", m.precision), String(format: "%.3f", m.recall), String(format: "%.3f", m.f1)]
                                        },
                                        rightAligned: [1, 2, 3, 4, 5]).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            out.append("")
        }
        out.append("Threshold sweep:")
        out.append(TextTable.render(header: ["score >=", "precision", "recall"],
                                    rows: e.sweep.map { ["\($0.threshold)", String(format: "%.3f", $0.precision), String(format: "%.3f", $0.recall)] },
                                    rightAligned: [0, 1, 2]).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        out.append("")
        out.append("Misjudged at the likely-scam cut-off (\(e.misjudged.count)):")
        if e.misjudged.isEmpty { out.append("  none") }
        for p in e.misjudged {
            out.append("  \(p.label.rawValue) \(p.score) \(p.verdict.rawValue)  \(TerminalSafe.clean(p.path))")
            out.append("      " + (p.topHits.isEmpty ? "no rule fired" : p.topHits.joined(separator: ", ")))
        }
        if !e.ambiguous.isEmpty {
            out.append("")
            out.append("Ambiguous pages (reported, not counted):")
            for p in e.ambiguous { out.append("  \(p.score) \(p.verdict.rawValue)  \(TerminalSafe.clean(p.path))") }
        }
        if !e.failures.isEmpty {
            out.append("")
            out.append("Failed to parse (\(e.failures.count)):")
            for (path, why) in e.failures.sorted(by: { $0.key < $1.key }) { out.append("  \(TerminalSafe.clean(path)): \(why)") }
        }
        out.append("")
        out.append("Rules, most useful first (hits = pages the rule fired on):")
        out.append(TextTable.render(header: ["rule", "weight", "scam", "legit", "S/O", "flags"],
                                    rows: e.rules.map { [$0.id, "\($0.weight)", "\($0.scamHits)", "\($0.legitHits)",
                                                         String(format: "%.2f", $0.so), $0.flags.joined(separator: "; ")] },
                                    rightAligned: [1, 2, 3, 4]).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        return out.joined(separator: "\n") + "\n"
    }

    /// The process's peak resident memory (VmHWM), where /proc tells it.
    public static func peakResidentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    public static func timings(_ t: StageTimings, wallSeconds: Double) -> String {
        let total = max(1, Double(t.totalNanos))
        func part(_ name: String, _ ns: UInt64) -> String {
            String(format: "%@ %.1f%% (%.1f ms)", name, Double(ns) / total * 100, Double(ns) / 1e6)
        }
        let mb = Double(t.bytes) / 1_048_576
        let regexTotal = t.regexNanos.reduce(0, +)
        let peak = peakResidentKiB().map { String(format: "; peak RSS %.0f MB", Double($0) / 1024) } ?? ""
        return String(format: "timings: %d pages, %.1f MB in %.2f s wall: %.0f pages/s, %.1f MB/s; cpu split: ", t.pages, mb, wallSeconds,
                      Double(t.pages) / wallSeconds, mb / wallSeconds)
            + [part("parse", t.parseNanos), part("extract", t.extractNanos), part("match", t.matchNanos), part("score", t.scoreNanos)].joined(separator: ", ")
            + peak
            + String(format: "\nmatch split: normalise %.1f ms, automaton %.1f ms, regex %.1f ms, offers %.1f ms, language %.1f ms, token model %.1f ms, rules and evidence %.1f ms",
                     Double(t.normalizeNanos) / 1e6, Double(t.automatonNanos) / 1e6, Double(regexTotal) / 1e6,
                     Double(t.offerNanos) / 1e6, Double(t.languageNanos) / 1e6, Double(t.textModelNanos) / 1e6,
                     Double(t.matchNanos) / 1e6
                        - Double(t.normalizeNanos + t.automatonNanos + regexTotal + t.offerNanos + t.languageNanos + t.textModelNanos) / 1e6)
            + "\nslowest regex rules: " + t.regexNanosByRule.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(8)
                .map { String(format: "%@ %.1f ms", $0.key, Double($0.value) / 1e6) }.joined(separator: ", ")
    }
}
