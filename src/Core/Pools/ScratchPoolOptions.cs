namespace NPlug.Buffers.Pools;

/// <summary>How a <see cref="ScratchPool{T}"/> reserves, grows and checks its buffers.</summary>
public sealed record ScratchPoolOptions
{
    /// <summary>
    /// Threads expected to process instances at the same moment (a host's audio worker threads). The reserve of a size
    /// class is its largest need times <c>min(registrations, Concurrency)</c>. Default:
    /// <see cref="Environment.ProcessorCount"/>, at least 1.
    /// </summary>
    public int Concurrency { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Reserve on <see cref="ScratchPool{T}.Register"/> (default). False leaves the pool empty until misses make the
    /// worker grow it: the forced-exhaustion mode of the tests.
    /// </summary>
    public bool ReserveOnRegister { get; init; } = true;

    /// <summary>Start the module's maintenance worker on the first registration (default true).</summary>
    public bool StartWorker { get; init; } = true;

    /// <summary>Most buffers one size class may hold (growth stops there; leases then keep using their fallback).</summary>
    public int MaxBuffersPerClass { get; init; } = 4096;

    /// <summary>
    /// Record an owner tag per buffer with compare-and-swap and count any buffer taken while it has an owner, or returned
    /// by someone who does not own it (<see cref="ScratchPoolStatistics.OwnerViolations"/>). Costs two CAS per buffer;
    /// meant for tests and stress runs.
    /// </summary>
    public bool TrackOwners { get; init; }

    /// <summary>
    /// How long after an unregistration the worker may trim (default 250 ms); the demand seen in that window is kept.
    /// </summary>
    public TimeSpan TrimDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The options of <see cref="ScratchPool{T}.Shared"/>.</summary>
    public static ScratchPoolOptions Default { get; } = new();
}
