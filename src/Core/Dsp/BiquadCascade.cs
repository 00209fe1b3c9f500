using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NPlug.Buffers.Dsp;

/// <summary>
/// A cascade of up to 8 second-order sections applied in place to up to 8 channels, block by block.
/// All memory is allocated by the constructor; <see cref="Process(AudioBlock{T})"/> and everything it calls
/// never allocates, locks or throws on valid input.
/// </summary>
/// <remarks>
/// <para>Arithmetic and state are double precision for both float and double audio (see BiquadSection for
/// why); float blocks are widened and narrowed in 256-frame chunks on the stack.</para>
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
    private readonly bool[] _identity;  // numerator == denominator: H(z) = 1 exactly, so the stage is skipped
    private readonly bool[] _running;   // enabled and not identity: the stages the block loop runs
    private readonly BiquadSection[] _sections;
    private int _runningCount;
    private readonly double[] _state;
    // While nothing runs, a channel's histories only follow the signal: its last two samples are kept here (h1, h2 per
    // channel) and written into every stage when something reads the state or a stage starts running (Materialize).
    private readonly double[] _signal;
    private readonly bool[] _signalPending;
    private static readonly BiquadCoefficients s_identity = BiquadCoefficients.Identity;

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
        _identity = new bool[maxStages];
        _running = new bool[maxStages];
        _sections = new BiquadSection[maxStages];
        _state = new double[maxStages * maxChannels * StateStride];
        _signal = new double[maxChannels * 2];
        _signalPending = new bool[maxChannels];
        for (int s = 0; s < maxStages; s++)
        {
            _coefficients[s] = BiquadCoefficients.Identity;
            _sections[s] = new BiquadSection();
            _sections[s].Set(BiquadCoefficients.Identity);
            _identity[s] = true;
        }
    }

    /// <summary>Number of stage slots (the constructor's maxStages).</summary>
    public int StageCount { get; }

    /// <summary>Number of channels with their own state (the constructor's maxChannels).</summary>
    public int MaxChannels { get; }

    /// <summary>Number of enabled stages.</summary>
    public int ActiveStageCount { get; private set; }

    /// <summary>
    /// Number of stages the block loop actually runs: enabled and not the identity. A stage whose numerator equals its
    /// denominator (B0 = 1, B1 = A1, B2 = A2: every 0 dB peaking or shelf band) is H(z) = 1 exactly and is skipped like a
    /// disabled stage, so its output is its input bit for bit and its history tracks the signal, as a disabled stage's does.
    /// </summary>
    public int RunningStageCount => _runningCount;

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
        // By reference, not a local copy: the copy (a 40-byte struct through the stack) and the field reads from it
        // were most of this method's cost under NativeAOT, where it runs per band per sub-block while bands move.
        ref readonly BiquadCoefficients c = ref coefficients;
        if (!c.IsFinite) c = ref s_identity;
        _coefficients[stage] = c;
        bool identity = IsIdentity(c);
        // An identity stage never reaches the block loop: its columns are not needed until it stops being one.
        if (!identity) _sections[stage].Set(c);
        _identity[stage] = identity;
        SetStageEnabled(stage, enabled);
        UpdateRunning(stage);
    }

    /// <summary>
    /// <see cref="SetStage(int, in BiquadCoefficients)"/> for the stages <paramref name="firstStage"/> + l of every set bit
    /// l of <paramref name="mask"/> (l &lt; 4), with lane l of <paramref name="quad"/>: the same coefficients and columns,
    /// the column precompute of the four done in one vector pass (a chain redesigns its moving bands together per
    /// sub-block). Unlike SetStage it leaves each stage's enable as it is (the chain switches bands on and off itself).
    /// Stages past <see cref="StageCount"/> are ignored.
    /// </summary>
    internal void SetStages(int firstStage, int mask, in SectionQuad quad)
    {
        if ((uint)firstStage >= (uint)StageCount) return;
        mask &= (1 << Math.Min(4, StageCount - firstStage)) - 1;
        int columns = 0;
        for (int l = 0; l < 4; l++)
        {
            if ((mask & (1 << l)) == 0) continue;
            int stage = firstStage + l;
            BiquadCoefficients c = quad[l];
            if (!c.IsFinite) c = s_identity;
            _coefficients[stage] = c;
            bool identity = IsIdentity(c);
            _identity[stage] = identity;
            if (!identity) columns |= 1 << l;
            UpdateRunning(stage);
        }
        if (columns == 0) return;
        // A non-finite lane was replaced by the identity above and is not in `columns`; the others take the quad's values.
        BiquadSection.SetQuad(_sections.AsSpan(firstStage, Math.Min(4, StageCount - firstStage)), columns, quad);
    }

    /// <summary>True when the section is H(z) = 1 exactly (numerator and denominator polynomials are the same).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsIdentity(in BiquadCoefficients c) => c.B0 == 1.0 && c.B1 == c.A1 && c.B2 == c.A2;

    private void UpdateRunning(int stage)
    {
        bool running = _enabled[stage] && !_identity[stage];
        if (_running[stage] == running) return;
        _running[stage] = running;
        _runningCount += running ? 1 : -1;
    }

    /// <summary>Enables or bypasses a stage without touching its coefficients or state.</summary>
    /// <exception cref="ArgumentOutOfRangeException">stage is outside [0, StageCount).</exception>
    public void SetStageEnabled(int stage, bool enabled)
    {
        CheckStage(stage);
        if (_enabled[stage] == enabled) return;
        _enabled[stage] = enabled;
        ActiveStageCount += enabled ? 1 : -1;
        UpdateRunning(stage);
    }

    /// <summary>Clears the state of every channel (coefficients and enables are kept).</summary>
    public void Reset()
    {
        Array.Clear(_state);
        Array.Clear(_signalPending);
    }

    /// <summary>Clears one channel's state; out-of-range channels are ignored.</summary>
    public void Reset(int channel)
    {
        if ((uint)channel >= (uint)MaxChannels) return;
        _signalPending[channel] = false;
        ChannelState(channel).Clear();
    }

    /// <summary>
    /// Filters the first min(block.ChannelCount, <see cref="MaxChannels"/>) channels in place; further channels
    /// pass through untouched, null channels are skipped.
    /// </summary>
    /// <returns>The number of channels processed.</returns>
    public int Process(AudioBlock<T> block)
    {
        int channels = Math.Min(block.ChannelCount, MaxChannels);
        int c = 0;
        // Channels in pairs: two independent recurrences in one loop hide each other's latency.
        for (; c + 1 < channels; c += 2)
        {
            Span<T> a = block[c], b = block[c + 1];
            if (a.IsEmpty || b.IsEmpty)
            {
                ProcessChannels(c, a, -1, default);
                ProcessChannels(c + 1, b, -1, default);
            }
            else
            {
                ProcessChannels(c, a, c + 1, b);
            }
        }

        if (c < channels) ProcessChannels(c, block[c], -1, default);
        return channels;
    }

    /// <summary>Filters one channel in place with that channel's state.</summary>
    /// <returns>False (and nothing done) when channel is outside [0, <see cref="MaxChannels"/>).</returns>
    public bool Process(int channel, Span<T> samples)
    {
        if ((uint)channel >= (uint)MaxChannels) return false;
        ProcessChannels(channel, samples, -1, default);
        return true;
    }

    /// <summary>Read-only view of a channel's state: per stage x[n−1], x[n−2], y[n−1], y[n−2] (double for any T).</summary>
    internal ReadOnlySpan<double> GetState(int channel)
    {
        Materialize(channel);
        return ChannelState(channel);
    }

    private Span<double> ChannelState(int channel)
        => _state.AsSpan(channel * StageCount * StateStride, StageCount * StateStride);

    /// <summary>One channel (channelB &lt; 0) or two channels of equal length.</summary>
    [SkipLocalsInit] // the float scratch is fully written before it is read
    private void ProcessChannels(int channelA, Span<T> a, int channelB, Span<T> b)
    {
        if (a.IsEmpty) return;
        // Nothing runs (all stages off or identity): the samples pass untouched and only the histories follow them.
        if (_runningCount == 0)
        {
            FollowSignal(channelA, a);
            if (channelB >= 0) FollowSignal(channelB, b);
            return;
        }
        bool pair = channelB >= 0;
        Materialize(channelA);
        if (pair) Materialize(channelB);
        Span<double> stateA = ChannelState(channelA);
        Span<double> stateB = pair ? ChannelState(channelB) : default;

        // Every stage's x-history equals the signal at its input, so stage 0's history is the channel input's.
        // Capture it before processing overwrites the samples.
        InputHistory(a, stateA, out double a1, out double a2);
        double b1 = 0, b2 = 0;
        if (pair) InputHistory(b, stateB, out b1, out b2);

        {
            if (typeof(T) == typeof(double) && !(pair && Aliases4K(a, b)))
            {
                RunStages(stateA, MemoryMarshal.Cast<T, double>(a), stateB, pair ? MemoryMarshal.Cast<T, double>(b) : default);
            }
            else
            {
                // Float audio, double arithmetic: convert chunk by chunk through stack scratch. Double pairs whose
                // buffers sit (nearly) a multiple of 4 KiB apart take the same route as plain copies: processed in
                // place, each load of channel B would wait on the store just made to channel A at the same 4 KiB
                // offset (4K aliasing; measured 10x slower on 8 KiB-spaced buffers).
                Span<double> scratchA = stackalloc double[ChunkFrames];
                Span<double> scratchB = stackalloc double[pair ? ChunkFrames : 0];
                for (int start = 0; start < a.Length; start += ChunkFrames)
                {
                    int n = Math.Min(ChunkFrames, a.Length - start);
                    Span<double> da = scratchA[..n];
                    Span<double> db = scratchB[..(pair ? n : 0)];
                    Load(a.Slice(start, n), da);
                    if (pair) Load(b.Slice(start, n), db);

                    RunStages(stateA, da, stateB, db);
                    Store(da, a.Slice(start, n));
                    if (pair) Store(db, b.Slice(start, n));
                }
            }
        }

        SettleState(stateA, a1, a2);
        if (pair) SettleState(stateB, b1, b2);
    }

    private const int ChunkFrames = 256;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(Span<T> source, Span<double> scratch)
    {
        if (typeof(T) == typeof(double)) MemoryMarshal.Cast<T, double>(source).CopyTo(scratch);
        else SampleConversion.Widen(MemoryMarshal.Cast<T, float>(source), scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Span<double> scratch, Span<T> destination)
    {
        if (typeof(T) == typeof(double)) scratch.CopyTo(MemoryMarshal.Cast<T, double>(destination));
        else SampleConversion.Narrow(scratch, MemoryMarshal.Cast<T, float>(destination));
    }

    /// <summary>True when the two channels start within a few vector stores of the same offset modulo 4 KiB.</summary>
    private static unsafe bool Aliases4K(Span<T> a, Span<T> b)
    {
        const int Margin = 320; // five 64-byte stores in flight either way
        nint delta = ((nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(b)) - (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(a))) & 4095;
        return delta < Margin || delta > 4096 - Margin;
    }

    /// <summary>
    /// The identity cascade: every stage's history becomes the signal's last two samples (as TrackDisabledStages). Only
    /// the two samples are kept per block (<see cref="Materialize"/> writes them into the stages when they are needed):
    /// at defaults this runs every block, and the per-stage writes were a tenth of an identity GainEQ block.
    /// </summary>
    private void FollowSignal(int channel, Span<T> samples)
    {
        double previous = _signalPending[channel] ? _signal[2 * channel] : ChannelState(channel)[0];
        int n = samples.Length;
        double h1 = double.CreateTruncating(samples[n - 1]);
        double h2 = n >= 2 ? double.CreateTruncating(samples[n - 2]) : previous;
        // What SanitizeState would make of the filled state, decided on the two values: non-finite → reset, tiny → 0.
        if (!double.IsFinite(h1) || !double.IsFinite(h2))
        {
            h1 = h2 = 0.0;
        }
        else
        {
            double threshold = double.CreateTruncating(Denormals.StateThreshold<T>());
            if (Math.Abs(h1) < threshold) h1 = 0.0;
            if (Math.Abs(h2) < threshold) h2 = 0.0;
        }
        _signal[2 * channel] = h1;
        _signal[2 * channel + 1] = h2;
        _signalPending[channel] = true;
    }

    /// <summary>Writes a followed signal (see <see cref="FollowSignal"/>) into every stage's history.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Materialize(int channel)
    {
        if (_signalPending[channel]) MaterializeSlow(channel);
    }

    private void MaterializeSlow(int channel)
    {
        _signalPending[channel] = false;
        double h1 = _signal[2 * channel], h2 = _signal[2 * channel + 1];
        Span<double> state = ChannelState(channel);
        for (int s = 0; s < StageCount; s++)
        {
            Span<double> st = state.Slice(s * StateStride, StateStride);
            st[0] = h1; st[1] = h2; st[2] = h1; st[3] = h2;
        }
    }

    private void RunStages(Span<double> stateA, Span<double> a, Span<double> stateB, Span<double> b)
    {
        bool pair = !b.IsEmpty;
        for (int s = 0; s < StageCount; s++)
        {
            if (!_running[s]) continue;
            ref double sa = ref stateA[s * StateStride];
            if (pair) _sections[s].ProcessPair(ref sa, a, ref stateB[s * StateStride], b);
            else _sections[s].Process(ref sa, a);
        }
    }

    private static void InputHistory(Span<T> samples, Span<double> state, out double h1, out double h2)
    {
        int n = samples.Length;
        h1 = double.CreateTruncating(samples[n - 1]);
        h2 = n >= 2 ? double.CreateTruncating(samples[n - 2]) : state[0];
    }

    /// <summary>
    /// After a block: a disabled (or identity) stage passes the signal, so its input and output histories become the
    /// signal at its position (the input's last two samples, or the previous running stage's last two outputs); then every
    /// value below <see cref="Denormals.StateThreshold{T}"/> is flushed to 0, and a NaN/∞ anywhere clears the channel
    /// (it never decays out of a recursion: start the channel over).
    /// </summary>
    /// <remarks>
    /// One pass over the stages, one 4-wide vector per stage (a stage's x1, x2, y1, y2). Every value a disabled stage
    /// receives is a copy of one the pass has already checked and flushed (h1, h2 or a running stage's y1, y2), so
    /// flushing before copying gives exactly the state that copying first and flushing everything after gave. The
    /// earlier form (a track loop, then a 4·stages-long serial probe sum and a compare per value) cost about as much
    /// as filtering the 32 frames of a sub-block.
    /// </remarks>
    private void SettleState(Span<double> state, double h1, double h2)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            TrackDisabledStages(state, h1, h2);
            SanitizeState(state);
            return;
        }

        var threshold = Vector256.Create(double.CreateTruncating(Denormals.StateThreshold<T>()));
        var zero = Vector256<double>.Zero;
        // The signal at the cascade input, as a disabled stage 0 would hold it (x1, x2, y1, y2 = h1, h2, h1, h2).
        Vector256<double> signal = Vector256.Create(h1, h2, h1, h2);
        Vector256<double> probe = signal * zero; // NaN in any lane once any value is NaN or ±∞
        signal = Vector256.AndNot(signal, Vector256.LessThan(Vector256.Abs(signal), threshold));
        ref double st = ref MemoryMarshal.GetReference(state);
        for (int s = 0; s < StageCount; s++)
        {
            ref double stage = ref Unsafe.Add(ref st, s * StateStride);
            if (_running[s])
            {
                Vector256<double> v = Vector256.LoadUnsafe(ref stage);
                probe += v * zero;
                v = Vector256.AndNot(v, Vector256.LessThan(Vector256.Abs(v), threshold));
                v.StoreUnsafe(ref stage);
                // The next disabled stage holds this one's outputs: (y1, y2, y1, y2).
                signal = Vector256.Shuffle(v, Vector256.Create(2L, 3L, 2L, 3L));
            }
            else
            {
                signal.StoreUnsafe(ref stage);
            }
        }

        if (probe != zero) state.Clear();
    }

    /// <summary>A disabled (or identity) stage passes the signal: its input and output histories are the signal at its position.</summary>
    private void TrackDisabledStages(Span<double> state, double h1, double h2)
    {
        for (int s = 0; s < StageCount; s++)
        {
            Span<double> st = state.Slice(s * StateStride, StateStride);
            if (_running[s])
            {
                h1 = st[2];
                h2 = st[3];
            }
            else
            {
                st[0] = h1; st[1] = h2; st[2] = h1; st[3] = h2;
            }
        }
    }

    private static void SanitizeState(Span<double> state)
    {
        double probe = 0;
        for (int i = 0; i < state.Length; i++) probe += state[i] * 0.0;
        if (probe != 0.0)
        {
            // NaN/∞ never decays out of a recursion: start the channel over.
            state.Clear();
            return;
        }

        double threshold = double.CreateTruncating(Denormals.StateThreshold<T>());
        for (int i = 0; i < state.Length; i++)
            if (Math.Abs(state[i]) < threshold) state[i] = 0.0;
    }

    private void CheckStage(int stage)
    {
        if ((uint)stage >= (uint)StageCount) ThrowStage();
    }

    private static void ThrowStage() => throw new ArgumentOutOfRangeException("stage");
}
