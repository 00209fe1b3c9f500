namespace NPlug.Buffers.Pools;

/// <summary>How an <see cref="AudioBufferPool{T}"/> may grow.</summary>
public enum PoolGrowthKind
{
    /// <summary>Never grows past its initial capacity.</summary>
    Fixed,

    /// <summary>Grows by a fixed number of buffers per step.</summary>
    Linear,

    /// <summary>Doubles its capacity per step.</summary>
    Exponential,
}

/// <summary>
/// Growth rule of a pool (seed 004's <c>GrowthStrategy</c> plus an upper bound). It is only ever applied by
/// <see cref="AudioBufferPool{T}.EnsureCapacity"/> or <see cref="AudioBufferPool{T}.Maintain"/>, which run on a
/// non-audio thread; acquiring never grows the pool.
/// </summary>
public readonly struct PoolGrowthPolicy : IEquatable<PoolGrowthPolicy>
{
    private PoolGrowthPolicy(PoolGrowthKind kind, int step, int maxCapacity)
    {
        Kind = kind;
        Step = step;
        MaxCapacity = maxCapacity;
    }

    public PoolGrowthKind Kind { get; }

    /// <summary>Buffers added per step (only for <see cref="PoolGrowthKind.Linear"/>).</summary>
    public int Step { get; }

    /// <summary>Upper bound of the capacity; 0 for <see cref="PoolGrowthKind.Fixed"/> means "the initial capacity".</summary>
    public int MaxCapacity { get; }

    /// <summary>The pool keeps its initial capacity (the default).</summary>
    public static PoolGrowthPolicy Fixed => default;

    /// <summary>Grow by <paramref name="step"/> buffers at a time, never past <paramref name="maxCapacity"/>.</summary>
    public static PoolGrowthPolicy Linear(int step, int maxCapacity)
    {
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step));
        if (maxCapacity <= 0) throw new ArgumentOutOfRangeException(nameof(maxCapacity));
        return new PoolGrowthPolicy(PoolGrowthKind.Linear, step, maxCapacity);
    }

    /// <summary>Double the capacity at each step, never past <paramref name="maxCapacity"/>.</summary>
    public static PoolGrowthPolicy Exponential(int maxCapacity)
    {
        if (maxCapacity <= 0) throw new ArgumentOutOfRangeException(nameof(maxCapacity));
        return new PoolGrowthPolicy(PoolGrowthKind.Exponential, 0, maxCapacity);
    }

    /// <summary>The upper bound for a pool created with <paramref name="initialCapacity"/> buffers.</summary>
    public int ResolveMaxCapacity(int initialCapacity) =>
        Kind == PoolGrowthKind.Fixed ? initialCapacity : Math.Max(initialCapacity, MaxCapacity);

    /// <summary>The capacity after one growth step from <paramref name="current"/>, clamped to the maximum.</summary>
    public int NextCapacity(int current, int maxCapacity)
    {
        long next = Kind switch
        {
            PoolGrowthKind.Linear => (long)current + Step,
            PoolGrowthKind.Exponential => Math.Max(1L, (long)current * 2),
            _ => current,
        };
        return (int)Math.Min(next, maxCapacity);
    }

    public bool Equals(PoolGrowthPolicy other) =>
        Kind == other.Kind && Step == other.Step && MaxCapacity == other.MaxCapacity;

    public override bool Equals(object? obj) => obj is PoolGrowthPolicy other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, Step, MaxCapacity);

    public static bool operator ==(PoolGrowthPolicy left, PoolGrowthPolicy right) => left.Equals(right);

    public static bool operator !=(PoolGrowthPolicy left, PoolGrowthPolicy right) => !left.Equals(right);

    public override string ToString() => Kind switch
    {
        PoolGrowthKind.Linear => $"Linear({Step}, max {MaxCapacity})",
        PoolGrowthKind.Exponential => $"Exponential(max {MaxCapacity})",
        _ => "Fixed",
    };
}
