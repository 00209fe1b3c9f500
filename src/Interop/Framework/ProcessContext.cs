using System.Numerics;
using System.Runtime.CompilerServices;
using NPlug.Buffers;

using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>
/// One block as a DSP sees it: planar views of its buses (never null, never longer than the prepared maximum), the
/// block's parameter values with their sample-accurate points, its note events, and the meters it writes back.
/// Only valid during the <see cref="AudioDsp{T}.Process"/> call that received it.
/// </summary>
public readonly ref struct ProcessContext<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly BlockState<T> _state;

    internal ProcessContext(BlockState<T> state) => _state = state;

    /// <summary>Frames in this block (0: events only).</summary>
    public int Frames => _state.Frames;

    public double SampleRate => _state.SampleRate;

    public ProcessMode Mode => _state.Mode;

    public int InputBusCount => _state.InputCount;

    public int OutputBusCount => _state.OutputCount;

    /// <summary>Input bus <paramref name="bus"/> (an inactive or absent bus reads as silence; empty when not declared).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AudioBlock<T> Input(int bus) => (uint)bus < (uint)_state.InputCount ? _state.Inputs[bus] : AudioBlock<T>.Empty;

    /// <summary>Output bus <paramref name="bus"/> (empty when inactive or not declared).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public AudioBlock<T> Output(int bus) => (uint)bus < (uint)_state.OutputCount ? _state.Outputs[bus] : AudioBlock<T>.Empty;

    public AudioBlock<T> MainInput
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Input(0);
    }

    public AudioBlock<T> MainOutput
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Output(0);
    }

    /// <summary>
    /// Scratch channels for this block, as many as the DSP asked for in <see cref="DspSetup.RequestScratch"/>, taken
    /// from the module-wide pool and given back after the block: content undefined (write before you read), as long
    /// as <see cref="Frames"/>.
    /// </summary>
    public AudioBlock<T> Scratch
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _state.Scratch;
    }

    /// <summary>True when the host flagged every channel of the main input silent (a hint: the samples are zeros).</summary>
    public bool IsInputSilent => _state.InputSilent;

    /// <summary>This block's parameter values and automation.</summary>
    public ParameterBlock Parameters => new(_state.Parameters);

    /// <summary>Note events in host order, offsets relative to this block.</summary>
    public ReadOnlySpan<NoteEvent> Events => _state.EventSpan;

    /// <summary>Sets a read-only parameter (a meter) to a plain value; the host receives it after the block.</summary>
    public void SetMeter(AudioParameter meter, double plain) => _state.SetMeter(meter.Index, plain);

    /// <summary>
    /// Tells the framework the peak |sample| of the main output this block (the DSP often knows it for free); saves
    /// the framework measuring it for the silence flags and the output-peak meter.
    /// </summary>
    public void ReportOutputPeak(double peak) => _state.ReportedPeak = peak;
}

/// <summary>One automation point of a parameter, in plain units, at a sample offset within the block.</summary>
public readonly record struct ParameterPoint(int Offset, double Plain);

/// <summary>
/// The parameters of one block. A parameter <see cref="Changed"/> when the host sent points for it in this block or
/// its value changed outside a processed block (a flush, a state load); such a change arrives as a point at offset 0.
/// Between points, VST3 defines a linear ramp.
/// </summary>
public readonly ref struct ParameterBlock
{
    private readonly ParameterBuffer _buffer;

    internal ParameterBlock(ParameterBuffer buffer) => _buffer = buffer;

    /// <summary>True if any parameter changed in this block.</summary>
    public bool AnyChanged => _buffer.AnyChanged;

    public bool Changed(AudioParameter parameter) => _buffer.PointCount(parameter.Index) > 0;

    /// <summary>The value at the end of this block, in plain units.</summary>
    public double Plain(AudioParameter parameter) => Plain(parameter.Index);

    /// <summary>The same by index in the model's parameter list.</summary>
    public double Plain(int index) => _buffer.PointCount(index) > 0 ? _buffer.LastPlain(index) : _buffer.Store.GetPlain(index);

    /// <summary>This block's points of <paramref name="parameter"/> (empty when unchanged), in plain units, offsets ascending.</summary>
    public ReadOnlySpan<ParameterPoint> Points(AudioParameter parameter) => _buffer.Points(parameter.Index);

    /// <summary>The same by index in the model's parameter list.</summary>
    public ReadOnlySpan<ParameterPoint> Points(int index) => _buffer.Points(index);

    public bool Changed(int index) => _buffer.PointCount(index) > 0;
}

/// <summary>A note event at a sample offset within the block.</summary>
public readonly record struct NoteEvent(NoteEventKind Kind, int Offset, short Channel, short Pitch, float Velocity, int NoteId);

public enum NoteEventKind : byte
{
    NoteOn,
    NoteOff,
}
