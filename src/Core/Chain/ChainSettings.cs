namespace NPlug.Buffers.Chain;

/// <summary>Fixed (prepare-time) settings of a <see cref="GainBiquadChain{T}"/>.</summary>
public readonly record struct ChainSettings
{
    public ChainSettings()
    {
    }

    /// <summary>EQ bands (cascade stages), 0..8.</summary>
    public int BandCount { get; init; } = 4;

    /// <summary>How gain and band parameters follow their automation; time 0 = follow it exactly.</summary>
    public SmootherKind SmoothingKind { get; init; } = SmootherKind.OnePole;

    public double SmoothingSeconds { get; init; } = 0.003;

    /// <summary>Length of the bypass crossfade.</summary>
    public double BypassFadeSeconds { get; init; } = 0.010;

    /// <summary>Sidechain level where ducking starts.</summary>
    public double DuckThresholdDb { get; init; } = -40;

    /// <summary>Sidechain level above the threshold at which the full depth is reached.</summary>
    public double DuckRangeDb { get; init; } = 20;

    public double DuckAttackSeconds { get; init; } = 0.005;

    public double DuckReleaseSeconds { get; init; } = 0.150;

    public EnvelopeMode DuckDetector { get; init; } = EnvelopeMode.Peak;

    public double KeyFilterQ { get; init; } = 0.7071067811865476;

    /// <summary>Points kept per parameter and block; further points replace the last one (see <see cref="AutomationSegments"/>).</summary>
    public int MaxPointsPerParameter { get; init; } = 64;

    public static ChainSettings Default => new();
}
