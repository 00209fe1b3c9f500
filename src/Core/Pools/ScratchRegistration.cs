using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NPlug.Buffers.Pools;

/// <summary>
/// One instance's declared scratch need in a <see cref="ScratchPool{T}"/>: up to <see cref="Slots"/> concurrent leases of
/// up to <see cref="Channels"/> channels x <see cref="MaxFrames"/> frames. Created off the audio thread (activation) by
/// <see cref="ScratchPool{T}.Register"/>; disposed off the audio thread (deactivation), which gives back anything still
/// leased and lets the pool shrink.
/// </summary>
/// <remarks>
/// <para>Audio-safe, owning thread only (the thread processing the instance; instances may move between threads from
/// block to block, but never run on two at once): <see cref="Rent(int, int)"/>, <see cref="Rent(int, int, int)"/>,
/// <see cref="ScratchLease{T}.Dispose"/>, <see cref="IsLeased"/> and the properties. They never allocate, lock or throw;
/// a pooled lease costs one compare-and-swap per channel on the way out and on the way back, plus one atomic add on the
/// class's held counter each way.</para>
/// <para>Exhaustion: a lease that cannot get all its channels from the pool gets them from this registration's fallback
/// (<see cref="Channels"/> x <see cref="FallbackFrames"/>, allocated here), so <see cref="ScratchLease{T}.Frames"/> is
/// smaller and the caller processes in shorter passes. The miss is counted; the module's worker grows the pool later.
/// The fallback is one lease wide: slots that fell back at the same time share it, which is right for holders that
/// render one after another (voices), and the reason block-scoped users should lease once per block.</para>
/// </remarks>
public sealed unsafe class ScratchRegistration<T> : IDisposable where T : unmanaged
{
    private const int Alignment = 64;
    private const byte SlotFree = 0;
    private const byte SlotPooled = 1;
    private const byte SlotFallback = 2;

    private readonly ScratchPool<T> _pool;
    private readonly PooledAudioBuffer<T>[] _handles;   // Slots x Channels
    private readonly ScratchTier<T>?[] _handleTier;     // which tier each handle came from (owner tags)
    private readonly byte[] _slotState;
    private readonly int[] _slotGeneration;
    private readonly int[] _slotChannels;
    private T** _table;      // Slots x Channels channel pointers (native)
    private T* _fallback;    // Channels x FallbackStride samples (native)
    private readonly int _fallbackStride;
    private volatile bool _disposed;

    // Counters written only by the owning thread (plain stores), read by statistics.
    internal long LeaseCount;
    internal long ReturnCount;
    internal long BuffersAcquired;
    internal long BuffersReleased;
    internal long MissCount;
    internal long RejectedCount;

    internal ScratchRegistration(ScratchPool<T> pool, ScratchClass<T> sizeClass, int id, int channels, int maxFrames, int slots,
        int fallbackFrames, string? name)
    {
        _pool = pool;
        Class = sizeClass;
        Id = id;
        Channels = channels;
        MaxFrames = maxFrames;
        Slots = slots;
        FallbackFrames = fallbackFrames;
        Name = name;

        int entries = channels * slots;
        _handles = new PooledAudioBuffer<T>[entries];
        _handleTier = new ScratchTier<T>?[entries];
        _slotState = new byte[slots];
        _slotGeneration = new int[slots];
        _slotChannels = new int[slots];
        int perLine = Alignment / sizeof(T);
        _fallbackStride = (fallbackFrames + perLine - 1) / perLine * perLine;
        FallbackBytes = (long)channels * _fallbackStride * sizeof(T);
        _table = (T**)NativeMemory.AlignedAlloc((nuint)(entries * sizeof(T*)), Alignment);
        _fallback = (T*)NativeMemory.AlignedAlloc((nuint)FallbackBytes, Alignment);
        NativeMemory.Clear(_fallback, (nuint)FallbackBytes);
        NativeMemory.Clear(_table, (nuint)(entries * sizeof(T*)));
    }

    internal ScratchClass<T> Class { get; }

    /// <summary>Unique within its pool; the high bits of the owner tags.</summary>
    public int Id { get; }

    /// <summary>Most channels one lease may have.</summary>
    public int Channels { get; }

    /// <summary>Most frames a pooled lease offers per pass (the instance's maximum block size, or its render quantum).</summary>
    public int MaxFrames { get; }

    /// <summary>Leases this registration may hold at once (1 for block scratch; the voice count for per-voice buffers).</summary>
    public int Slots { get; }

    /// <summary>Frames per pass when a lease fell back.</summary>
    public int FallbackFrames { get; }

    /// <summary>Frames of the pool buffers serving this registration (its size class: a power of two ≥ <see cref="MaxFrames"/>).</summary>
    public int ClassFrames => Class.Frames;

