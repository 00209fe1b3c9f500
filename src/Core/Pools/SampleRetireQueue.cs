namespace NPlug.Buffers.Pools;

/// <summary>
/// Where <see cref="SharedSampleBuffer"/>s go when their last reference is dropped, so their memory is freed on a
/// non-audio thread. Enqueueing (done by <see cref="SharedSampleBuffer.Release"/>) is lock-free and allocation-free:
/// the queue is an intrusive stack linked through the buffers themselves, pushed with compare-and-swap and emptied
/// whole with one exchange, which has no ABA hazard because nodes are never popped one by one.
/// </summary>
public sealed class SampleRetireQueue
{
    private SharedSampleBuffer? _head;
    private long _liveBytes;
    private long _retiredCount;
    private long _freedCount;

    /// <summary>Native bytes held by buffers of this queue that were not freed yet (live or waiting).</summary>
    public long LiveBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>Buffers retired so far (last reference dropped).</summary>
    public long RetiredCount => Interlocked.Read(ref _retiredCount);

    /// <summary>Buffers freed so far by <see cref="CollectRetired"/>.</summary>
    public long FreedCount => Interlocked.Read(ref _freedCount);

    /// <summary>Buffers waiting to be freed (a snapshot).</summary>
    public long PendingCount => RetiredCount - FreedCount;

    /// <summary>
    /// Non-audio thread only: frees every buffer retired so far and returns how many were freed. Safe to call
    /// concurrently with releases on other threads; buffers retired meanwhile wait for the next call.
    /// </summary>
    public int CollectRetired()
    {
        SharedSampleBuffer? node = Interlocked.Exchange(ref _head, null);
        int freed = 0;
        while (node != null)
        {
            SharedSampleBuffer? next = node.NextRetired;
            node.NextRetired = null;
            node.FreeNative();
            freed++;
            node = next;
        }

        Interlocked.Add(ref _freedCount, freed);
        return freed;
    }

    internal void Enqueue(SharedSampleBuffer buffer)
    {
        Interlocked.Increment(ref _retiredCount);
        SharedSampleBuffer? head = Volatile.Read(ref _head);
        while (true)
        {
            buffer.NextRetired = head;
            SharedSampleBuffer? seen = Interlocked.CompareExchange(ref _head, buffer, head);
            if (ReferenceEquals(seen, head)) return;
            head = seen;
        }
    }

    internal void OnAllocated(long bytes) => Interlocked.Add(ref _liveBytes, bytes);

    internal void OnFreed(long bytes) => Interlocked.Add(ref _liveBytes, -bytes);
}
