namespace NPlug.Buffers.Pools;

/// <summary>
/// A snapshot of an <see cref="AudioBufferPool{T}"/>'s counters (seed 004's <c>PoolStats</c>).
/// </summary>
/// <remarks>
/// Taken while other threads acquire and release, the fields are read one after another, so they may disagree by
/// the operations in flight. With the pool quiescent they balance exactly:
/// <c>Available + InUse == Capacity</c> and <c>TotalAcquires - TotalReleases == InUse</c>.
/// </remarks>
public readonly struct PoolStatistics
{
    public PoolStatistics(
        int capacity,
        int available,
        int inUse,
        long totalAcquires,
        long totalReleases,
        long misses,
        int peakInUse,
        long rejectedReleases,
        int threadCached = 0,
        int localCached = 0)
    {
        Capacity = capacity;
        Available = available;
        InUse = inUse;
        TotalAcquires = totalAcquires;
        TotalReleases = totalReleases;
        Misses = misses;
        PeakInUse = peakInUse;
        RejectedReleases = rejectedReleases;
        ThreadCached = threadCached;
        LocalCached = localCached;
    }

    /// <summary>Buffers the pool owns (grows only through the growth policy).</summary>
    public int Capacity { get; }

    /// <summary>Free buffers: on the shared free list, in a thread's cache (<see cref="ThreadCached"/>) or in a caller-held cache (<see cref="LocalCached"/>).</summary>
    public int Available { get; }

    /// <summary>Buffers with at least one live reference.</summary>
    public int InUse { get; }

    /// <summary>Successful acquires since creation.</summary>
    public long TotalAcquires { get; }

    /// <summary>Buffers returned to the pool (last reference released) since creation.</summary>
    public long TotalReleases { get; }

    /// <summary>Acquires that found the pool empty.</summary>
    public long Misses { get; }

    /// <summary>
    /// Highest number of buffers out of the shared free list at once (in use, or parked in a thread cache). Updated when
    /// a buffer leaves the shared list, so the thread-cache fast path costs nothing.
    /// </summary>
    public int PeakInUse { get; }

    /// <summary>Releases or AddRefs through a stale handle (double release) that were refused.</summary>
    public long RejectedReleases { get; }

    /// <summary>Of <see cref="Available"/>, the buffers kept in threads' caches (usable only by their thread).</summary>
    public int ThreadCached { get; }

    /// <summary>
    /// Of <see cref="Available"/>, the buffers parked in caller-held caches
    /// (<see cref="AudioBufferPool{T}.CreateLocalCache"/>), usable only by their owner.
    /// </summary>
    public int LocalCached { get; }

    public override string ToString() =>
        $"capacity {Capacity}, available {Available}, in use {InUse}, acquires {TotalAcquires}, " +
        $"releases {TotalReleases}, misses {Misses}, peak {PeakInUse}, rejected {RejectedReleases}, thread-cached {ThreadCached}, local-cached {LocalCached}";
}
