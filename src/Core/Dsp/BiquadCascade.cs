using System.Numerics;
using System.Runtime.CompilerServices;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// A cascade of up to 8 second-order sections applied in place to up to 8 channels, block by block.
/// All memory is allocated by the constructor; <see cref="Process(AudioBlock{T})"/> and everything it calls
/// never allocates, locks or throws on valid input.
/// </summary>
/// <remarks>
/// <para>Each section runs in direct form I with its own history (x[n−1], x[n−2], y[n−1], y[n−2]) per channel.
/// That history is independent of the coefficients, so <see cref="SetStage"/> between blocks changes the filter
/// without resetting or rescaling the state: the only transient is the filter's own response to the change.</para>
/// <para>A disabled stage passes its input through unchanged and keeps its history equal to the signal at its
/// position (input = output), so re-enabling it starts from the current signal rather than stale data.</para>
/// <para>After each block and channel the state is flushed below <see cref="Denormals.StateThreshold{T}"/>
/// and checked for NaN/∞; a non-finite state resets that channel, so a bad sample costs at most one block.</para>
/// <para>Not thread-safe: configure and process from the same thread, or hand configuration over between blocks.</para>
/// </remarks>
public sealed class BiquadCascade<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The most stages a cascade can hold.</summary>
    public const int MaxSupportedStages = 8;

    /// <summary>The most channels a cascade can process.</summary>
    public const int MaxSupportedChannels = 8;

    internal const int StateStride = 4; // x1, x2, y1, y2 per stage

    private readonly BiquadCoefficients[] _coefficients;
    private readonly bool[] _enabled;
    private readonly BiquadSection<T>[] _sections;
    private readonly T[] _state;

    /// <summary>Allocates coefficient and state storage for the given maxima. All stages start disabled, as identity.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A maximum is below 1 or above 8.</exception>
    public BiquadCascade(int maxStages, int maxChannels)
    {
        if (maxStages is < 1 or > MaxSupportedStages) throw new ArgumentOutOfRangeException(nameof(maxStages));
        if (maxChannels is < 1 or > MaxSupportedChannels) throw new ArgumentOutOfRangeException(nameof(maxChannels));
        StageCount = maxStages;
        MaxChannels = maxChannels;
        _coefficients = new BiquadCoefficients[maxStages];
        _enabled = new bool[maxStages];
        _sections = new BiquadSection<T>[maxStages];
        _state = new T[maxStages * maxChannels * StateStride];
        for (int s = 0; s < maxStages; s++)
        {
            _coefficients[s] = BiquadCoefficients.Identity;
            _sections[s] = new BiquadSection<T>();
            _sections[s].Set(BiquadCoefficients.Identity);
        }
    }

    /// <summary>Number of stage slots (the constructor's maxStages).</summary>
    public int StageCount { get; }

    /// <summary>Number of channels with their own state (the constructor's maxChannels).</summary>
    public int MaxChannels { get; }

    /// <summary>Number of enabled stages.</summary>
    public int ActiveStageCount { get; private set; }

    /// <summary>The coefficients installed in a stage (identity if never set).</summary>
    public BiquadCoefficients GetStage(int stage)
    {
        CheckStage(stage);
        return _coefficients[stage];
    }

    /// <summary>Whether a stage takes part in processing.</summary>
    public bool IsStageEnabled(int stage)
    {
        CheckStage(stage);
        return _enabled[stage];
    }

    /// <summary>
    /// Installs coefficients in a stage and enables it. Allocation-free and cheap (a few dozen flops), so it
    /// may be called between sub-blocks while a parameter is smoothing. Non-finite coefficients install identity.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">stage is outside [0, StageCount).</exception>
    public void SetStage(int stage, in BiquadCoefficients coefficients) => SetStage(stage, coefficients, true);

    /// <summary>Installs coefficients in a stage and sets whether it is enabled.</summary>
    /// <exception cref="ArgumentOutOfRangeException">stage is outside [0, StageCount).</exception>
    public void SetStage(int stage, in BiquadCoefficients coefficients, bool enabled)
    {
        CheckStage(stage);
        BiquadCoefficients c = coefficients.IsFinite ? coefficients : BiquadCoefficients.Identity;
        _coefficients[stage] = c;
        _sections[stage].Set(c);
        SetStageEnabled(stage, enabled);
    }

    /// <summary>Enables or bypasses a stage without touching its coefficients or state.</summary>
    /// <exception cref="ArgumentOutOfRangeException">stage is outside [0, StageCount).</exception>
    public void SetStageEnabled(int stage, bool enabled)
    {
        CheckStage(stage);
        if (_enabled[stage] == enabled) return;
        _enabled[stage] = enabled;
        ActiveStageCount += enabled ? 1 : -1;
    }

    /// <summary>Clears the state of every channel (coefficients and enables are kept).</summary>
    public void Reset() => Array.Clear(_state);

    /// <summary>Clears one channel's state; out-of-range channels are ignored.</summary>
    public void Reset(int channel)
    {
        if ((uint)channel < (uint)MaxChannels) ChannelState(channel).Clear();
    }

    /// <summary>
    /// Filters the first min(block.ChannelCount, <see cref="MaxChannels"/>) channels in place; further channels
    /// pass through untouched, null channels are skipped.
    /// </summary>
    /// <returns>The number of channels processed.</returns>
    public int Process(AudioBlock<T> block)
    {
        int channels = Math.Min(block.ChannelCount, MaxChannels);
        for (int c = 0; c < channels; c++)
            ProcessChannel(c, block[c]);
        return channels;
    }

    /// <summary>Filters one channel in place with that channel's state.</summary>
    /// <returns>False (and nothing done) when channel is outside [0, <see cref="MaxChannels"/>).</returns>
    public bool Process(int channel, Span<T> samples)
    {
        if ((uint)channel >= (uint)MaxChannels) return false;
        ProcessChannel(channel, samples);
        return true;
    }

    /// <summary>Read-only view of a channel's state: per stage x[n−1], x[n−2], y[n−1], y[n−2].</summary>
    internal ReadOnlySpan<T> GetState(int channel) => ChannelState(channel);

    private Span<T> ChannelState(int channel)
        => _state.AsSpan(channel * StageCount * StateStride, StageCount * StateStride);

    private void ProcessChannel(int channel, Span<T> samples)
    {
        if (samples.IsEmpty) return;
        Span<T> state = ChannelState(channel);

        // Every stage's x-history equals the signal at its input, so stage 0's history is the channel input's.
        // Capture the new input history before processing overwrites the samples.
        int n = samples.Length;
        T h1 = samples[n - 1];
        T h2 = n >= 2 ? samples[n - 2] : state[0];

        for (int s = 0; s < StageCount; s++)
        {
            ref T st = ref state[s * StateStride];
            if (_enabled[s])
            {
                _sections[s].Process(ref st, samples);
                h1 = Unsafe.Add(ref st, 2);
                h2 = Unsafe.Add(ref st, 3);
            }
            else
            {
                // Identity: input history = output history = the signal at this point.
                st = h1;
                Unsafe.Add(ref st, 1) = h2;
                Unsafe.Add(ref st, 2) = h1;
                Unsafe.Add(ref st, 3) = h2;
            }
        }

        SanitizeState(state);
    }

    private static void SanitizeState(Span<T> state)
    {
        T probe = T.Zero;
        for (int i = 0; i < state.Length; i++) probe += state[i] * T.Zero;
        if (probe != T.Zero)
        {
            // NaN/∞ never decays out of a recursion: start the channel over.
            state.Clear();
            return;
        }

        Denormals.Flush(state);
    }

    private void CheckStage(int stage)
    {
        if ((uint)stage >= (uint)StageCount) ThrowStage();
    }

    private static void ThrowStage() => throw new ArgumentOutOfRangeException("stage");
}
