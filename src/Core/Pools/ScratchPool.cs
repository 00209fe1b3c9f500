using System.Numerics;

namespace NPlug.Buffers.Pools;

/// <summary>
/// The module's scratch memory for one sample type: every plugin instance in the process leases its per-block
/// intermediate buffers (and per-voice buffers) from <see cref="Shared"/> instead of keeping private arrays sized for
/// its maximum block. Format-free; the framework registers an instance at activation and hands leases to its DSP.
/// </summary>
/// <remarks>
/// <para><b>Reserve policy.</b> Buffers are one channel each, grouped in size classes (frames rounded up to a power of
/// two, at least 32). An instance declares at activation what it needs at its maximum block size:
/// <see cref="Register"/>(channels, maxFrames, slots) — its need is channels x slots buffers. A class reserves
/// <c>max(need over its registrations) x min(registrations, Concurrency)</c> buffers, not the sum over instances:
/// instances that do not process at the same moment reuse the same buffers, and at most <see cref="Concurrency"/>
/// instances process at once (one per host worker thread). 64 instances on 2 threads reserve 2x one instance's scratch.</para>
/// <para><b>Exhaustion</b> (more threads than planned, voices held across blocks, or a pool started empty) never fails
/// or allocates on the audio thread: the lease comes from the registration's fallback with fewer frames, the caller
/// processes in shorter passes, the miss is counted. The module worker (<see cref="ScratchMaintenance"/>, a background
/// thread that polls the miss counters; the audio thread never wakes it) grows the class to the demand seen at the
/// misses: for block leases the most buffers wanted at once at a miss, for held leases (multi-slot registrations: voices)
/// every missed buffer (at most doubling per tick), since each such miss is a holder that keeps its fallback until it ends. Growth adds a tier:
/// buffers never move.</para>
/// <para><b>Shrinking</b> happens only off the audio thread: after an unregistration the worker frees idle tiers from the
/// end while the capacity stays at or above the new reserve and what is held. A buffer released last on the audio
/// thread only goes back on a free list; a tier is freed only when all its buffers are free at the instant of one CAS
/// that closes its list.</para>
/// <para>Audio-safe: the leases (<see cref="ScratchRegistration{T}.Rent(int, int, int)"/>,
/// <see cref="ScratchLease{T}.Dispose"/>). Everything on this class is for non-audio threads.</para>
/// </remarks>
public sealed class ScratchPool<T> : IDisposable, IScratchMaintainable where T : unmanaged
{
    /// <summary>Smallest class: 32 frames.</summary>
    public const int MinClassFrames = 32;

    /// <summary>Largest maxFrames a registration may declare.</summary>
    public const int MaxClassFrames = 1 << 20;

    private const int ClassCount = 21; // 2^0 .. 2^20 (only 2^5 and up are used)

    private readonly object _lock = new();
    private readonly ScratchClass<T>?[] _classes = new ScratchClass<T>?[ClassCount];
    private readonly bool _isShared;
    private int _concurrency;
    private int _nextId;
    private bool _disposed;
    private bool _workerAdded;
    private long _growthEvents, _reserveEvents, _shrinkEvents;
    // Counters of registrations that were disposed, so the totals keep balancing.
    private long _doneLeases, _doneReturns, _doneAcquired, _doneReleased, _doneMisses, _doneRejected;

    private static readonly ScratchPool<T> s_shared = new(ScratchPoolOptions.Default, isShared: true);

    /// <summary>The module-wide pool of <typeparamref name="T"/> samples, shared by every instance in the process.</summary>
    public static ScratchPool<T> Shared => s_shared;

    /// <summary>A private pool (tests, benchmarks, hosts of their own).</summary>
    public ScratchPool(ScratchPoolOptions? options = null)
        : this(options ?? ScratchPoolOptions.Default, isShared: false)
    {
    }

