import Foundation

/// The reports' two pictures, as inline SVG: the score gauge and the batch histogram. Each
/// has a text equivalent (`<title>`, and `<desc>` for the histogram's figures) that screen
/// readers read instead of the shapes, which are hidden from them.
public enum HTMLCharts {
    /// A half-circle from 0 (left) to 100 (right), coloured by verdict zone at the rule set's
    /// cut-offs, with a needle at `score`. `label` is what a screen reader says.
    public static func gauge(_ w: inout HTMLWriter, score: Int, cutoffs: VerdictCutoffs, label: String, id: String = "gauge") {
        let s = Double(min(100, max(0, score)))
        let zones: [(Verdict, Double, Double)] = [
            (.lowRisk, 0, Double(cutoffs.suspicious)),
            (.suspicious, Double(cutoffs.suspicious), Double(cutoffs.likelyScam)),
            (.likelyScam, Double(cutoffs.likelyScam), 100),
        ]
        w.element("svg", [("class", "gauge"), ("viewBox", "0 0 200 112"), ("role", "img"), ("aria-labelledby", id + "-title"), ("focusable", "false")]) { w in
            w.element("title", [("id", id + "-title")], text: label)
            for (verdict, from, to) in zones where to > from {
                w.empty("path", [("d", arc(from: from, to: to)), ("fill", "none"), ("stroke", HTMLPalette.strong(verdict)),
                                 ("stroke-width", "20"), ("aria-hidden", "true")])
            }
            let tip = point(s, radius: 66)
            w.empty("line", [("x1", "100"), ("y1", "100"), ("x2", fmt(tip.x)), ("y2", fmt(tip.y)), ("stroke", HTMLPalette.ink),
                             ("stroke-width", "5"), ("stroke-linecap", "round"), ("aria-hidden", "true")])
            w.empty("circle", [("cx", "100"), ("cy", "100"), ("r", "8"), ("fill", HTMLPalette.ink), ("aria-hidden", "true")])
        }
    }

    /// The point at `score` (0…100) on the half circle of `radius` around (100, 100).
    static func point(_ score: Double, radius: Double) -> (x: Double, y: Double) {
        let angle = Double.pi * score / 100
        return (100 - radius * cos(angle), 100 - radius * sin(angle))
    }

    static func arc(from: Double, to: Double) -> String {
        let a = point(from, radius: 80), b = point(to, radius: 80)
        return "M\(fmt(a.x)) \(fmt(a.y))A80 80 0 0 1 \(fmt(b.x)) \(fmt(b.y))"
    }

    /// Two decimals at most, so output is the same on every machine.
    static func fmt(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(format: "%.2f", r)
    }

    /// One bar of a histogram.
    public struct Bar: Sendable {
        public var label: String
        public var count: Int
        public var verdict: Verdict

        public init(label: String, count: Int, verdict: Verdict) {
            self.label = label
            self.count = count
            self.verdict = verdict
        }
    }

    /// Bars side by side, each as high as its share of the largest, coloured by the verdict
    /// its scores fall in, with its count above and its label below. `title` and the `desc`
    /// (each bar's label and count) are the text equivalent.
    public static func histogram(_ w: inout HTMLWriter, bars: [Bar], title: String, description: String, id: String = "histogram",
                                 number: (Int) -> String = { String($0) }) {
        let width = 40.0, gap = 8.0, height = 150.0, top = 20.0
        let total = Double(bars.count) * (width + gap) + gap
        let largest = Double(max(1, bars.map(\.count).max() ?? 1))
        w.element("svg", [("class", "histogram"), ("viewBox", "0 0 \(fmt(total)) \(fmt(top + height + 24))"), ("role", "img"),
                          ("aria-labelledby", "\(id)-title \(id)-desc"), ("focusable", "false")]) { w in
            w.element("title", [("id", id + "-title")], text: title)
            w.element("desc", [("id", id + "-desc")], text: description)
            for (i, bar) in bars.enumerated() {
                let x = gap + Double(i) * (width + gap)
                let h = bar.count == 0 ? 0 : max(2, height * Double(bar.count) / largest)
                let y = top + height - h
                if h > 0 {
                    w.empty("rect", [("x", fmt(x)), ("y", fmt(y)), ("width", fmt(width)), ("height", fmt(h)),
                                     ("fill", HTMLPalette.strong(bar.verdict)), ("aria-hidden", "true")])
                }
                w.element("text", [("x", fmt(x + width / 2)), ("y", fmt(y - 5)), ("text-anchor", "middle"), ("font-size", "12"),
                                   ("fill", HTMLPalette.ink), ("aria-hidden", "true")], text: number(bar.count))
                w.element("text", [("x", fmt(x + width / 2)), ("y", fmt(top + height + 16)), ("text-anchor", "middle"),
                                   ("font-size", "11"), ("fill", HTMLPalette.ink), ("aria-hidden", "true")], text: bar.label)
            }
            w.empty("line", [("x1", "0"), ("y1", fmt(top + height)), ("x2", fmt(total)), ("y2", fmt(top + height)),
                             ("stroke", HTMLPalette.ink), ("stroke-width", "1"), ("aria-hidden", "true")])
        }
    }
}
