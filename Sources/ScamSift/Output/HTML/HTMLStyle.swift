/// The colours of the HTML reports, and every pair of them the style sheet puts text or
/// shapes on, so a test can check each pair's WCAG contrast ratio (text at least 4.5:1,
/// the gauge's and histogram's shapes at least 3:1 against the page).
public enum HTMLPalette {
    public static let ink = "#1b1b1f"
    public static let muted = "#4a4a55"
    public static let paper = "#ffffff"
    public static let panel = "#f3f3f6"
    public static let rule = "#8a8a95"
    public static let mark = "#ffe27a"
    public static let link = "#0a4fb3"

    /// A verdict's strong colour (badges with white text, gauge zones, borders) and its tint
    /// (the background of the verdict box).
    public static func strong(_ v: Verdict) -> String {
        switch v {
        case .likelyScam: "#a4161a"
        case .suspicious: "#8a4b00"
        case .lowRisk: "#1d6b35"
        case .unknown: "#5a3d8a"
        }
    }

    public static func tint(_ v: Verdict) -> String {
        switch v {
        case .likelyScam: "#fde8e8"
        case .suspicious: "#fdf0dc"
        case .lowRisk: "#e3f3e8"
        case .unknown: "#efe9f8"
        }
    }

    /// Text colour on background, as the style sheet uses them (names for test messages).
    public static var textPairs: [(name: String, foreground: String, background: String)] {
        var pairs: [(String, String, String)] = [
            ("text", ink, paper), ("notes", muted, paper), ("text on panels", ink, panel), ("notes on panels", muted, panel),
            ("highlighted page words", ink, mark), ("links", link, paper), ("links on panels", link, panel),
        ]
        for v in Verdict.allCases {
            pairs.append(("\(v.rawValue) badge", paper, strong(v)))
            pairs.append(("text in the \(v.rawValue) box", ink, tint(v)))
            pairs.append(("notes in the \(v.rawValue) box", muted, tint(v)))
            pairs.append(("\(v.rawValue) points", strong(v), paper))
            pairs.append(("\(v.rawValue) points on panels", strong(v), panel))
        }
        return pairs
    }

    /// Shapes (gauge zones and needle, histogram bars, borders that carry meaning) on their background.
    public static var graphicPairs: [(name: String, foreground: String, background: String)] {
        var pairs: [(String, String, String)] = [("gauge needle", ink, tint(.likelyScam)), ("bars' axis", ink, paper)]
        for v in Verdict.allCases {
            for bg in Verdict.allCases { pairs.append(("\(v.rawValue) zone in the \(bg.rawValue) box", strong(v), tint(bg))) }
            pairs.append(("\(v.rawValue) bars", strong(v), paper))
            pairs.append(("gauge needle in the \(v.rawValue) box", ink, tint(v)))
        }
        return pairs
    }
}

/// The style sheet shared by the page report and the batch summary: system fonts that have
/// Bengali glyphs, a single column that fits a 360 px phone, tables that become cards on
/// narrow screens, and print rules (no backgrounds needed to read it).
enum HTMLStyle {
    /// Fonts ScamSift does not ship: the reader's system fonts, Bengali ones included.
    static let latinFonts = #"system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial"#
    static let bengaliFonts = #""Noto Sans Bengali", "Noto Serif Bengali", "Hind Siliguri", "Kalpurush", "SolaimanLipi", "Nirmala UI", Vrinda, "Bangla Sangam MN""#