    private ScratchPool(ScratchPoolOptions options, bool isShared)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException("ScratchPool holds float or double samples.");
        if (options.Concurrency <= 0) throw new ArgumentOutOfRangeException(nameof(options), "Concurrency must be positive.");
        if (options.MaxBuffersPerClass <= 0 || options.MaxBuffersPerClass > AudioBufferPool<T>.MaxSupportedCapacity)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxBuffersPerClass out of range.");
        Options = options;
        _concurrency = options.Concurrency;
        _isShared = isShared;
    }

    public ScratchPoolOptions Options { get; }

    /// <summary>
    /// Threads expected to process at the same moment (see the reserve policy). Setting it re-plans every class at once
    /// (growing now; shrinking at the next maintenance). Non-audio thread.
    /// </summary>
    public int Concurrency
    {
        get => Volatile.Read(ref _concurrency);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_lock)
            {
                _concurrency = value;
                foreach (ScratchClass<T>? c in _classes)
                {
                    if (c == null) continue;
                    Plan(c);
                    c.RequestTrim();
                }
            }
        }
    }

    /// <summary>
    /// The fallback a registration gets by default: maxFrames / 64 rounded down to a multiple of 32, at least 32, at
    /// most maxFrames. A multiple of 32 keeps pass boundaries on the 32-frame control grid that DSPs here update
    /// coefficients on, so cutting a block into fallback passes does not move a control update.
    /// </summary>
    public static int DefaultFallbackFrames(int maxFrames) =>
        Math.Min(maxFrames, Math.Max(MinClassFrames, maxFrames / 64 / MinClassFrames * MinClassFrames));

    /// <summary>The frames of the class serving a registration of <paramref name="maxFrames"/>.</summary>
    public static int ClassFramesFor(int maxFrames) =>
        (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(maxFrames, MinClassFrames));

    /// <summary>
    /// Declares an instance's need (non-audio thread: activation). The pool reserves per its policy and returns the
    /// registration the instance leases through; dispose it at deactivation.
    /// </summary>
    /// <param name="channels">Most channels one lease takes (e.g. dry copy + sidechain key + detector).</param>
    /// <param name="maxFrames">Most frames one pass processes (the maximum block size, or the DSP's render quantum).</param>
    /// <param name="slots">Leases held at once: 1 for block scratch, the voice count for per-voice buffers.</param>
    /// <param name="fallbackFrames">Frames of the fallback used on exhaustion; 0 picks <see cref="DefaultFallbackFrames"/>.</param>
    /// <param name="name">For diagnostics.</param>
    public ScratchRegistration<T> Register(int channels, int maxFrames, int slots = 1, int fallbackFrames = 0, string? name = null)
    {
        if (channels <= 0 || channels > 1024) throw new ArgumentOutOfRangeException(nameof(channels));
        if (maxFrames <= 0 || maxFrames > MaxClassFrames) throw new ArgumentOutOfRangeException(nameof(maxFrames));
        if (slots <= 0 || slots > 1 << 16) throw new ArgumentOutOfRangeException(nameof(slots));
        if (fallbackFrames < 0) throw new ArgumentOutOfRangeException(nameof(fallbackFrames));
        if (fallbackFrames == 0) fallbackFrames = DefaultFallbackFrames(maxFrames);
        fallbackFrames = Math.Min(fallbackFrames, maxFrames);
        if ((long)channels * slots > Options.MaxBuffersPerClass)
            throw new ArgumentOutOfRangeException(nameof(slots), "channels x slots exceeds MaxBuffersPerClass.");

        ScratchRegistration<T> registration;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int frames = ClassFramesFor(maxFrames);
            int index = BitOperations.Log2((uint)frames);
            ScratchClass<T> sizeClass = _classes[index] ??= new ScratchClass<T>(this, frames);
            registration = new ScratchRegistration<T>(this, sizeClass, ++_nextId, channels, maxFrames, slots, fallbackFrames, name);
            sizeClass.Registrations.Add(registration);
            Plan(sizeClass);
            if (Options.StartWorker && !_workerAdded)
            {
                _workerAdded = true;
                ScratchMaintenance.Add(this);
            }
        }

        return registration;
    }

    internal void Unregister(ScratchRegistration<T> registration)
    {
        lock (_lock)
        {
            ScratchClass<T> sizeClass = registration.Class;
            if (!sizeClass.Registrations.Remove(registration)) return;
            _doneLeases += registration.LeaseCount;
            _doneReturns += registration.ReturnCount;
            _doneAcquired += registration.BuffersAcquired;
            _doneReleased += registration.BuffersReleased;
            _doneMisses += registration.MissCount;
            _doneRejected += registration.RejectedCount;
            sizeClass.RequestTrim();
        }
    }

    /// <summary>The reserve of a class under the policy (buffers).</summary>
    private int ReserveTarget(ScratchClass<T> c)
    {
        if (!Options.ReserveOnRegister) return 0;
        long target = (long)c.MaxNeed * Math.Min(c.Registrations.Count, _concurrency);
        return (int)Math.Min(target, Options.MaxBuffersPerClass);
    }

    private void Plan(ScratchClass<T> c)
    {
        int target = ReserveTarget(c);
        int capacity = c.Capacity;
        if (target > capacity)
        {
            c.AddTier(target - capacity, Options.TrackOwners);
            _reserveEvents++;
        }
    }

    /// <summary>
    /// One maintenance tick (non-audio thread; the module worker calls it every
    /// <see cref="ScratchMaintenance.IntervalMilliseconds"/>): grows every class that missed since the last tick to the
    /// demand its misses saw, and after unregistrations frees idle tiers above the reserve. Returns buffers added minus
    /// buffers freed.
    /// </summary>
    public int Maintain()
    {
        int change = 0;
        lock (_lock)
        {
            if (_disposed) return 0;
            foreach (ScratchClass<T>? c in _classes)
            {
                if (c == null) continue;
                long misses = c.Misses;
                if (misses != c.MissesSeen)
                {
                    c.MissesSeen = misses;
                    int capacity = c.Capacity;
                    // Block leases: the most buffers wanted at once at a miss. Held leases (voices): every miss is a
                    // holder of its own, so add them, but at most double per tick (misses of short notes overcount).
                    long heldGrowth = Math.Min(c.TakeHeldMissBuffers(), Math.Max(capacity, c.MaxNeed));
                    long demand = Math.Max(c.PeakWanted, (long)capacity + heldGrowth);
                    // Past a few tiers, grow by at least a quarter, so the tier count (walked by the audio thread) stays small.
                    if (c.Tiers.Length >= 8) demand = Math.Max(demand, capacity + capacity / 4);
                    int wanted = (int)Math.Min(Math.Max(demand, capacity + 1), Options.MaxBuffersPerClass);
                    c.ResetPeakWanted();
                    if (wanted > capacity)
                    {
                        c.AddTier(wanted - capacity, Options.TrackOwners);
                        _growthEvents++;
                        change += wanted - capacity;
                    }

                    continue; // no shrinking while there is pressure
                }

                if (c.TrimRequested && Environment.TickCount64 - c.TrimRequestedAt >= (long)Options.TrimDelay.TotalMilliseconds)
                {
                    int before = c.Capacity;
                    int floor = Math.Max(ReserveTarget(c), Math.Max(c.Held, c.RecentHighWater));
                    int freed = c.TrimTo(floor, out bool blocked);
                    _shrinkEvents += freed;
                    change -= before - c.Capacity;
                    c.TrimRequested = false;
                    // Blocked by a tier in use, or held back by demand that may be gone now: look again one window later.
                    if (blocked || floor > Math.Max(ReserveTarget(c), c.Held)) c.RequestTrim();
                }
            }
        }

        return change;
    }

    /// <summary>Sets every class's high-water mark to what is held now (non-audio thread; e.g. after a warm-up).</summary>
    public void ResetHighWater()
    {
        lock (_lock)
        {
            foreach (ScratchClass<T>? c in _classes) c?.ResetHighWater();
        }
    }

    /// <summary>A snapshot of the pool (non-audio thread). High-water is the sum of the classes' marks (exact with one class).</summary>
    public ScratchPoolStatistics GetStatistics()
    {
        lock (_lock)
        {
            int registrations = 0, classes = 0, reserved = 0, held = 0, highWater = 0;
            long bytes = 0, privateBytes = 0, fallbackBytes = 0, misses = _doneMisses, violations = 0;
            long leases = _doneLeases, returns = _doneReturns, acquired = _doneAcquired, released = _doneReleased, rejected = _doneRejected;
            foreach (ScratchClass<T>? c in _classes)
            {
                if (c == null) continue;
                int capacity = c.Capacity;
                if (capacity == 0 && c.Registrations.Count == 0) continue;
                classes++;
                reserved += capacity;
                bytes += (long)capacity * c.Frames * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
                held += c.Held;
                highWater += c.HighWater;
                violations += c.OwnerViolations;
                foreach (ScratchRegistration<T> r in c.Registrations)
                {
                    registrations++;
                    privateBytes += r.PrivateBytes;
                    fallbackBytes += r.FallbackBytes;
                    leases += Volatile.Read(ref r.LeaseCount);
                    returns += Volatile.Read(ref r.ReturnCount);
                    acquired += Volatile.Read(ref r.BuffersAcquired);
                    released += Volatile.Read(ref r.BuffersReleased);
                    misses += Volatile.Read(ref r.MissCount);
                    rejected += Volatile.Read(ref r.RejectedCount);
                }
            }

            return new ScratchPoolStatistics
            {
                Registrations = registrations,
                Concurrency = _concurrency,
                Classes = classes,
                BuffersReserved = reserved,
                BytesReserved = bytes,
                PrivateBytesEquivalent = privateBytes,
                FallbackBytes = fallbackBytes,
                BuffersHeld = held,
                HighWaterBuffers = highWater,
                Leases = leases,
                Returns = returns,
                BuffersAcquired = acquired,
                BuffersReleased = released,
                Misses = misses,
                GrowthEvents = _growthEvents,
                ReserveEvents = _reserveEvents,
                ShrinkEvents = _shrinkEvents,
                Rejected = rejected,
                OwnerViolations = violations,
            };
        }
    }

    /// <summary>
    /// Frees every buffer (non-audio thread, once nothing leases any more). <see cref="Shared"/> ignores it: the module
    /// pool lives as long as the process.
    /// </summary>
    public void Dispose()
    {
        if (_isShared) return;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (ScratchClass<T>? c in _classes) c?.DisposeTiers();
        }

        ScratchMaintenance.Remove(this);
    }
}
