using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Tests.Abi.Api;

public unsafe class ProcessViewTests
{
    [Fact]
    public void Bus_view_gives_typed_channels_and_guards_precision_and_nulls()
    {
        float* ch0 = stackalloc float[8];
        float** ptrs = stackalloc float*[2];
        ptrs[0] = ch0;
        ptrs[1] = null; // host gave no buffer for channel 1
        AudioBusBuffers bus = new() { NumChannels = 2, ChannelBuffers32 = ptrs };

        var view = new AudioBusView(&bus, 8, SampleSize.Float32);
        Assert.Equal(2, view.ChannelCount);
        Assert.Equal(8, view.GetChannel32(0).Length);
        view.GetChannel32(0)[3] = 0.5f;
        Assert.Equal(0.5f, ch0[3]);
        Assert.True(view.GetChannel32(1).IsEmpty);
        Assert.True(view.GetChannel32(2).IsEmpty);
        Assert.True(view.GetChannel32(-1).IsEmpty);
        Assert.True(view.GetChannel64(0).IsEmpty);       // wrong precision
        Assert.Equal(32, view.GetChannelBytes(0).Length);
        Assert.Equal(2, view.AsBlock32().ChannelCount);
        Assert.True(view.AsBlock64().IsEmpty);

        view.SilenceFlags = 0b10;
        Assert.Equal(0b10ul, bus.SilenceFlags);

        bus.ChannelBuffers32 = null; // pointer array missing
        Assert.True(view.GetChannel32(0).IsEmpty);
        Assert.True(view.AsBlock32().IsEmpty);

        var missing = new AudioBusView(null, 8, SampleSize.Float32);
        Assert.False(missing.Exists);
        Assert.Equal(0, missing.ChannelCount);
        Assert.True(missing.GetChannel32(0).IsEmpty);
        missing.SilenceFlags = 1; // no crash
    }

    [Fact]
    public void Sixty_four_bit_view_and_in_place_detection()
    {
        double* shared = stackalloc double[4];
        double** inPtrs = stackalloc double*[1];
        double** outPtrs = stackalloc double*[1];
        inPtrs[0] = shared;
        outPtrs[0] = shared;
        AudioBusBuffers input = new() { NumChannels = 1, ChannelBuffers64 = inPtrs };
        AudioBusBuffers output = new() { NumChannels = 1, ChannelBuffers64 = outPtrs };
        var i = new AudioBusView(&input, 4, SampleSize.Float64);
        var o = new AudioBusView(&output, 4, SampleSize.Float64);
        Assert.Equal(4, i.GetChannel64(0).Length);
        Assert.True(i.GetChannel32(0).IsEmpty);
        Assert.True(i.SharesChannel(0, o, 0));
        double* other = stackalloc double[4];
        outPtrs[0] = other;
        Assert.False(i.SharesChannel(0, o, 0));
    }

    [Fact]
    public void Process_block_reads_null_lists_as_empty_and_missing_buses_as_empty()
    {
        ProcessData data = new() { NumSamples = 16, NumInputs = 3, Inputs = null, NumOutputs = 0 };
        var block = new ProcessBlock(&data);
        Assert.Equal(16, block.SampleCount);
        Assert.Equal(0, block.InputBusCount); // null array wins over the count
        Assert.False(block.Input(0).Exists);
        Assert.False(block.Output(5).Exists);
        Assert.Equal(0, block.InputParameterChanges.Count);
        Assert.Equal(0, block.InputParameterChanges[0].PointCount);
        Assert.False(block.InputParameterChanges[0].TryGetLastPoint(out _, out _));
        Assert.Equal(ParamIds.NoParamId, block.InputParameterChanges[0].ParameterId);
        Assert.Equal(0, block.InputEvents.Count);
        Assert.False(block.InputEvents.TryGetEvent(0, out _));
        Assert.False(block.OutputParameterChanges.TryAddPoint(1, 0, 0.5));
        Assert.False(block.OutputEvents.TryAdd(default));
        Assert.False(block.TryGetContext(out _));

        ProcessContext ctx = new() { Tempo = 120, State = ProcessContextState.TempoValid };
        data.ProcessContext = &ctx;
        Assert.True(block.TryGetContext(out var copy));
        Assert.Equal(120, copy.Tempo);
    }
}
