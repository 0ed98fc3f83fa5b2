import Foundation
import ScamSift

/// The pages `scamsift serve` answers with: the form, a report, an error. Each is one
/// self-contained HTML document: no script, nothing loaded from anywhere (the
/// Content-Security-Policy forbids both), every text from the catalogue or the page escaped.
enum ServePages {
    /// The form: an address to paste, or a saved page to upload. Both post to `/check` with the
    /// page's language in the query, so the answer comes in the same language.
    static func form(_ l: Localizer, uploadLimit: Int) -> String {
        let action = "/check?lang=\(l.language)"
        let languages = Catalog.languages.map { code -> String in
            let name = escape(Catalog.builtIn[code]?.name ?? code)
            return code == l.language ? "<strong>\(name)</strong>" : "<a href=\"/?lang=\(code)\" lang=\"\(code)\">\(name)</a>"
        }.joined(separator: " · ")
        return document(l, title: l("serve.title"), body: """
            <nav aria-label="\(escape(l("serve.language")))">\(languages)</nav>
            <h1>\(escape(l("serve.title")))</h1>
            <p>\(escape(l("serve.intro")))</p>
            <form method="post" action="\(action)">
            <label for="url">\(escape(l("serve.url_label")))</label>
            <input id="url" name="\(CheckRequest.urlField)" type="text" inputmode="url" autocomplete="off" spellcheck="false" required>
            <button type="submit">\(escape(l("serve.url_button")))</button>
            </form>
            <p class="or">\(escape(l("serve.or")))</p>
            <form method="post" action="\(action)" enctype="multipart/form-data">
            <label for="page">\(escape(l("serve.file_label", ["size": ServeFailure.size(uploadLimit, l)])))</label>
            <input id="page" name="\(CheckRequest.fileField)" type="file" accept=".html,.htm,.mhtml,.mht,text/html" required>
            <button type="submit">\(escape(l("serve.file_button")))</button>
            </form>
            <p class="note">\(escape(l("serve.privacy")))</p>
            """)
    }

    /// The report of one page: the same document `score --format html` writes (`HTMLReport`),
    /// with one link added back to the form. `HTMLWriter` writes only links to anchors, which is
    /// right for a report saved and shared; this one is served, so the way back is put in
    /// after rendering, at the top of `<main>`.
    static func report(_ report: Report, explainer: Explainer) -> String {
        let l = explainer.localizer
        let html = HTMLReport.render(report: report, explainer: explainer)
        let back = "<nav class=\"again\"><a href=\"/?lang=\(l.language)\">\(escape(l("serve.again")))</a></nav>\n"
        guard let main = html.range(of: "<main>") else { return html }
        return html.replacingCharacters(in: main.upperBound..<main.upperBound, with: back)
    }

    /// An error's page: what went wrong, what to do, and the way back to the form.
    static func error(_ failure: ServeFailure, _ l: Localizer) -> String {
        document(l, title: l("serve.error.title"), body: """
            <h1>\(escape(l("serve.error.title")))</h1>
            <p class="error">\(escape(failure.message(l)))</p>
            <p><a href="/?lang=\(l.language)">\(escape(l("serve.back")))</a></p>
            """)
    }

    static func document(_ l: Localizer, title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="\(l.language)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>\(style)</style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static let style = """
        body{font:1.05rem/1.5 system-ui,sans-serif;max-width:42rem;margin:1rem auto;padding:0 1rem;color:#222}\
        nav{text-align:right}label{display:block;font-weight:600;margin:1rem 0 .3rem}\
        input[type=text]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}\
        button{margin-top:.5rem;padding:.5rem 1rem;font-size:1rem}.or{margin:1.5rem 0 0;color:#666}\
        .note{color:#555;font-size:.9rem;margin-top:2rem}.verdict{font-size:1.3rem;font-weight:700;padding:.5rem;border-radius:.3rem}\
        .likely-scam{background:#fdd}.suspicious{background:#ffe9b3}.low-risk{background:#dfd}.unknown{background:#e6e0f5}\
        .pts{display:inline-block;min-width:3rem;font-variant-numeric:tabular-nums;font-weight:600}\
        .reasons ul{color:#444;font-size:.95rem}.place{color:#666}.error{font-size:1.15rem}\
        .page small{color:#666;word-break:break-all}
        """

    /// Text made safe inside an element or a quoted attribute.
    static func escape(_ text: String) -> String { HTMLEscape.attribute(text) }
}
