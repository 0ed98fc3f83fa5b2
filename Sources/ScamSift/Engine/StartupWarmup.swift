import Foundation

/// One-time set-ups that the first page would otherwise wait for, started on a thread of their
/// own first thing, so they overlap reading the command line (about a fifth of a start) and
/// the rule set instead of delaying the first page. Each is a `static let` (or ICU's own
/// once-only set-up), so the page's thread that asks while one is being made waits for it, and
/// nothing is made twice.
public enum StartupWarmup {
    /// Starts the set-ups; returns at once.
    public static func begin() {
        Thread.detachNewThread {
            // ICU's property data and the ready-made sets behind `\w`, `\s`, `\d` (about 1.5 ms).
            ICURegex.prepare()
            // The built-in text model, from 15,000 lines (8 M instructions; the engine asks
            // for it as soon as the rule set is read).
            _ = CompiledTextModel.builtIn
        }
    }
}
