using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Interop.Api;

/// <summary>
/// Zero-copy view of the host's <c>ProcessData</c> for one <c>process</c> call. Nothing is copied or
/// allocated; everything reads through to host memory and is only valid during the call.
/// </summary>
/// <remarks>
/// <see cref="AudioProcessor"/> checks the contract before building the view (sample count within
/// [0, max], sample size as negotiated), so <see cref="SampleCount"/> can be trusted. It can be 0:
/// a parameter flush, where buses may be missing entirely — apply parameter changes, then return.
/// </remarks>
public readonly unsafe ref struct ProcessBlock
{
    private readonly ProcessData* _data;

    /// <summary>Wraps host memory. Hosts and tests only; plugins receive a ready view.</summary>
    public ProcessBlock(ProcessData* data) => _data = data;

    public int SampleCount => _data == null || _data->NumSamples < 0 ? 0 : _data->NumSamples;

    public SampleSize SampleSize => _data == null ? SampleSize.Float32 : (SampleSize)_data->SymbolicSampleSize;

    public ProcessMode Mode => _data == null ? ProcessMode.Realtime : (ProcessMode)_data->ProcessMode;

    /// <summary>Audio input buses the host passed (may be fewer than declared; 0 in a flush).</summary>
    public int InputBusCount => _data == null || _data->Inputs == null || _data->NumInputs < 0 ? 0 : _data->NumInputs;

    public int OutputBusCount => _data == null || _data->Outputs == null || _data->NumOutputs < 0 ? 0 : _data->NumOutputs;

    /// <summary>Input bus <paramref name="bus"/>; an empty view when the host passed no such bus.</summary>
    public AudioBusView Input(int bus) =>
        new((uint)bus < (uint)InputBusCount ? _data->Inputs + bus : null, SampleCount, SampleSize);

    /// <summary>Output bus <paramref name="bus"/>; an empty view when the host passed no such bus.</summary>
    public AudioBusView Output(int bus) =>
        new((uint)bus < (uint)OutputBusCount ? _data->Outputs + bus : null, SampleCount, SampleSize);

    public ParameterChangesReader InputParameterChanges => new(_data == null ? null : _data->InputParameterChanges);

    public ParameterChangesWriter OutputParameterChanges => new(_data == null ? null : _data->OutputParameterChanges);

    public EventListReader InputEvents => new(_data == null ? null : _data->InputEvents);

    public EventListWriter OutputEvents => new(_data == null ? null : _data->OutputEvents);

    public bool HasContext => _data != null && _data->ProcessContext != null;

    /// <summary>Copies the transport context (tempo, position, ...) if the host sent one; check its <c>State</c> bits.</summary>
    public bool TryGetContext(out ProcessContext context)
    {
        if (!HasContext) { context = default; return false; }
        context = *_data->ProcessContext;
        return true;
    }
}
