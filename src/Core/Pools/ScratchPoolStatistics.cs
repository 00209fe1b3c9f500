namespace NPlug.Buffers.Pools;

/// <summary>
/// A snapshot of a <see cref="ScratchPool{T}"/> (all size classes together). Counters are read one after another while
/// audio threads may lease, so they can disagree by the leases in flight; with the pool quiescent they balance exactly:
/// <c>Leases - Returns == LeasesOut</c> and <c>BuffersAcquired - BuffersReleased == BuffersHeld</c>.
/// </summary>
public readonly record struct ScratchPoolStatistics
{
    /// <summary>Live registrations (instances that declared a need).</summary>
    public int Registrations { get; init; }

    /// <summary>The concurrency the reserve is planned for.</summary>
    public int Concurrency { get; init; }

    /// <summary>Size classes in use.</summary>
    public int Classes { get; init; }

    /// <summary>One-channel buffers the pool owns, all classes.</summary>
    public int BuffersReserved { get; init; }

    /// <summary>Native sample bytes the pool owns (<see cref="BuffersReserved"/> x class frames x sample size).</summary>
    public long BytesReserved { get; init; }

    /// <summary>
    /// What the registrations would hold with private scratch: the sum of their needs in bytes (channels x slots x
    /// max frames x sample size). The reserve is compared against this.
    /// </summary>
    public long PrivateBytesEquivalent { get; init; }

    /// <summary>Native bytes of the per-registration fallback buffers (owned by the instances, not the pool).</summary>
    public long FallbackBytes { get; init; }

    /// <summary>Buffers held by leases right now.</summary>
    public int BuffersHeld { get; init; }

    /// <summary>Highest number of buffers held at once since the pool was created (or <see cref="ScratchPool{T}.ResetHighWater"/>).</summary>
    public int HighWaterBuffers { get; init; }

    /// <summary>Leases handed out (pooled or fallback).</summary>
    public long Leases { get; init; }

    /// <summary>Leases returned.</summary>
    public long Returns { get; init; }

    /// <summary>Leases not returned yet.</summary>
    public long LeasesOut => Leases - Returns;

    /// <summary>Pool buffers taken by leases.</summary>
    public long BuffersAcquired { get; init; }

    /// <summary>Pool buffers given back by leases.</summary>
    public long BuffersReleased { get; init; }

    /// <summary>Leases that found the pool short and used their registration's fallback.</summary>
    public long Misses { get; init; }

    /// <summary>Times the worker (or <see cref="ScratchPool{T}.Maintain"/>) grew a class after misses.</summary>
    public long GrowthEvents { get; init; }

    /// <summary>Times a registration raised a class's reserve.</summary>
    public long ReserveEvents { get; init; }

    /// <summary>Idle buffer tiers freed off the audio thread after unregistrations.</summary>
    public long ShrinkEvents { get; init; }

    /// <summary>Lease returns refused (stale or doubled lease), leases refused (slot busy, bad arguments).</summary>
    public long Rejected { get; init; }

    /// <summary>With <see cref="ScratchPoolOptions.TrackOwners"/>: buffers found with a second owner. Must stay 0.</summary>
    public long OwnerViolations { get; init; }

    public override string ToString() =>
        $"registrations {Registrations}, concurrency {Concurrency}, reserved {BuffersReserved} buffers / {BytesReserved:N0} B " +
        $"(private equivalent {PrivateBytesEquivalent:N0} B, fallbacks {FallbackBytes:N0} B), held {BuffersHeld}, " +
        $"high-water {HighWaterBuffers}, leases {Leases}, returns {Returns}, buffers {BuffersAcquired}/{BuffersReleased}, " +
        $"misses {Misses}, growth {GrowthEvents}, reserve {ReserveEvents}, shrink {ShrinkEvents}, rejected {Rejected}, " +
        $"owner violations {OwnerViolations}";
}
