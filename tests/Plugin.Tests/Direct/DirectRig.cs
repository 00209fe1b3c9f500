using NPlug.Buffers.Buses;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Com;
using NPlug.Buffers.Interop.Framework;

namespace NPlug.Buffers.Tests.Direct;

/// <summary>
/// Drives a processor through its managed API entry points (no COM) with the host shim's native buffers, parameter
/// queues and event list — the same memory a host would pass, for behaviour tests of the plugin logic.
/// </summary>
internal sealed unsafe class DirectRig : IDisposable
{
    public readonly AudioProcessor Processor;
    public readonly HostProcessBuffers Buffers;
    public readonly HostParameterChanges Changes = new();
    public readonly HostParameterChanges OutputChanges = new();
    public readonly HostEventList Events = new();
    public readonly int SampleSize;
    public readonly int MaxBlock;
    public readonly double SampleRate;

    public DirectRig(AudioProcessor processor, int sampleSize = SymbolicSampleSizes.Sample32, int maxBlock = 512,
        double sampleRate = 48000, Action<AudioProcessor>? beforeSetup = null)
    {
        Processor = processor;
        SampleSize = sampleSize;
        MaxBlock = maxBlock;
        SampleRate = sampleRate;
        Assert.Equal(TResult.ResultOk, processor.Initialize());
        beforeSetup?.Invoke(processor);
        for (int i = 0; i < processor.AudioInputs.Count; i++)
            if (processor.AudioInputs[i].Type == BusType.Main) processor.ActivateBus(MediaType.Audio, BusDirection.Input, i, true);
        for (int i = 0; i < processor.AudioOutputs.Count; i++) processor.ActivateBus(MediaType.Audio, BusDirection.Output, i, true);
        for (int i = 0; i < processor.EventInputs.Count; i++) processor.ActivateBus(MediaType.Event, BusDirection.Input, i, true);
        Buffers = new HostProcessBuffers(
            processor.AudioInputs.Select(b => b.ChannelCount).ToArray(),
            processor.AudioOutputs.Select(b => b.ChannelCount).ToArray(), maxBlock);
        Assert.Equal(TResult.ResultOk, processor.SetupProcessing(new ProcessSetupInfo(ProcessMode.Realtime, (SampleSize)sampleSize, maxBlock, sampleRate)));
        Assert.Equal(TResult.ResultOk, processor.SetActive(true));
        Assert.Equal(TResult.ResultOk, processor.SetProcessing(true));
    }

    public bool Is64 => SampleSize == SymbolicSampleSizes.Sample64;

    /// <summary>One process call of <paramref name="frames"/> with the queued changes/events; clears them afterwards.</summary>
    public int Process(int frames)
    {
        Buffers.Prepare(frames, SampleSize);
        Buffers.Data->InputParameterChanges = (void*)Changes.Pointer;
        Buffers.Data->OutputParameterChanges = (void*)OutputChanges.Pointer;
        Buffers.Data->InputEvents = (void*)Events.Pointer;
        OutputChanges.Clear();
        int r = Processor.Process(Buffers.Data);
        Changes.Clear();
        Events.Clear();
        return r;
    }

    public void SetInput(int bus, int channel, Func<int, double> signal, int frames, int start = 0)
    {
        for (int i = 0; i < frames; i++)
        {
            if (Is64) Buffers.Input64(bus, channel)[i] = signal(start + i);
            else Buffers.Input32(bus, channel)[i] = (float)signal(start + i);
        }
    }

    public double[] Output(int bus, int channel, int frames)
    {
        var result = new double[frames];
        for (int i = 0; i < frames; i++)
            result[i] = Is64 ? Buffers.Output64(bus, channel)[i] : Buffers.Output32(bus, channel)[i];
        return result;
    }

    public byte[] GetState()
    {
        using var ms = new MemoryStream();
        Assert.Equal(TResult.ResultOk, Processor.GetState(ms));
        return ms.ToArray();
    }

    public void Dispose()
    {
        Processor.SetProcessing(false);
        Processor.SetActive(false);
        Processor.Terminate();
        Buffers.Dispose();
        Changes.Release();
        OutputChanges.Release();
        Events.Release();
    }

    public static double Peak(ReadOnlySpan<double> x) { double p = 0; foreach (var v in x) p = Math.Max(p, Math.Abs(v)); return p; }
}
