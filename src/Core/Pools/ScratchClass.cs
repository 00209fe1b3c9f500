using System.Runtime.CompilerServices;

namespace NPlug.Buffers.Pools;

/// <summary>One block of one-channel buffers of a size class: an <see cref="AudioBufferPool{T}"/> without thread cache.</summary>
internal sealed class ScratchTier<T> where T : unmanaged
{
    public ScratchTier(int buffers, int frames, bool trackOwners)
    {
        Pool = new AudioBufferPool<T>(buffers, 1, frames, PoolGrowthPolicy.Fixed, threadCache: false);
        Owners = trackOwners ? new long[buffers] : null;
    }

    public AudioBufferPool<T> Pool { get; }

    /// <summary>Owner tag per slot (0 = free) when the pool tracks owners.</summary>
    public long[]? Owners { get; }

    public int Capacity => Pool.Capacity;
}

/// <summary>
/// The buffers of one frame size (a power of two) and the registrations they serve. The audio thread sees only
/// <see cref="Tiers"/> (an immutable array, replaced whole off the audio thread) and a few padded counters.
/// </summary>
internal sealed class ScratchClass<T> where T : unmanaged
{
    private readonly ScratchPool<T> _pool;
    private ScratchTier<T>[] _tiers = [];

    // Audio-thread counters, each on its own cache line.
    private PaddedInt _held;
    private PaddedInt _highWater;
    private PaddedInt _recentHighWater; // since the pending trim was requested
    private PaddedLong _misses;
    private PaddedInt _peakWanted;   // largest (held + lease channels) seen at a miss since the last growth
    private PaddedLong _ownerViolations;
    private PaddedInt _heldMissBuffers; // buffers wanted by missed leases of multi-slot (held, e.g. voice) registrations

    public ScratchClass(ScratchPool<T> pool, int frames)
    {
        _pool = pool;
        Frames = frames;
    }

    public int Frames { get; }

    // ---- off the audio thread, under the pool's lock ----
    public readonly List<ScratchRegistration<T>> Registrations = new();
    public long MissesSeen;
    public bool TrimRequested;
    public long TrimRequestedAt;

    /// <summary>Asks for a trim after <c>TrimDelay</c>; the demand seen until then sets how far it may go.</summary>
    public void RequestTrim()
    {
        if (TrimRequested) return;
        TrimRequested = true;
        TrimRequestedAt = Environment.TickCount64;
        Volatile.Write(ref _recentHighWater.Value, Held);
    }

    public int RecentHighWater => Volatile.Read(ref _recentHighWater.Value);

    public ScratchTier<T>[] Tiers => Volatile.Read(ref _tiers);

    public int Held => Volatile.Read(ref _held.Value);

    public int HighWater => Volatile.Read(ref _highWater.Value);

    public long Misses => Interlocked.Read(ref _misses.Value);

    public long OwnerViolations => Interlocked.Read(ref _ownerViolations.Value);

    public int PeakWanted => Volatile.Read(ref _peakWanted.Value);

    /// <summary>Takes the count of buffers missed by held leases since the last call.</summary>
    public int TakeHeldMissBuffers() => Interlocked.Exchange(ref _heldMissBuffers.Value, 0);

    public int Capacity
    {
        get
        {
            int total = 0;
            foreach (ScratchTier<T> tier in Tiers) total += tier.Capacity;
            return total;
        }
    }

    public void ResetHighWater() => Volatile.Write(ref _highWater.Value, Held);

    public void ResetPeakWanted() => Volatile.Write(ref _peakWanted.Value, 0);

    /// <summary>Largest need among the registrations (buffers one of them may hold at once).</summary>
    public int MaxNeed
    {
        get
        {
            int max = 0;
            foreach (ScratchRegistration<T> r in Registrations) max = Math.Max(max, r.Need);
            return max;
        }
    }

    public void AddTier(int buffers, bool trackOwners)
    {
        var tier = new ScratchTier<T>(buffers, Frames, trackOwners);
        ScratchTier<T>[] current = _tiers;
        var next = new ScratchTier<T>[current.Length + 1];
        Array.Copy(current, next, current.Length);
        next[^1] = tier;
        Volatile.Write(ref _tiers, next);
    }

