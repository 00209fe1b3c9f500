using NPlug.Buffers.Buses;
using BusInfo = NPlug.Buffers.Buses.BusInfo;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Plugin.Buses;
using NPlug.Buffers.Plugin.Parameters;
using NPlug.Buffers.Plugin.State;

namespace NPlug.Buffers.Plugin.Common;

/// <summary>
/// What GainEQ and the Sampler share: parameter store, versioned state, both sample sizes, latency 0, the
/// arrangement policy, and the bus half of the process contract.
/// </summary>
/// <remarks>
/// Process contract (checked before any buffer is touched):
/// <list type="bullet">
/// <item><c>numSamples</c> above maxSamplesPerBlock is processed in slices of at most the maximum (each class opts
/// in through <see cref="AudioProcessor.ProcessesOversizeBlocks"/>); negative counts are refused by the API layer.</item>
/// <item><c>numSamples == 0</c> is a flush: parameter changes (and notes) are applied, buses are not looked at, so
/// null or empty bus arrays and zero channel counts are all fine.</item>
/// <item>More buses than declared, or an <em>active</em> bus whose channel count is neither its arrangement's nor 0,
/// is refused with kInvalidArgument (returned to the host through <see cref="ValidateBlock"/>; the block is skipped).
/// Buses the host leaves out at the end, or passes with 0 channels, count as absent: an absent input is silence, an
/// absent output gets nothing written. Inactive buses are ignored whatever they hold.</item>
/// <item>Null channel pointers inside a valid bus are tolerated (storage substitutes: zeroed input, discarded effect
/// output, internal instrument output).</item>
/// </list>
/// </remarks>
public abstract class PluginProcessor : AudioProcessor
{
    private int _lastProcessResult = TResult.ResultOk;

    protected PluginProcessor(ParameterLayout layout, ushort stateTag, IArrangementPolicy policy)
    {
        Layout = layout;
        StateTag = stateTag;
        Policy = policy;
        Store = new ParameterStore(layout);
    }

    public ParameterLayout Layout { get; }
    public ParameterStore Store { get; }
    public ushort StateTag { get; }
    public IArrangementPolicy Policy { get; }

    /// <summary>Result of the last <c>process</c> body (bus contract), for hosts/tests until the API returns it directly.</summary>
    public int LastProcessResult => Volatile.Read(ref _lastProcessResult);

    protected void SetProcessResult(int result) => _lastProcessResult = result;

    public override uint LatencySamples => 0;

    public override bool CanProcess(SampleSize sampleSize) => sampleSize is SampleSize.Float32 or SampleSize.Float64;

    private bool _applyingSuggestion;

    /// <summary>
    /// Accepts what the policy supports. On a refusal the buses are switched to the policy's suggestion (the closest
    /// supported layout) before kResultFalse goes back, so a host that reads getBusArrangement after a refusal — as
    /// VST3 hosts and the validator do — finds the suggestion there.
    /// </summary>
    protected override bool AcceptsArrangements(ReadOnlySpan<ulong> inputs, ReadOnlySpan<ulong> outputs)
    {
        Span<ulong> chosenIn = stackalloc ulong[inputs.Length];
        Span<ulong> chosenOut = stackalloc ulong[outputs.Length];
        bool accepted = Policy.Evaluate(inputs, outputs, chosenIn, chosenOut);
        if (!accepted && !_applyingSuggestion && !chosenIn.Contains(0UL) && !chosenOut.Contains(0UL))
        {
            _applyingSuggestion = true;
            try { SetBusArrangements(chosenIn, chosenOut); }
            finally { _applyingSuggestion = false; }
        }
        return accepted;
    }

    protected override void OnWriteState(Stream stream) => StateStream.Write(stream, Layout, StateTag, Store);

    protected override void OnReadState(Stream stream)
    {
        var values = new double[Layout.Count];
        Store.CopyTo(values);
        if (!StateStream.TryRead(stream, Layout, StateTag, values))
            throw new InvalidDataException("Not a valid NPlug.Buffers state for this class.");
        Store.LoadAll(values);
    }

    /// <summary>The current buses in the storage's format-free terms.</summary>
    protected BusConfiguration CurrentConfiguration()
    {
        var inputs = new BusInfo[AudioInputs.Count];
        for (int i = 0; i < inputs.Length; i++) inputs[i] = ToCore(AudioInputs[i]);
        var outputs = new BusInfo[AudioOutputs.Count];
        for (int i = 0; i < outputs.Length; i++) outputs[i] = ToCore(AudioOutputs[i]);
        return new BusConfiguration(inputs, outputs);
    }

    private static BusInfo ToCore(AudioBus bus) =>
        new(bus.Name, bus.Type == BusType.Main ? BusKind.Main : BusKind.Aux, bus.ChannelCount, bus.IsActive);

    /// <summary>The bus half of the contract, run by the API layer for every block with samples; a refusal is returned
    /// to the host and the block is skipped untouched.</summary>
    protected override int ValidateBlock(ProcessBlock block) => ValidateBuses(block);

    /// <summary>The bus half of the contract for a block with samples (see the class remarks).</summary>
    protected int ValidateBuses(ProcessBlock block)
    {
        if (block.InputBusCount > AudioInputs.Count || block.OutputBusCount > AudioOutputs.Count) return TResult.InvalidArgument;
        for (int i = 0; i < block.InputBusCount; i++)
            if (!CheckBus(AudioInputs[i], block.Input(i).ChannelCount)) return TResult.InvalidArgument;
        for (int i = 0; i < block.OutputBusCount; i++)
            if (!CheckBus(AudioOutputs[i], block.Output(i).ChannelCount)) return TResult.InvalidArgument;
        return TResult.ResultOk;
    }

    // An active bus carries its arrangement's channel count, or 0 when the host gives it no buffers this block;
    // inactive buses are ignored whatever they hold.
    private static bool CheckBus(AudioBus declared, int channels) =>
        !declared.IsActive || channels == 0 || channels == declared.ChannelCount;

    /// <summary>Silence-flag mask with one bit per channel.</summary>
    protected static ulong ChannelMask(int channels) => channels >= 64 ? ulong.MaxValue : (1UL << channels) - 1;
}
