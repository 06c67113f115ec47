import CFlowrunShims

/// Gives the memory of loading back before a run (glibc; elsewhere nothing).
///
/// Loading a big workflow frees a tree and a model of tens of megabytes on
/// one thread's heap, and glibc raises its mmap threshold to the biggest
/// block freed, so the run's own big arrays then come from heaps that are
/// never returned either: 100,000 sleep tasks peaked at 64 MB of RSS for a
/// 43 MB heap peak. Trimming once, and keeping blocks of 2 MiB and more
/// in their own mappings (returned when freed), took it to 57-62 MB. Not
/// 256 KiB: the output path's batches of up to 1 MiB (one pipe read) would
/// each be mapped, faulted in and unmapped (100 MB of prefixed output: 14,000
/// page faults became 96,000 and its CPU doubled).
enum HeapRelease {
    static func afterLoading() {
        flowrun_release_heap(2 << 20)
    }
}
