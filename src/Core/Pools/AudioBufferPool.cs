using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NPlug.Buffers.Pools;

/// <summary>
/// A fixed set of planar audio buffers (<see cref="ChannelCount"/> x <see cref="FrameCount"/> samples each) in native,
/// 64-byte aligned memory, handed out and taken back without locks or allocation.
/// </summary>
/// <remarks>
/// <para>Audio-safe (any thread, any number of threads): <see cref="TryAcquire"/>, and everything on
/// <see cref="PooledAudioBuffer{T}"/> including <c>AddRef</c>/<c>Release</c>. They are lock-free, O(1) and never allocate;
/// an empty pool answers "none" and counts a miss instead of blocking or growing.</para>
/// <para>Non-audio only: the constructor, <see cref="EnsureCapacity"/>, <see cref="Maintain"/>,
/// <see cref="GetStatistics"/> (it walks every slot) and <see cref="Dispose"/>. Growth adds a new native segment;
/// buffers already handed out never move.</para>
/// <para>The free list is a Treiber stack of slot indices. Its head packs the top index, the free count and a 32-bit
/// version tag into one 64-bit word, so a pop that read a stale next index fails its compare-and-swap (ABA-safe).
/// Each slot has a 64-bit state word: a 40-bit generation (bumped on every acquire) and a 24-bit reference count. A
/// handle remembers the generation it was issued with, so a release through a stale handle (double release) is
/// refused rather than stealing a reference from the slot's next owner.</para>
/// <para>Thread cache: a buffer whose last reference is released goes first into a small cache of the releasing thread
/// (<see cref="ThreadCacheSize"/> slots, like <c>ArrayPool.Shared</c>'s per-thread arrays), and that thread's next
/// acquire takes it from there. A thread has one such cache; it serves the pool that first released into it while it
/// was empty (other pools used by the same thread take the shared path until it empties). The audio thread's acquire/use/release cycle therefore runs without a single atomic
/// instruction, which is what makes it cheaper than <c>ArrayPool</c>. Cached buffers are free but reserved for their
/// thread: another thread can miss while up to <see cref="ThreadCacheSize"/> buffers sit in each other thread's cache.
/// <see cref="FlushThreadCache"/> hands them back; a thread that dies returns them through a finalizer. Disable the
/// cache with the constructor's <c>threadCache</c> argument when that trade is wrong for you.</para>
/// <para>Caller-held cache: an owner that runs on one known thread (a processor) can skip even the thread-static lookup
/// with <see cref="CreateLocalCache"/>; see <see cref="LocalCache"/>.</para>
/// <para>Releasing the last reference is a plain store (the sole holder has nobody to race with), so two threads that
/// release the same single reference at the same instant are a caller bug the pool cannot catch; any later release
/// through that handle, or through any stale handle, is refused.</para>
/// </remarks>
public sealed unsafe class AudioBufferPool<T> : IDisposable, IThreadCacheOwner where T : unmanaged
{
    /// <summary>Largest capacity a pool can have: slot indices and the free count are 16-bit fields of the head.</summary>
    public const int MaxSupportedCapacity = 0xFFFF;

    /// <summary>Most references a single buffer can hold at once.</summary>
    public const int MaxReferenceCount = (1 << RefBits) - 1;

    internal const int RefBits = 24;
    internal const long RefMask = (1L << RefBits) - 1;
    internal const long GenerationMask = (1L << (64 - RefBits)) - 1;
    private const int EmptyIndex = 0xFFFF;
    private const int Alignment = 64;

    /// <summary>Free buffers a thread may keep for itself (see <see cref="FlushThreadCache"/>).</summary>
    public const int ThreadCacheSize = AudioBufferPoolConstants.ThreadCacheSize;

    private readonly SlotHeader* _slots;
    private readonly int _channelStride;
    private readonly PoolGrowthPolicy _growth;
    private readonly List<nint> _segments = new();
    private readonly object _growthLock = new();
    private readonly List<LocalCache> _localCaches = new();

    // Hot words on their own cache lines: the head is hammered by every thread, the others are cold or read-mostly.
    private PaddedLong _head;
    private PaddedInt _peakInUse;
    private long _misses;
    private long _rejected;
    private long _missesAtLastMaintain;
    private volatile int _capacity;
    private volatile bool _disposed;
    private bool _headersDeferred; // retired while live: the slot headers are freed by the finalizer
    private readonly bool _threadCacheEnabled;


