import CMalloc

/// Memory that was freed but that malloc still holds.
public enum FreedMemory {
    /// Pages above this size give their memory back after parsing and after scoring.
    public static let largePageBytes = 1 << 20

    /// Hands the free pages of every malloc arena back to the system. glibc keeps what a large
    /// page freed in the arena of the thread that scored it, one arena per scoring thread, so
    /// without this a long run's resident memory is the sum of each thread's largest page.
    /// Costs about a millisecond: call it after a large page, not after every page.
    public static func giveBack() {
        _ = malloc_trim(0)
    }
}