    /// <summary>Buffers this registration may hold at once: <see cref="Channels"/> x <see cref="Slots"/>.</summary>
    public int Need => Channels * Slots;

    /// <summary>Bytes the same need would take as private scratch (<see cref="Need"/> x <see cref="MaxFrames"/> samples).</summary>
    public long PrivateBytes => (long)Need * MaxFrames * sizeof(T);

    public long FallbackBytes { get; }

    public string? Name { get; }

    public bool IsDisposed => _disposed;

    /// <summary>Leases of this registration that fell back (a snapshot).</summary>
    public long Misses => Volatile.Read(ref MissCount);

    /// <summary>Leases handed out (a snapshot).</summary>
    public long Leases => Volatile.Read(ref LeaseCount);

    /// <summary>Leases returned (a snapshot).</summary>
    public long Returns => Volatile.Read(ref ReturnCount);

    /// <summary>Whether <paramref name="slot"/> holds a lease now. Audio-safe.</summary>
    public bool IsLeased(int slot) => (uint)slot < (uint)Slots && _slotState[slot] != SlotFree;

    /// <summary>Leases <paramref name="channels"/> channels for up to <paramref name="frames"/> frames in slot 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ScratchLease<T> Rent(int channels, int frames) => Rent(0, channels, frames);

    /// <summary>
    /// Leases <paramref name="channels"/> channels for up to <paramref name="frames"/> frames in <paramref name="slot"/>.
    /// Audio-safe. The lease's <see cref="ScratchLease{T}.Frames"/> says how many frames to process per pass. Returns the
    /// empty lease (and counts a rejection) for a slot that is already leased, arguments out of range, or a disposed
    /// registration.
    /// </summary>
    public ScratchLease<T> Rent(int slot, int channels, int frames)
    {
        if ((uint)slot >= (uint)Slots || (uint)(channels - 1) >= (uint)Channels || frames <= 0 || _disposed
            || _slotState[slot] != SlotFree)
        {
            RejectedCount++;
            return default;
        }

        int first = slot * Channels;
        T** table = _table + first;
        int generation = ++_slotGeneration[slot];
        _slotChannels[slot] = channels;
        LeaseCount++;
        if (Class.TryAcquire(_handles, _handleTier, first, channels, OwnerTag(slot), heldLease: Slots > 1))
        {
            for (int c = 0; c < channels; c++) table[c] = _handles[first + c].GetChannelPointer(0);
            _slotState[slot] = SlotPooled;
            BuffersAcquired += channels;
            return new ScratchLease<T>(this, table, channels, Math.Min(frames, MaxFrames), slot, generation, pooled: true);
        }

        for (int c = 0; c < channels; c++) table[c] = _fallback + (nint)c * _fallbackStride;
        _slotState[slot] = SlotFallback;
        MissCount++;
        return new ScratchLease<T>(this, table, channels, Math.Min(frames, FallbackFrames), slot, generation, pooled: false);
    }

    internal void Return(int slot, int generation)
    {
        if ((uint)slot >= (uint)Slots || _disposed)
        {
            RejectedCount++;
            return;
        }

        byte state = _slotState[slot];
        if (state == SlotFree || _slotGeneration[slot] != generation)
        {
            RejectedCount++;
            return;
        }

        if (state == SlotPooled)
        {
            int channels = _slotChannels[slot];
            Class.Release(_handles, _handleTier, slot * Channels, channels, OwnerTag(slot));
            BuffersReleased += channels;
        }

        _slotState[slot] = SlotFree;
        ReturnCount++;
    }

    /// <summary>Owner tag of a slot: never 0, unique per (registration, slot) within the pool.</summary>
    private long OwnerTag(int slot) => ((long)Id << 24) | (uint)(slot + 1);

    /// <summary>
    /// Off the audio thread, once the owner stopped processing: gives back every lease still held, unregisters (the
    /// pool may shrink on its next maintenance) and frees the fallback.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        for (int s = 0; s < Slots; s++)
        {
            if (_slotState[s] != SlotFree) Return(s, _slotGeneration[s]);
        }

        _disposed = true;
        _pool.Unregister(this);
        NativeMemory.AlignedFree(_fallback);
        NativeMemory.AlignedFree(_table);
        _fallback = null;
        _table = null;
        GC.SuppressFinalize(this);
    }

    ~ScratchRegistration()
    {
        // Abandoned without Dispose: no thread can lease through it any more, so the native memory can go. Pool buffers
        // it still held are lost to the pool (visible as BuffersHeld that never comes back).
        if (_fallback != null) NativeMemory.AlignedFree(_fallback);
        if (_table != null) NativeMemory.AlignedFree(_table);
    }
}
