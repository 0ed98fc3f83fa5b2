/// Whether a page shows enough to be judged. Most task and VIP apps show an empty app shell
/// or a sign-in form before login; with no rule firing, a score of 0 would read as "safe".
/// Such a page gets the verdict `unknown` unless its rules raise it to `suspicious` or above.
///
/// Counted: the letters and digits of the visible text and the title (not the hidden text, the
/// scripts or the attributes), and of the hidden text too when a `<template>` or `<noscript>` held
/// words (`Page.templateText`): a page saved from an app's source (Vue, uni-app) keeps all its
/// words there, and they were read.
/// Thresholds:
/// - no text at all, and no script: an empty page;
/// - fewer than `appShellCharacters` with at least one script: an app shell (the page is built
///   by its scripts, which ScamSift does not run);
/// - fewer than `loginWallCharacters` with a password field: a sign-in wall;
/// - otherwise fewer than `minCharacters`: too little text.
public struct ThinContent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case emptyPage = "empty-page"
        case appShell = "app-shell"
        case loginWall = "login-wall"
        case littleText = "little-text"
    }

    public var kind: Kind
    /// Letters and digits of the visible text and the title (and of the hidden text, see above).
    public var textCharacters: Int

    public static let minCharacters = 200
    public static let appShellCharacters = 400
    public static let loginWallCharacters = 600

    enum CodingKeys: String, CodingKey { case kind, textCharacters = "text_characters" }

    /// What a reader is told.
    public var reason: String {
        switch kind {
        case .emptyPage: "the page shows no text"
        case .appShell: "the page is built by its scripts, which ScamSift does not run (\(textCharacters) characters of text)"
        case .loginWall: "the page asks you to sign in first (\(textCharacters) characters of text)"
        case .littleText: "the page shows only \(textCharacters) characters of text"
        }
    }

    /// Nil when the page shows enough to be judged.
    public static func assess(_ page: Page) -> ThinContent? {
        // Counted only up to the largest threshold: this runs on every page, and past it the
        // page is judged whatever its length (the count is exact whenever it is reported).
        var characters = count(page.title, upTo: loginWallCharacters)
        for block in page.textBlocks where characters < loginWallCharacters {
            characters += count(block, upTo: loginWallCharacters - characters)
        }
        if page.templateText {
            for block in page.hiddenBlocks where characters < loginWallCharacters {
                characters += count(block, upTo: loginWallCharacters - characters)
            }
        }
        let scripts = !page.scripts.isEmpty
        let password = page.forms.contains { $0.fields.contains { $0.type.lowercased() == "password" } }
        if characters == 0 && !scripts { return ThinContent(kind: .emptyPage, textCharacters: 0) }
        if password && characters < loginWallCharacters { return ThinContent(kind: .loginWall, textCharacters: characters) }
        if scripts && characters < appShellCharacters { return ThinContent(kind: .appShell, textCharacters: characters) }
        if characters < minCharacters { return ThinContent(kind: .littleText, textCharacters: characters) }
        return nil
    }

    /// Letters and digits in `s`, stopping at `limit`.
    static func count(_ s: String, upTo limit: Int = .max) -> Int {
        var n = 0
        for scalar in s.unicodeScalars where WordChars.isWord(scalar) || WordChars.isSpaceless(scalar.value) {
            n += 1
            if n >= limit { break }
        }
        return n
    }
}