    static var css: String {
        let p = HTMLPalette.self
        var css = """
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
        body{margin:0;background:\(p.paper);color:\(p.ink);font:16px/1.55 \(latinFonts), \(bengaliFonts), sans-serif}
        :lang(bn){font-family:\(bengaliFonts), \(latinFonts), sans-serif;line-height:1.75}
        main{max-width:52rem;margin:0 auto;padding:1rem}
        main.wide{max-width:76rem}
        h1{font-size:1.4rem;line-height:1.3;margin:.2rem 0 .8rem}
        h2{font-size:1.15rem;margin:1.8rem 0 .6rem;padding-bottom:.2rem;border-bottom:2px solid \(p.rule)}
        h3{font-size:1rem;margin:1rem 0 .4rem}
        a{color:\(p.link)}
        .brand{margin:0;color:\(p.muted);font-weight:700;letter-spacing:.04em}
        .facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:0 0 1rem}
        .facts dt{color:\(p.muted)}
        .facts dd{margin:0;min-width:0}
        .page-words,.facts dd,td,.quote{overflow-wrap:anywhere}
        .verdict{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.2rem;padding:1rem;border-radius:.5rem;border-left:.5rem solid}
        .gauge{width:13rem;max-width:100%;height:auto;flex:none}
        .verdict-words{flex:1 1 12rem}
        .badge{display:inline-block;margin:0;padding:.1rem .7rem;border-radius:1rem;color:\(p.paper);font-weight:700;font-size:1.15rem}
        td .badge{font-size:.95rem;white-space:nowrap}
        .score{margin:.3rem 0 0;font-size:1.05rem}
        .compare{margin:.2rem 0;font-weight:600}
        .headline{flex:1 1 100%;margin:.2rem 0 0;font-size:1.1rem;font-weight:600}
        .thin{flex:1 1 100%;margin:0}
        .note{color:\(p.muted);font-size:.92rem}
        ul.advice{padding-left:1.2rem}
        ul.advice li{margin:.35rem 0}
        ol.reasons{list-style:none;margin:0;padding:0}
        .reason{margin:.6rem 0;padding:.6rem .8rem;border:1px solid \(p.rule);border-radius:.4rem}
        .reason-head{display:flex;gap:.7rem;align-items:baseline}
        .pts{flex:none;min-width:5.2rem;font-weight:700;font-variant-numeric:tabular-nums}
        .times,.rule-id{color:\(p.muted);font-size:.9rem}
        ul.quotes{list-style:none;margin:.4rem 0 0;padding:0}
        .quote{margin:.3rem 0;padding:.25rem .6rem;background:\(p.panel);border-left:3px solid \(p.rule)}
        .place{display:block;color:\(p.muted);font-size:.85rem}
        mark{background:\(p.mark);color:\(p.ink);padding:0 .1em;border-radius:.15em;-webkit-print-color-adjust:exact;print-color-adjust:exact}
        .cut{color:\(p.muted);font-style:italic}
        .total{font-weight:600}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        th,td{padding:.35rem .5rem;border-bottom:1px solid \(p.rule);text-align:left;vertical-align:top}
        th{background:\(p.panel)}
        td.num{text-align:right;white-space:nowrap}
        ol.offer-notes{padding-left:1.5rem}
        ol.offer-notes li{margin:.5rem 0}
        .bank{padding:.6rem .8rem;background:\(p.panel);border-radius:.4rem}
        ul.marketplace{padding-left:1.2rem}
        .counts{display:flex;flex-wrap:wrap;gap:.6rem;padding:0;margin:0;list-style:none}
        .counts li{flex:1 1 9rem;padding:.6rem .8rem;border-radius:.4rem;border-left-width:.4rem;border-left-style:solid}
        .count{display:block;font-size:1.6rem;font-weight:700}
        .histogram{width:100%;max-width:40rem;height:auto}
        .site{margin:1rem 0;padding:.8rem;border:1px solid \(p.rule);border-radius:.4rem}
        .site h3{margin-top:0}
        ul.site-reasons{margin:.2rem 0;padding-left:1.1rem}
        footer{margin-top:2.5rem;padding-top:.6rem;border-top:1px solid \(p.rule);color:\(p.muted);font-size:.85rem}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        @media (max-width:40rem){
        main{padding:.75rem}
        .cards thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
        .cards tr{display:block;margin:.6rem 0;border:1px solid \(p.rule);border-radius:.4rem}
        .cards td{display:grid;grid-template-columns:minmax(5rem,32%) 1fr;gap:.6rem;text-align:left;border-bottom:1px solid \(p.panel)}
        .cards td::before{content:attr(data-label);color:\(p.muted);font-weight:600}
        .cards td.num{white-space:normal;text-align:left}
        .cards ul.site-reasons{padding-left:1rem}
        .cards td .badge{justify-self:start}
        .gauge{width:11rem}
        .pts{min-width:4.5rem}
        }
        """
        for v in Verdict.allCases {
            css += ".v-\(v.rawValue){background:\(p.tint(v));border-color:\(p.strong(v))}\n"
            css += ".v-\(v.rawValue) .badge,.badge.v-\(v.rawValue){background:\(p.strong(v))}\n"
            css += ".pts.v-\(v.rawValue){background:none;color:\(p.strong(v))}\n"
        }
        // After the verdict colours, so printing drops their backgrounds.
        css += """
        @media print{
        body{font-size:11pt;background:none}
        main{max-width:none;padding:0}
        .verdict{border:2px solid \(p.ink);background:none}
        .badge.badge{color:\(p.ink);background:none;border:2px solid \(p.ink)}
        .counts li{background:none}
        .quote{background:none}
        mark{text-decoration:underline}
        a{color:\(p.ink);text-decoration:none}
        .reason,.quote,tr,.verdict,.site,.counts li{break-inside:avoid}
        h2,h3{break-after:avoid}
        }

        """
        return css
    }
}