    /// <summary>Creates a pool with seed 001's defaults: 16 buffers of 2 channels x 512 frames, fixed size.</summary>
    public AudioBufferPool()
        : this(16, 2, 512, PoolGrowthPolicy.Fixed)
    {
    }

    /// <summary>Creates and fills a pool on the calling (non-audio) thread.</summary>
    /// <param name="bufferCount">Buffers allocated up front (1 to <see cref="MaxSupportedCapacity"/>).</param>
    /// <param name="channelCount">Channels per buffer.</param>
    /// <param name="frameCount">Frames per channel.</param>
    /// <param name="growth">How <see cref="EnsureCapacity"/>/<see cref="Maintain"/> may grow the pool.</param>
    /// <param name="threadCache">
    /// Let each thread keep up to <see cref="ThreadCacheSize"/> buffers it released for its next acquires (the fast
    /// path, no atomic instruction). Turn it off when every free buffer must be visible to every thread at once.
    /// </param>
    public AudioBufferPool(int bufferCount, int channelCount, int frameCount, PoolGrowthPolicy growth = default, bool threadCache = true)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException("AudioBufferPool holds float or double samples.");
        if (bufferCount <= 0 || bufferCount > MaxSupportedCapacity) throw new ArgumentOutOfRangeException(nameof(bufferCount));
        if (channelCount <= 0) throw new ArgumentOutOfRangeException(nameof(channelCount));
        if (frameCount <= 0) throw new ArgumentOutOfRangeException(nameof(frameCount));

        int perLine = Alignment / sizeof(T);
        long stride = ((long)frameCount + perLine - 1) / perLine * perLine;
        if (stride * channelCount * sizeof(T) > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(frameCount));

        ChannelCount = channelCount;
        FrameCount = frameCount;
        _channelStride = (int)stride;
        _growth = growth;
        _threadCacheEnabled = threadCache;
        MaxCapacity = Math.Min(growth.ResolveMaxCapacity(bufferCount), MaxSupportedCapacity);

        // Headers for every slot the pool may ever have, so growth never moves them.
        nuint headerBytes = (nuint)MaxCapacity * (nuint)sizeof(SlotHeader);
        _slots = (SlotHeader*)NativeMemory.AlignedAlloc(headerBytes, Alignment);
        NativeMemory.Clear(_slots, headerBytes);
        _head.Value = EmptyIndex;