    /// <summary>Frees idle tiers from the end while the capacity stays at or above <paramref name="floor"/>. Returns tiers freed.</summary>
    public int TrimTo(int floor, out bool blocked)
    {
        blocked = false;
        int freed = 0;
        while (true)
        {
            ScratchTier<T>[] current = _tiers;
            if (current.Length == 0) break;
            ScratchTier<T> last = current[^1];
            if (Capacity - last.Capacity < floor) break;
            if (!last.Pool.TryRetireIfIdle())
            {
                blocked = true;
                break;
            }

            Volatile.Write(ref _tiers, current[..^1]);
            freed++;
        }

        return freed;
    }

    public void DisposeTiers()
    {
        foreach (ScratchTier<T> tier in Volatile.Read(ref _tiers)) tier.Pool.Dispose();
        Volatile.Write(ref _tiers, []);
    }

    // ---- audio thread ----

    /// <summary>
    /// Takes <paramref name="count"/> buffers into handles[first..], all or nothing, walking the tiers from the first
    /// (so later tiers stay idle and can be freed). On failure the ones taken go back and the miss is recorded.
    /// </summary>
    public bool TryAcquire(PooledAudioBuffer<T>[] handles, ScratchTier<T>?[] tierOf, int first, int count, long tag, bool heldLease)
    {
        ScratchTier<T>[] tiers = Volatile.Read(ref _tiers);
        int got = 0;
        for (int t = 0; t < tiers.Length && got < count; t++)
        {
            ScratchTier<T> tier = tiers[t];
            // An empty tier is skipped with one read (its own Acquire would count a miss with an atomic add).
            while (got < count && tier.Pool.Available > 0)
            {
                PooledAudioBuffer<T> buffer = tier.Pool.Acquire();
                if (!buffer.IsValid) break;
                long[]? owners = tier.Owners;
                if (owners != null && Interlocked.CompareExchange(ref owners[buffer.SlotIndex], tag, 0) != 0)
                    Interlocked.Increment(ref _ownerViolations.Value);
                handles[first + got] = buffer;
                tierOf[first + got] = tier;
                got++;
            }
        }

        if (got == count)
        {
            int held = Interlocked.Add(ref _held.Value, count);
            RaiseTo(ref _highWater.Value, held);
            RaiseTo(ref _recentHighWater.Value, held);
            return true;
        }

        ReleaseHandles(handles, tierOf, first, got, tag);
        Interlocked.Increment(ref _misses.Value);
        RaiseTo(ref _peakWanted.Value, Volatile.Read(ref _held.Value) + count);
        // A held lease (a voice) keeps its fallback for its whole life, so each miss is demand of its own.
        if (heldLease) Interlocked.Add(ref _heldMissBuffers.Value, count);
        return false;
    }

    public void Release(PooledAudioBuffer<T>[] handles, ScratchTier<T>?[] tierOf, int first, int count, long tag)
    {
        ReleaseHandles(handles, tierOf, first, count, tag);
        Interlocked.Add(ref _held.Value, -count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ReleaseHandles(PooledAudioBuffer<T>[] handles, ScratchTier<T>?[] tierOf, int first, int count, long tag)
    {
        for (int i = first; i < first + count; i++)
        {
            PooledAudioBuffer<T> buffer = handles[i];
            long[]? owners = tierOf[i]?.Owners;
            // Untag before the buffer goes back: after Release another holder may tag it.
            if (owners != null && Interlocked.CompareExchange(ref owners[buffer.SlotIndex], 0, tag) != tag)
                Interlocked.Increment(ref _ownerViolations.Value);
            if (!buffer.Release()) Interlocked.Increment(ref _ownerViolations.Value);
            handles[i] = default;
            tierOf[i] = null;
        }
    }

    private static void RaiseTo(ref int location, int value)
    {
        int current = Volatile.Read(ref location);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
