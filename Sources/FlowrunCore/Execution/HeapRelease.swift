import CFlowrunShims

/// Gives the memory of loading back before a run (glibc; elsewhere nothing).
///
/// Loading a big workflow frees a tree and a model of tens of megabytes on
/// one thread's heap, and glibc raises its mmap threshold to the biggest
/// block freed, so the run's own big arrays then come from heaps that are
/// never returned either: 100,000 sleep tasks peaked at 64 MB of RSS for a
/// 43 MB heap peak. Trimming once, and keeping blocks of 256 KiB and more
/// in their own mappings (returned when freed), took it to 57 MB.
enum HeapRelease {
    static func afterLoading() {
        flowrun_release_heap(256 << 10)
    }
}