        AddSegment(0, bufferCount);
    }

    public int ChannelCount { get; }

    public int FrameCount { get; }

    /// <summary>Distance in samples between the starts of two channels of one buffer (frames rounded up to 64 bytes).</summary>
    public int ChannelStride => _channelStride;

    /// <summary>Buffers the pool currently owns.</summary>
    public int Capacity => _capacity;

    /// <summary>Capacity the growth policy may reach.</summary>
    public int MaxCapacity { get; }

    public PoolGrowthPolicy Growth => _growth;

    /// <summary>Native bytes of sample memory the pool holds.</summary>
    public long SampleBytes => (long)_capacity * ChannelCount * _channelStride * sizeof(T);

    /// <summary>Buffers on the shared free list, not counting threads' caches (a racy but cheap read; audio-safe).</summary>
    public int Available => (int)((Volatile.Read(ref _head.Value) >> 16) & 0xFFFF);

    /// <summary>
    /// Takes a free buffer with one reference. Audio-safe: lock-free, O(1), no allocation.
    /// </summary>
    /// <returns>False (and <paramref name="buffer"/> is the empty handle) when the pool is empty; the miss is counted.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryAcquire(out PooledAudioBuffer<T> buffer)
    {
        buffer = Acquire();
        return buffer.IsValid;
    }

    /// <summary>
    /// Like <see cref="TryAcquire"/>, returning the handle itself: the empty handle (<c>IsValid == false</c>) when the
    /// pool is empty. Audio-safe.
    /// </summary>
    public PooledAudioBuffer<T> Acquire()
    {
        int index;
        // Without a thread cache, never touch the thread static: the first access on a thread allocates the thread's
        // static storage (~150-300 B), which must not happen on an audio thread.
        PoolThreadCache? cache = _threadCacheEnabled ? PoolThreadCache.Current : null;
        if (cache != null && cache.Owner == this && cache.Count > 0 && !_disposed)
        {
            // Fast path: a buffer this thread released earlier. No atomic instruction at all.
            index = cache.Slots[--cache.Count];
        }
        else
        {
            index = PopShared();
            if (index < 0) return default;
        }

        return Issue(index);
    }

    /// <summary>Hands out a free slot this caller alone holds (from a cache or the shared list) with one reference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private PooledAudioBuffer<T> Issue(int index)
    {
        ref SlotHeader slot = ref _slots[index];
        // The slot is ours alone now (its count is 0, so no handle can change it): a plain publish is enough.
        long generation = (long)((((ulong)slot.State >> RefBits) + 1) & (ulong)GenerationMask);
        Volatile.Write(ref slot.State, (generation << RefBits) | 1);
        return new PooledAudioBuffer<T>(this, (T*)slot.Data, (generation << 16) | (uint)index);
    }

    /// <summary>Pops the shared free list; -1 (and a counted miss) when it is empty.</summary>
    private int PopShared()
    {
        long head = Volatile.Read(ref _head.Value);
        int index;
        while (!TryPopFrom(ref head, out index))
        {
            if ((head & 0xFFFF) == EmptyIndex)
            {
                Interlocked.Increment(ref _misses);
                return -1;
            }
        }

        return index;
    }

    /// <summary>
    /// Grows the pool (non-audio thread) to at least <paramref name="capacity"/> buffers, clamped to
    /// <see cref="MaxCapacity"/>, in one new segment. Returns the capacity afterwards.
    /// </summary>
    public int EnsureCapacity(int capacity)
    {
        lock (_growthLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int current = _capacity;
            int target = Math.Min(capacity, MaxCapacity);
            if (target > current) AddSegment(current, target - current);
            return _capacity;
        }
    }

    /// <summary>
    /// Maintenance tick for a non-audio thread (e.g. a UI timer): if the pool missed since the last call, or has no free
    /// buffer left, it grows one step of its <see cref="Growth"/> policy. Returns the number of buffers added.
    /// </summary>
    public int Maintain()
    {
        lock (_growthLock)
        {
            if (_disposed) return 0;
            long misses = Interlocked.Read(ref _misses);
            bool pressure = misses != _missesAtLastMaintain || Available == 0;
            _missesAtLastMaintain = misses;
            int current = _capacity;
            if (!pressure || _growth.Kind == PoolGrowthKind.Fixed) return 0;
            int target = _growth.NextCapacity(current, MaxCapacity);
            if (target <= current) return 0;
            AddSegment(current, target - current);
            return target - current;
        }
    }

    /// <summary>
    /// A snapshot of the counters (non-audio thread: it walks every slot, O(capacity)). Acquire and release totals are
    /// derived from the per-slot generations, so the hot path pays no shared counter.
    /// </summary>
    public PoolStatistics GetStatistics()
    {
        if (_disposed) return default;
        int capacity = _capacity;
        long acquires = 0;
        int inUse = 0;
        for (int i = 0; i < capacity; i++)
        {
            long state = Volatile.Read(ref _slots[i].State);
            acquires += (long)((ulong)state >> RefBits);
            if ((state & RefMask) != 0) inUse++;
        }

        int available = capacity - inUse;
        int onFreeList = Math.Min(Available, available);
        int localCached = 0;
        lock (_growthLock)
        {
            foreach (LocalCache local in _localCaches) localCached += local.Count;
        }

        localCached = Math.Min(localCached, available - onFreeList);
        return new PoolStatistics(
            capacity,
            available,
            inUse,
            acquires,
            acquires - inUse,
            Interlocked.Read(ref _misses),
            Volatile.Read(ref _peakInUse.Value),
            Interlocked.Read(ref _rejected),
            available - onFreeList - localCached,
            localCached);
    }

    /// <summary>
    /// Frees the native memory (non-audio thread). Call it only once every buffer has been released and no thread is
    /// acquiring: handles that outlive the pool see an empty pool and refuse to release.
    /// </summary>
    public void Dispose()
    {
        lock (_growthLock)
        {
            if (_disposed) return;
            if (_headersDeferred) return; // retired: the finalizer frees the headers
            _disposed = true;
            Volatile.Write(ref _head.Value, EmptyIndex);
            foreach (nint segment in _segments) NativeMemory.AlignedFree((void*)segment);
            _segments.Clear();
            NativeMemory.AlignedFree(_slots);
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Retires an idle pool (non-audio thread): succeeds only if every buffer is on the shared free list at the instant
    /// of one compare-and-swap that closes the list, so no thread holds or can still take a buffer. The sample memory is
    /// freed at once; the slot headers stay until the pool object is unreachable (a thread that read the head just
    /// before the close may still read a header's link before its own CAS fails). Afterwards the pool behaves as
    /// disposed: acquires miss, releases are refused. False (and nothing changes) when a buffer is out, parked in a
    /// cache, or the pool has a thread cache or a local cache.
    /// </summary>
    internal bool TryRetireIfIdle()
    {
        lock (_growthLock)
        {
            if (_disposed) return true;
            if (_threadCacheEnabled || _localCaches.Count > 0) return false;
            long head = Volatile.Read(ref _head.Value);
            if (((head >> 16) & 0xFFFF) != _capacity) return false;
            long closed = ((long)(((ulong)head >> 32) + 1) << 32) | EmptyIndex;
            if (Interlocked.CompareExchange(ref _head.Value, closed, head) != head) return false;
            _disposed = true;
            _headersDeferred = true;
            foreach (nint segment in _segments) NativeMemory.AlignedFree((void*)segment);
            _segments.Clear();
            return true;
        }
    }

    ~AudioBufferPool()
    {
        if (_headersDeferred)
        {
            NativeMemory.AlignedFree(_slots);
            return;
        }

        if (_disposed) return;
        _disposed = true; // a thread cache finalized after us must not push into freed memory
        foreach (nint segment in _segments) NativeMemory.AlignedFree((void*)segment);
        NativeMemory.AlignedFree(_slots);
    }

    // ---- handle support (called through PooledAudioBuffer<T>) ----

    internal void** GetChannelTable(int index) => _slots[index].Channels;

    internal int ReferenceCount(long token)
    {
        if (_disposed) return 0;
        long state = Volatile.Read(ref _slots[(int)(token & 0xFFFF)].State);
        return (state >> RefBits) == (token >> 16) ? (int)(state & RefMask) : 0;
    }

    internal bool AddRef(long token)
    {
        if (_disposed) return false;
        ref long state = ref _slots[(int)(token & 0xFFFF)].State;
        long generation = token >> 16;
        long current = Volatile.Read(ref state);
        while (true)
        {
            long count = current & RefMask;
            if ((current >> RefBits) != generation || count == 0 || count == RefMask)
            {
                Interlocked.Increment(ref _rejected);
                return false;
            }

            long seen = Interlocked.CompareExchange(ref state, current + 1, current);
            if (seen == current) return true;
            current = seen;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool Release(long token)
    {
        if (!_disposed)
        {
            if (TryDropSoleReference(token))
            {
                int index = (int)(token & 0xFFFF);
                PoolThreadCache? cache = _threadCacheEnabled ? PoolThreadCache.Current : null;
                if (cache != null && cache.Owner == this && cache.Count < ThreadCacheSize)
                    cache.Slots[cache.Count++] = index;
                else
                    ReturnSlot(index);
                return true;
            }
        }

        return ReleaseShared(token);
    }

    /// <summary>
    /// Drops the reference of a caller that holds the only one (right generation, count 1) with a plain store; false,
    /// and nothing changes, otherwise. The caller then owns the free slot and must park or push it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryDropSoleReference(long token)
    {
        ref long state = ref _slots[(int)(token & 0xFFFF)].State;
        long current = Volatile.Read(ref state);
        // One compare checks both "right generation" and "count is 1". The caller then holds the only reference,
        // so no other thread may legitimately AddRef or Release this generation: a plain store is enough, and it is
        // what makes the single-thread cycle free of atomic instructions.
        if (current != (((token >> 16) << RefBits) | 1)) return false;
        Volatile.Write(ref state, current - 1);
        return true;
    }

    /// <summary>Release when the count is above one (CAS), the handle is stale, or the pool is disposed.</summary>
    private bool ReleaseShared(long token)
    {
        if (_disposed) return false;
        int index = (int)(token & 0xFFFF);
        ref long state = ref _slots[index].State;
        long generation = token >> 16;
        long current = Volatile.Read(ref state);
        while (true)
        {
            long count = current & RefMask;
            if ((current >> RefBits) != generation || count == 0)
            {
                Interlocked.Increment(ref _rejected);
                return false;
            }

            if (count == 1)
            {
                // Other holders released meanwhile; this is now the sole reference (see Release).
                Volatile.Write(ref state, current - 1);
                ReturnSlot(index);
                return true;
            }

            long seen = Interlocked.CompareExchange(ref state, current - 1, current);
            if (seen == current) return true;
            current = seen;
        }
    }

    /// <summary>
    /// Moves the buffers this thread has cached for this pool back to the shared free list, so other threads can take
    /// them. Call it on a thread that stops using the pool (a thread that just exits gets its cache returned by the
    /// finalizer of its cache object after a garbage collection).
    /// </summary>
    public void FlushThreadCache()
    {
        PoolThreadCache? cache = PoolThreadCache.Current;
        if (cache == null || cache.Owner != this) return;
        cache.ReturnAll();
    }

    /// <summary>
    /// Creates a caller-held cache of up to <paramref name="capacity"/> free buffers of this pool (non-audio thread: it
    /// allocates). The thread that owns it (one audio thread, e.g. a processor's) acquires and releases through it
    /// without any atomic instruction or thread-static lookup. See <see cref="LocalCache"/>.
    /// </summary>
    public LocalCache CreateLocalCache(int capacity = ThreadCacheSize)
    {
        if (capacity <= 0 || capacity > MaxSupportedCapacity) throw new ArgumentOutOfRangeException(nameof(capacity));
        lock (_growthLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var cache = new LocalCache(this, capacity);
            _localCaches.Add(cache);
            return cache;
        }
    }

    private void Unregister(LocalCache cache)
    {
        lock (_growthLock) _localCaches.Remove(cache);
    }

    /// <summary>
    /// A small stack of free buffers of one pool, held by the caller rather than by a thread: the audio thread's owner
    /// (a processor, a voice) creates it once off the audio thread with <see cref="CreateLocalCache"/>, then acquires and
    /// releases through it. A release that drops the only reference parks the slot here with plain stores, and the next
    /// acquire takes it back, so the cycle has no atomic instruction and no thread-static lookup.
    /// </summary>
    /// <remarks>
    /// <para>Single owner, not thread-safe by design: exactly one thread at a time (the audio thread) may call
    /// <see cref="TryAcquire"/>, <see cref="Acquire"/>, <see cref="Release"/> and <see cref="Flush"/>. Buffers acquired
    /// here are ordinary handles: they may be AddRef'd, handed to other threads and released there through
    /// <see cref="PooledAudioBuffer{T}.Release"/>; they then go back through the pool's usual path, exactly once.</para>
    /// <para>Parked buffers are free but reserved for this cache (<see cref="PoolStatistics.LocalCached"/>): other users
    /// can miss while they sit here. <see cref="Flush"/> or <see cref="Dispose"/> hands them back to the shared list.
    /// Releases that are not the last reference, and last releases while the cache is full, go to the shared list; an
    /// empty cache acquires through the pool (<see cref="AudioBufferPool{T}.Acquire"/>), counting a miss when it is empty.</para>
    /// </remarks>
    public sealed class LocalCache : IDisposable
    {
        private readonly AudioBufferPool<T> _pool;
        private readonly int[] _slots;
        private int _count;
        private int _limit; // _slots.Length; 0 once disposed, so every release then bypasses the cache

        internal LocalCache(AudioBufferPool<T> pool, int capacity)
        {
            _pool = pool;
            _slots = new int[capacity];
            _limit = capacity;
        }

        /// <summary>The pool this cache serves.</summary>
        public AudioBufferPool<T> Pool => _pool;

        /// <summary>Most buffers it parks.</summary>
        public int Capacity => _slots.Length;

        /// <summary>Buffers parked now (free, reserved for this cache).</summary>
        public int Count => Volatile.Read(ref _count);

        /// <summary>Takes a parked buffer, or else one from the pool. Audio-safe for the owning thread.</summary>
        /// <returns>False (and the empty handle) when both are empty; the pool counts the miss.</returns>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryAcquire(out PooledAudioBuffer<T> buffer)
        {
            buffer = Acquire();
            return buffer.IsValid;
        }

        /// <summary>Like <see cref="TryAcquire"/>, returning the handle (empty when none is free).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public PooledAudioBuffer<T> Acquire()
        {
            int count = _count;
            AudioBufferPool<T> pool = _pool;
            if (count > 0 && !pool._disposed)
            {
                _count = count - 1;
                return pool.Issue(_slots[count - 1]);
            }

            return pool.Acquire();
        }

        /// <summary>
        /// Drops one reference of <paramref name="buffer"/>. The last reference parks the buffer here (or, with the cache
        /// full, pushes it to the shared list); any other reference count, or a buffer of another pool, takes the
        /// handle's ordinary <see cref="PooledAudioBuffer{T}.Release"/>. False for the empty or a stale handle.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Release(PooledAudioBuffer<T> buffer)
        {
            AudioBufferPool<T> pool = _pool;
            long token = buffer.Token;
            if (buffer.Pool == pool && !pool._disposed && pool.TryDropSoleReference(token))
            {
                int count = _count;
                int index = (int)(token & 0xFFFF);
                if (count < _limit)
                {
                    _slots[count] = index;
                    _count = count + 1;
                }
                else
                {
                    pool.Push(index, index, 1);
                }

                return true;
            }

            return ReleaseElsewhere(buffer);
        }

        // Kept out of line so the inlined fast path stays small.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool ReleaseElsewhere(PooledAudioBuffer<T> buffer) => buffer.Release();

        /// <summary>Hands every parked buffer back to the pool's shared list (owning thread, or once it stopped).</summary>
        public void Flush()
        {
            int count = _count;
            _count = 0;
            ((IThreadCacheOwner)_pool).ReturnCached(new ReadOnlySpan<int>(_slots, 0, count));
        }

        /// <summary>
        /// Flushes and detaches from the pool (non-audio thread, once the owner stopped using it). Calls made afterwards
        /// pass straight through to the pool.
        /// </summary>
        public void Dispose()
        {
            _limit = 0;
            Flush();
            _pool.Unregister(this);
        }
    }

    // ---- internals ----

    /// <summary>Puts a slot whose last reference was just dropped back: into this thread's cache, or the shared list.</summary>
    private void ReturnSlot(int index)
    {
        if (_threadCacheEnabled)
        {
            PoolThreadCache cache = PoolThreadCache.Current ?? PoolThreadCache.CreateForCurrentThread();

            // The thread's cache serves one pool at a time: take it over when it is empty or its pool is gone.
            if (cache.Owner != this && (cache.Count == 0 || cache.Owner!.IsDisposed))
            {
                cache.Count = 0;
                cache.Owner = this;
            }

            if (cache.Owner == this && cache.Count < ThreadCacheSize)
            {
                cache.Slots[cache.Count++] = index;
                return;
            }
        }

        Push(index, index, 1);
    }

    /// <summary>Links <paramref name="count"/> cached slots into a chain and pushes it with one CAS.</summary>
    bool IThreadCacheOwner.IsDisposed => _disposed;

    void IThreadCacheOwner.ReturnCached(ReadOnlySpan<int> slots)
    {
        if (slots.IsEmpty || _disposed) return;
        for (int i = 0; i + 1 < slots.Length; i++) _slots[slots[i]].Next = slots[i + 1];
        Push(slots[0], slots[slots.Length - 1], slots.Length);
    }

    /// <summary>The free-list head word (tag, free count, top index); exposed to tests to replay an ABA interleaving.</summary>
    internal long ReadFreeListHead() => Volatile.Read(ref _head.Value);

    /// <summary>
    /// One pop attempt from the snapshot <paramref name="head"/>: a single CAS that succeeds only if the head word is
    /// unchanged (same top, same free count, same version tag). On failure <paramref name="head"/> holds the word seen.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryPopFrom(ref long head, out int index)
    {
        index = (int)(head & 0xFFFF);
        if (index == EmptyIndex) return false;

        // If another thread pops this slot first, the tag in the head changes and the CAS fails, so a stale Next
        // (read from a slot that meanwhile moved) is never installed.
        long next = (uint)Volatile.Read(ref _slots[index].Next);
        long free = ((head >> 16) & 0xFFFF) - 1;
        long tag = (long)((ulong)head >> 32) + 1;
        long desired = (tag << 32) | (free << 16) | next;
        long seen = Interlocked.CompareExchange(ref _head.Value, desired, head);
        if (seen != head)
        {
            head = seen;
            return false;
        }

        UpdatePeak(_capacity - (int)free);
        return true;
    }

    /// <summary>Pushes the chain first..last (already linked through Next) of <paramref name="count"/> slots in one CAS.</summary>
    private void Push(int first, int last, int count)
    {
        long head = Volatile.Read(ref _head.Value);
        while (true)
        {
            _slots[last].Next = (int)(head & 0xFFFF);
            long free = ((head >> 16) & 0xFFFF) + count;
            long tag = (long)((ulong)head >> 32) + 1;
            long desired = (tag << 32) | (free << 16) | (uint)first;
            long seen = Interlocked.CompareExchange(ref _head.Value, desired, head);
            if (seen == head) return;
            head = seen;
        }
    }

    private void UpdatePeak(int inUse)
    {
        int peak = Volatile.Read(ref _peakInUse.Value);
        while (inUse > peak)
        {
            int seen = Interlocked.CompareExchange(ref _peakInUse.Value, inUse, peak);
            if (seen == peak) return;
            peak = seen;
        }
    }

    /// <summary>Allocates slots [firstIndex, firstIndex + count) in one aligned block and publishes them.</summary>
    private void AddSegment(int firstIndex, int count)
    {
        int channels = ChannelCount;
        nuint tableBytes = AlignUp((nuint)count * (nuint)channels * (nuint)sizeof(void*));
        nuint bufferBytes = (nuint)channels * (nuint)_channelStride * (nuint)sizeof(T);
        nuint total = tableBytes + bufferBytes * (nuint)count;
        byte* block = (byte*)NativeMemory.AlignedAlloc(total, Alignment);
        NativeMemory.Clear(block, total);
        _segments.Add((nint)block);

        void** tables = (void**)block;
        byte* data = block + tableBytes;
        for (int i = 0; i < count; i++)
        {
            ref SlotHeader slot = ref _slots[firstIndex + i];
            byte* buffer = data + (nuint)i * bufferBytes;
            void** table = tables + (nuint)i * (nuint)channels;
            for (int c = 0; c < channels; c++) table[c] = buffer + (nuint)c * (nuint)_channelStride * (nuint)sizeof(T);
            slot.Data = buffer;
            slot.Channels = table;
            slot.State = 0;
            slot.Next = i + 1 < count ? firstIndex + i + 1 : EmptyIndex;
        }

        // The CAS in Push publishes the headers written above to any thread that pops them.
        Push(firstIndex, firstIndex + count - 1, count);
        _capacity = firstIndex + count;
    }

    private static nuint AlignUp(nuint bytes) => (bytes + Alignment - 1) & ~(nuint)(Alignment - 1);
}

/// <summary>Per-slot bookkeeping of a pool, one cache line each so threads working on different slots do not collide.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal unsafe struct SlotHeader
{
    [FieldOffset(0)] public long State;   // generation << 24 | reference count
    [FieldOffset(8)] public int Next;     // free-list link (0xFFFF = end)
    [FieldOffset(16)] public void* Data;  // first sample of channel 0
    [FieldOffset(24)] public void** Channels;
}

/// <summary>What a <see cref="PoolThreadCache"/> hands its slots back to.</summary>
internal interface IThreadCacheOwner
{
    bool IsDisposed { get; }

    void ReturnCached(ReadOnlySpan<int> slots);
}

/// <summary>
/// Up to <see cref="AudioBufferPoolConstants.ThreadCacheSize"/> free slots of one pool kept by one thread, like
/// ArrayPool's per-thread arrays: a thread that releases and re-acquires (the audio thread's scratch cycle) never touches
/// the shared head. One per thread (a non-generic thread static, the fastest kind to reach); it serves the pool that
/// last found it empty.
/// </summary>
internal sealed class PoolThreadCache
{
    [ThreadStatic]
    private static PoolThreadCache? t_current;

    public IThreadCacheOwner? Owner;
    public int Count;
    public CachedSlots Slots;

    public static PoolThreadCache? Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => t_current;
    }

    /// <summary>Allocates this thread's cache: once per thread, on its first release into a pool.</summary>
    public static PoolThreadCache CreateForCurrentThread() => t_current = new PoolThreadCache();

    public void ReturnAll()
    {
        IThreadCacheOwner? owner = Owner;
        int count = Count;
        Count = 0;
        owner?.ReturnCached(((ReadOnlySpan<int>)Slots).Slice(0, count));
    }

    // A thread that ends without flushing still gives its buffers back, at the next collection.
    ~PoolThreadCache() => ReturnAll();
}

[InlineArray(AudioBufferPoolConstants.ThreadCacheSize)]
internal struct CachedSlots
{
    private int _first;
}

internal static class AudioBufferPoolConstants
{
    public const int ThreadCacheSize = 4;
}

[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    [FieldOffset(64)] public long Value;
}

[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedInt
{
    [FieldOffset(64)] public int Value;
}
