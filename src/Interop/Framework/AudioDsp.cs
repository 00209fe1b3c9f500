using System.Numerics;

using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>
/// The audio processing of a plugin at one sample precision, with one contract for every plugin (as JUCE's dsp
/// module has): <see cref="Prepare"/> off the audio thread, then <see cref="Process"/> and <see cref="Reset"/> on it.
/// Write it once, generic over <typeparamref name="T"/>; the framework creates it for <see cref="float"/> and
/// <see cref="double"/> as the host asks (<see cref="AudioPluginModel.CreateDsp{T}"/>).
/// </summary>
/// <remarks>
/// <see cref="Process"/> and <see cref="Reset"/> run on the audio thread: no allocation, locks, I/O, exceptions,
/// LINQ, boxing, closures or <c>params</c>. Everything the DSP needs is allocated in <see cref="Prepare"/>, which
/// knows the sample rate, the largest block, and the channel count of every bus.
/// </remarks>
public abstract class AudioDsp<T> : IDisposable where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Allocate and size everything for <paramref name="setup"/> (activation; any thread but the audio thread).</summary>
    public abstract void Prepare(in DspSetup setup);

    /// <summary>
    /// One block: read <see cref="ProcessContext{T}.Parameters"/> and <see cref="ProcessContext{T}.Events"/>, write every
    /// output channel. Blocks are never longer than the prepared maximum (the framework slices longer ones) and every
    /// view is valid memory (null host pointers are replaced). A block of 0 frames carries only events.
    /// </summary>
    public abstract DspResult Process(in ProcessContext<T> context);

    /// <summary>
    /// Whether this block can use <see cref="ProcessContext{T}.Scratch"/> (audio thread, before the block): a DSP that
    /// knows it will not touch scratch (nothing to crossfade, nothing to duck) saves the block's lease. Default: true.
    /// </summary>
    public virtual bool NeedsScratch(in ScratchQuery query) => true;

    /// <summary>Clears the state (filters, delay lines, voices) as if freshly prepared; audio thread, no allocation.</summary>
    public virtual void Reset() { }

    /// <summary>Releases what <see cref="Prepare"/> allocated (deactivation).</summary>
    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>What a DSP reports for a block; anything but <see cref="Ok"/> reaches the host as a VST3 result code.</summary>
public enum DspResult
{
    Ok = 0,
    /// <summary>The block cannot be processed as given (kInvalidArgument).</summary>
    InvalidArgument,
    /// <summary>The DSP was not prepared (kNotInitialized).</summary>
    NotInitialized,
    /// <summary>Anything else (kInternalError).</summary>
    Failed,
}

/// <summary>What <see cref="AudioDsp{T}.Prepare"/> is given.</summary>
public readonly ref struct DspSetup
{
    internal DspSetup(double sampleRate, int maxFrames, ProcessMode mode, ReadOnlySpan<int> inputChannels,
        ReadOnlySpan<int> outputChannels, ulong activeInputs, ulong activeOutputs, ParameterStore values, ScratchRequest scratch)
    {
        _scratch = scratch;
        SampleRate = sampleRate;
        MaxFrames = maxFrames;
        Mode = mode;
        InputChannels = inputChannels;
        OutputChannels = outputChannels;
        _activeInputs = activeInputs;
        _activeOutputs = activeOutputs;
        _values = values;
    }

    private readonly ScratchRequest _scratch;
    private readonly ulong _activeInputs;
    private readonly ulong _activeOutputs;

    /// <summary>Whether the host activated input bus <paramref name="bus"/> (an inactive bus reads as empty).</summary>
    public bool IsInputActive(int bus) => (uint)bus < 64 && (_activeInputs & (1UL << bus)) != 0;

    public bool IsOutputActive(int bus) => (uint)bus < 64 && (_activeOutputs & (1UL << bus)) != 0;

    private readonly ParameterStore _values;

    public double SampleRate { get; }

    /// <summary>The largest block <see cref="AudioDsp{T}.Process"/> will see.</summary>
    public int MaxFrames { get; }

    public ProcessMode Mode { get; }

    /// <summary>Channels of each declared input bus (its current arrangement's, active or not).</summary>
    public ReadOnlySpan<int> InputChannels { get; }

    /// <summary>Channels of each declared output bus (its current arrangement's, active or not).</summary>
    public ReadOnlySpan<int> OutputChannels { get; }

    /// <summary>
    /// Asks for <paramref name="channels"/> scratch channels of <see cref="MaxFrames"/> frames in every block
    /// (<see cref="ProcessContext{T}.Scratch"/>). The framework reserves them in the module's shared pool — instances
    /// that do not process at the same moment share the memory — so a DSP never sizes or owns block scratch itself.
    /// </summary>
    public void RequestScratch(int channels) => _scratch.Channels = Math.Max(_scratch.Channels, Math.Max(0, channels));

    /// <summary>
    /// <see cref="RequestScratch(int)"/> for a DSP that renders a whole block from a scratch shorter than the block.
    /// When the pool runs short the framework normally renders the block in passes of the fallback's length (each pass a
    /// block of its own to the DSP); a DSP whose output depends on where blocks begin (sub-block grids, smoother targets
    /// taken at block edges) asks this way instead, and then sees the whole block with a
    /// <see cref="ProcessContext{T}.Scratch"/> of at least <paramref name="minFrames"/> frames (the pool's fallback is
    /// at least 32) that may be shorter than <see cref="ProcessContext{T}.Frames"/>: it splits the block at edges of
    /// its own choosing, so its output does not change when the pool is short.
    /// </summary>
    public void RequestScratch(int channels, int minFrames)
    {
        RequestScratch(channels);
        _scratch.MinFrames = Math.Max(_scratch.MinFrames, Math.Max(1, minFrames));
    }

    /// <summary>The current plain value of a parameter (start the DSP from it without a ramp).</summary>
    public double Plain(AudioParameter parameter) => _values.GetPlain(parameter.Index);
}

/// <summary>What a DSP asked for in <see cref="AudioDsp{T}.Prepare"/>.</summary>
internal sealed class ScratchRequest
{
    public int Channels;

    /// <summary>Non-zero: the DSP takes scratch shorter than the block, down to this many frames (no passes).</summary>
    public int MinFrames;
}

/// <summary>What a DSP may look at to decide <see cref="AudioDsp{T}.NeedsScratch"/>: the parameters as the block ends
/// and whether they change in it, and which inputs are connected.</summary>
public readonly ref struct ScratchQuery
{
    private readonly ParameterBuffer _parameters;
    private readonly ulong _activeInputs;

    internal ScratchQuery(ParameterBuffer parameters, ulong activeInputs)
    {
        _parameters = parameters;
        _activeInputs = activeInputs;
    }

    /// <summary>The value the block ends on, in plain units.</summary>
    public double Plain(AudioParameter parameter) => _parameters.Store.GetPlain(parameter.Index);

    /// <summary>The value the block ends on, normalized (for a toggle, on ⇔ ≥ 0.5, without the plain conversion).</summary>
    public double Normalized(AudioParameter parameter) => _parameters.Store[parameter.Index];

    /// <summary>True when the host sent points for it this block or its value changed since the last processed block.</summary>
    public bool Changes(AudioParameter parameter) => _parameters.HostChanged(parameter.Index);

    public bool IsInputActive(int bus) => (uint)bus < 64 && (_activeInputs & (1UL << bus)) != 0;
}
