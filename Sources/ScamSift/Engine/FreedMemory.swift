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

    /// From now on, blocks of 256 KiB or more are mapped on their own and unmapped as soon as
    /// they are freed. glibc's default raises that threshold to the largest block freed so far
    /// (up to 32 MiB): after one 5 MB body, every later one came from the arenas, which keep
    /// what is freed. For long runs that meet large pages (`batch`): mapping costs a system call
    /// and fresh zeroed pages per block, which a run of small pages never reaches.
    public static func returnLargeBlocksAtOnce() {
        _ = mallopt(M_MMAP_THRESHOLD, 256 * 1024)
    }
}
