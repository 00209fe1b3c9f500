using NPlug.Buffers.Buses;
using NPlug.Buffers.Storage;

namespace NPlug.Buffers.Tests.Storage;

public sealed unsafe class ProcessBufferStorageTests
{
    private const int MaxFrames = 512;
    private static readonly int Ptr = IntPtr.Size;

    [Fact]
    public void AllocateFromConfig_Stereo()
    {
        using var storage = new ProcessBufferStorage<float>(BusConfiguration.Effect(2, 2), MaxFrames);
        var fp = storage.Footprint;

        Assert.Equal(2 * Ptr, fp.InputPointerBytes);
        Assert.Equal(2 * Ptr, fp.OutputPointerBytes);
        Assert.Equal(4 * Ptr, fp.PointerBytes);
        Assert.Equal(0, storage.AuxInputCount);
        Assert.Equal(0, storage.AuxOutputCount);
        // One pointer block + one buffer block (scratch + discard); no aux descriptor arrays.
        Assert.Equal(2, fp.HeapAllocations);
        Assert.Equal(MaxFrames * sizeof(float), fp.ScratchBytes);
        Assert.Equal(MaxFrames * sizeof(float), fp.DiscardBytes);

        using var input = new HostBus<float>(2, MaxFrames);
        using var output = new HostBus<float>(2, MaxFrames);
        Assert.Equal(CollectResult.Ok, storage.CollectInput(0, input.Channels, 2, 256));
        Assert.Equal(CollectResult.Ok, storage.CollectOutput(0, output.Channels, 2, 256));
        var inBlock = storage.MainInput;
        var outBlock = storage.MainOutput;
        Assert.Equal(2, inBlock.ChannelCount);
        Assert.Equal(256, inBlock.FrameCount);
        for (int c = 0; c < 2; c++)
        {
            Assert.True(inBlock.GetChannelPointer(c) == input.Owned(c));
            Assert.True(outBlock.GetChannelPointer(c) == output.Owned(c));
        }
    }

    [Fact]
    public void AllocateFromConfig_Mono()
    {
        using var storage = new ProcessBufferStorage<float>(BusConfiguration.Effect(1, 1), MaxFrames);
        var fp = storage.Footprint;

        Assert.Equal(Ptr, fp.InputPointerBytes);
        Assert.Equal(Ptr, fp.OutputPointerBytes);
        Assert.Equal(StorageFootprint.WorstCasePointerBytes / 32, fp.PointerBytes);
        Assert.Equal(32.0, fp.PointerSavingFactor, 6);
        Assert.Equal(0, fp.InternalOutputBytes);
    }

    [Fact]
    public void AllocateFromConfig_WithAux()
    {
        // The seed's example: main 2 in, mono sidechain, quad aux; stereo out.
        var config = new BusConfiguration(
            [BusInfo.Main("In", 2), BusInfo.Aux("Sidechain", 1), BusInfo.Aux("Quad", 4)],
            [BusInfo.Main("Out", 2)]);
        using var storage = new ProcessBufferStorage<float>(config, MaxFrames);
        var fp = storage.Footprint;

        Assert.Equal(7 * Ptr, fp.InputPointerBytes);
        Assert.Equal(2 * Ptr, fp.OutputPointerBytes);
        Assert.Equal(2, storage.AuxInputCount);
        Assert.Equal(0, storage.AuxOutputCount);
        // Pointer block, aux-input descriptor array, buffer block; no aux-output container.
        Assert.Equal(3, fp.HeapAllocations);

        using var main = new HostBus<float>(2, MaxFrames);
        using var side = new HostBus<float>(1, MaxFrames);
        using var quad = new HostBus<float>(4, MaxFrames);
        Assert.Equal(CollectResult.Ok, storage.CollectInput(0, main.Channels, 2, 64));
        Assert.Equal(CollectResult.Ok, storage.CollectInput(1, side.Channels, 1, 64));
        Assert.Equal(CollectResult.Ok, storage.CollectInput(2, quad.Channels, 4, 64));

        Assert.Equal(1, storage.AuxInput(0).ChannelCount);
        Assert.Equal(4, storage.AuxInput(1).ChannelCount);
        Assert.True(storage.AuxInput(0).GetChannelPointer(0) == side.Owned(0));
        for (int c = 0; c < 4; c++) Assert.True(storage.AuxInput(1).GetChannelPointer(c) == quad.Owned(c));
        // Collecting the aux buses must not have disturbed the main list laid out before them.
        for (int c = 0; c < 2; c++) Assert.True(storage.MainInput.GetChannelPointer(c) == main.Owned(c));
        Assert.True(storage.AuxInput(2).IsEmpty);
        Assert.True(storage.AuxOutput(0).IsEmpty);

        // Each aux bus holds exactly its own channel count: the mono sidechain rejects a second channel.
        using var stereoSide = new HostBus<float>(2, MaxFrames);
        Assert.Equal(CollectResult.TooManyChannels, storage.CollectInput(1, stereoSide.Channels, 2, 64));
    }

    [Fact]
    public void NoAuxBuses_NoAuxContainers()
    {
        using var storage = new ProcessBufferStorage<float>(BusConfiguration.Effect(2, 2), MaxFrames);
        var withAux = new BusConfiguration([BusInfo.Main("In", 2)], [BusInfo.Main("Out", 2), BusInfo.Aux("Send", 2)]);
        using var auxStorage = new ProcessBufferStorage<float>(withAux, MaxFrames);

        // The only difference is the aux bus: one more heap block (its descriptor array) and its pointers.
        Assert.Equal(storage.Footprint.HeapAllocations + 1, auxStorage.Footprint.HeapAllocations);
        Assert.Equal(storage.Footprint.PointerBytes + 2 * Ptr, auxStorage.Footprint.PointerBytes);
    }

    [Fact]
    public void BusLess_Side_AllocatesNothing()
    {
        using var none = new ProcessBufferStorage<float>(default, MaxFrames);
        var fp = none.Footprint;
        Assert.Equal(0, fp.PointerBytes);
        Assert.Equal(0, fp.BufferBytes);
        Assert.Equal(0, fp.HeapAllocations);
        Assert.Equal(CollectResult.UnknownBus, none.CollectInput(0, null, 0, 16));
        Assert.True(none.MainInput.IsEmpty);
    }

    [Fact]
    public void ClearMaintainsCapacity()
    {
        using var storage = new ProcessBufferStorage<float>(BusConfiguration.EffectWithSidechain(2, 2, 2), MaxFrames);
        var before = storage.Footprint;
        using var input = new HostBus<float>(2, MaxFrames);
        using var side = new HostBus<float>(2, MaxFrames);
        using var output = new HostBus<float>(2, MaxFrames);

        for (int block = 0; block < 3; block++)
        {
            Assert.Equal(CollectResult.Ok, storage.CollectInput(0, input.Channels, 2, 128));
            Assert.Equal(CollectResult.Ok, storage.CollectInput(1, side.Channels, 2, 128));
            Assert.Equal(CollectResult.Ok, storage.CollectOutput(0, output.Channels, 2, 128));
            Assert.Equal(2, storage.MainInput.ChannelCount);
            Assert.Equal(2, storage.AuxInput(0).ChannelCount);

            storage.Clear();

            // Cleared: nothing is exposed any more, but nothing was freed or resized either.
            Assert.True(storage.MainInput.IsEmpty);
            Assert.True(storage.AuxInput(0).IsEmpty);
            Assert.True(storage.MainOutput.IsEmpty);
            Assert.Equal(ChannelSource.NotCollected, storage.GetChannelSource(BusDirection.Input, 0, 0));
            Assert.Equal(before, storage.Footprint);
        }

        // Same configuration again: no reallocation.
        Assert.False(storage.Reconfigure(BusConfiguration.EffectWithSidechain(2, 2, 2), MaxFrames));
        Assert.Equal(before, storage.Footprint);
    }

    [Fact]
    public void InstrumentInternalBuffersAllocated()
    {
        var config = BusConfiguration.Instrument(2);
        Assert.True(config.IsInstrument);
        using var storage = new ProcessBufferStorage<float>(config, MaxFrames);
        var fp = storage.Footprint;

        Assert.Equal(0, fp.InputPointerBytes);
        Assert.Equal(2 * Ptr, fp.OutputPointerBytes);
        Assert.Equal(2L * MaxFrames * sizeof(float), fp.InternalOutputBytes);
        Assert.Equal(0, fp.ScratchBytes);
        Assert.Equal(0, fp.DiscardBytes);

        // Host (Logic/Reaper style) gives null output channels and wants the plugin's own buffers back.
        using var output = new HostBus<float>(2, MaxFrames);
        output.Null(0);
        output.Null(1);
        Assert.Equal(CollectResult.Ok, storage.CollectOutput(0, output.Channels, 2, MaxFrames, CollectOptions.WriteBackSubstitutes));

        var block = storage.MainOutput;
        Assert.False(block.IsChannelNull(0));
        Assert.False(block.IsChannelNull(1));
        Assert.Equal(ChannelSource.InternalOutput, storage.GetChannelSource(BusDirection.Output, 0, 0));
        Assert.Equal(ChannelSource.InternalOutput, storage.GetChannelSource(BusDirection.Output, 0, 1));
        // The host's entries now point at the internal buffers, so it reads what the instrument writes.
        Assert.True(output.Channels[0] == block.GetChannelPointer(0));
        Assert.True(output.Channels[1] == block.GetChannelPointer(1));

        // Each channel owns a full-length buffer: writing one never shows up in the other.
        block[0].Fill(1f);
        block[1].Fill(-1f);
        Assert.All(block[0].ToArray(), s => Assert.Equal(1f, s));
        Assert.All(block[1].ToArray(), s => Assert.Equal(-1f, s));
    }

    [Fact]
    public void EffectNoInternalBuffers()
    {
        var config = BusConfiguration.Effect(2, 2);
        Assert.False(config.IsInstrument);
        using var storage = new ProcessBufferStorage<float>(config, MaxFrames);
        Assert.Equal(0, storage.Footprint.InternalOutputBytes);

        using var input = new HostBus<float>(2, MaxFrames);
        using var output = new HostBus<float>(2, MaxFrames);
        output.Null(0);
        Assert.Equal(CollectResult.Ok, storage.CollectInput(0, input.Channels, 2, 32));
        Assert.Equal(CollectResult.Ok, storage.CollectOutput(0, output.Channels, 2, 32));
        Assert.Equal(ChannelSource.Discard, storage.GetChannelSource(BusDirection.Output, 0, 0));
        Assert.Equal(ChannelSource.Host, storage.GetChannelSource(BusDirection.Output, 0, 1));
        // Without write-back the host's array is left exactly as given.
        Assert.True(output.Channels[0] == null);
    }

    [Fact]
    public void AsymmetricBuses_MonoToStereo()
    {
        using var storage = new ProcessBufferStorage<float>(BusConfiguration.Effect(1, 2), MaxFrames);
        var fp = storage.Footprint;
        Assert.Equal(1 * Ptr, fp.InputPointerBytes);
        Assert.Equal(2 * Ptr, fp.OutputPointerBytes);
        Assert.Equal(3 * Ptr, fp.PointerBytes);
        if (Ptr == 8) Assert.Equal(24, fp.PointerBytes);

        using var input = new HostBus<float>(1, MaxFrames);
        using var output = new HostBus<float>(2, MaxFrames);
        Assert.Equal(CollectResult.Ok, storage.CollectInput(0, input.Channels, 1, 100));
        Assert.Equal(CollectResult.Ok, storage.CollectOutput(0, output.Channels, 2, 100));
        Assert.Equal(1, storage.MainInput.ChannelCount);
        Assert.Equal(2, storage.MainOutput.ChannelCount);
        Assert.Equal(CollectResult.TooManyChannels, storage.CollectInput(0, output.Channels, 2, 100));
    }

    public static TheoryData<string> BusKinds => new() { "main input", "aux input", "effect main output", "effect aux output", "instrument output" };

    [Theory]
    [MemberData(nameof(BusKinds))]
    public void NullPointer_AtSameIndex_ForEachBusKind(string kind)
    {
        // Three channels per bus so the null sits between two host channels that must stay in place.
        BusConfiguration config = kind switch
        {
            "main input" or "effect main output" => BusConfiguration.Effect(3, 3),
            "aux input" => new([BusInfo.Main("In", 3), BusInfo.Aux("Side", 3)], [BusInfo.Main("Out", 3)]),
            "effect aux output" => new([BusInfo.Main("In", 3)], [BusInfo.Main("Out", 3), BusInfo.Aux("Send", 3)]),
            _ => BusConfiguration.Instrument(3),
        };
        var direction = kind.Contains("input") ? BusDirection.Input : BusDirection.Output;
        int busIndex = kind.Contains("aux") ? 1 : 0;
        var expected = direction == BusDirection.Input ? ChannelSource.ZeroedScratch
            : config.IsInstrument ? ChannelSource.InternalOutput : ChannelSource.Discard;

        using var storage = new ProcessBufferStorage<double>(config, MaxFrames);
        using var host = new HostBus<double>(3, MaxFrames);
        host.Null(1);

        for (int block = 0; block < 2; block++)
        {
            storage.Clear();
            Assert.Equal(CollectResult.Ok, storage.Collect(direction, busIndex, host.Channels, 3, 64));
            var view = storage.Bus(direction, busIndex);

            Assert.Equal(3, view.ChannelCount);
            Assert.True(view.GetChannelPointer(0) == host.Owned(0));
            Assert.True(view.GetChannelPointer(2) == host.Owned(2));
            Assert.False(view.IsChannelNull(1));
            Assert.Equal(expected, storage.GetChannelSource(direction, busIndex, 1));
            Assert.Equal(ChannelSource.Host, storage.GetChannelSource(direction, busIndex, 0));
            Assert.True(host.Channels[1] == null, "without write-back the host array is untouched");

            if (direction == BusDirection.Input)
            {
                // A null input reads silence, even after someone scribbled on the scratch in the previous block.
                Assert.All(view[1].ToArray(), s => Assert.Equal(0.0, s));
                view[1].Fill(123.0);
            }
            else
            {
                view[1].Fill(0.5); // must be writable without touching the host channels around it
                Assert.All(host.Samples(0).ToArray(), s => Assert.Equal(0.0, s));
                Assert.All(host.Samples(2).ToArray(), s => Assert.Equal(0.0, s));
            }
        }

        // With write-back the null entry now points at the substitute the view exposes.
        storage.Clear();
        Assert.Equal(CollectResult.Ok, storage.Collect(direction, busIndex, host.Channels, 3, 64, CollectOptions.WriteBackSubstitutes));
        Assert.True(host.Channels[1] == storage.Bus(direction, busIndex).GetChannelPointer(1));
        Assert.True(host.Channels[0] == host.Owned(0));
    }

    [Fact]
    public void NullChannelArray_IsTreatedAsAllNull()
    {
        using var storage = new ProcessBufferStorage<float>(BusConfiguration.Effect(2, 2), MaxFrames);
        Assert.Equal(CollectResult.Ok, storage.CollectInput(0, null, 2, 16, CollectOptions.WriteBackSubstitutes));
        Assert.Equal(CollectResult.Ok, storage.CollectOutput(0, null, 2, 16));
        Assert.Equal(ChannelSource.ZeroedScratch, storage.GetChannelSource(BusDirection.Input, 0, 1));
        Assert.Equal(ChannelSource.Discard, storage.GetChannelSource(BusDirection.Output, 0, 1));
    }

    [Fact]
    public void FewerHostChannels_ArePaddedWithSubstitutes()
    {
        using var storage = new ProcessBufferStorage<float>(BusConfiguration.Effect(2, 2), MaxFrames);
        using var mono = new HostBus<float>(1, MaxFrames);
        Assert.Equal(CollectResult.Ok, storage.CollectInput(0, mono.Channels, 1, 16));
        Assert.Equal(2, storage.MainInput.ChannelCount);
        Assert.Equal(ChannelSource.Host, storage.GetChannelSource(BusDirection.Input, 0, 0));
        Assert.Equal(ChannelSource.ZeroedScratch, storage.GetChannelSource(BusDirection.Input, 0, 1));
    }

    [Fact]
    public void InPlaceDetection()
    {
        using var storage = new ProcessBufferStorage<float>(BusConfiguration.Effect(3, 3), MaxFrames);
        using var input = new HostBus<float>(3, MaxFrames);
        using var output = new HostBus<float>(3, MaxFrames);
        output.ShareWith(input, 0);
        output.ShareWith(input, 2);

        Assert.Equal(CollectResult.Ok, storage.CollectInput(0, input.Channels, 3, 64));
        Assert.False(storage.IsInPlace(0), "the output bus has not been collected yet");
        Assert.Equal(CollectResult.Ok, storage.CollectOutput(0, output.Channels, 3, 64));

        Assert.True(storage.IsInPlace(0));
        Assert.False(storage.IsInPlace(1));
        Assert.True(storage.IsInPlace(2));
        Assert.False(storage.IsInPlace(3));
        Assert.Equal(0b101UL, storage.InPlaceChannelMask);

        // Substitutes never count as in place, even when both sides are null at the same index.
        storage.Clear();
        input.Null(1);
        output.Null(1);
        storage.CollectInput(0, input.Channels, 3, 64);
        storage.CollectOutput(0, output.Channels, 3, 64);
        Assert.False(storage.IsInPlace(1));
        Assert.Equal(0b101UL, storage.InPlaceChannelMask);
    }

    [Fact]
    public void RejectedOversize_TouchesNothing()
    {
        using var storage = new ProcessBufferStorage<float>(BusConfiguration.Effect(2, 2), MaxFrames);
        using var input = new HostBus<float>(2, MaxFrames);
        using var wide = new HostBus<float>(3, MaxFrames);
        using var other = new HostBus<float>(2, MaxFrames);
        Assert.Equal(CollectResult.Ok, storage.CollectInput(0, input.Channels, 2, 100));

        other.Null(0);
        wide.Null(2);
        Assert.Equal(CollectResult.FrameCountOutOfRange, storage.CollectInput(0, other.Channels, 2, MaxFrames + 1, CollectOptions.WriteBackSubstitutes));
        Assert.Equal(CollectResult.FrameCountOutOfRange, storage.CollectInput(0, other.Channels, 2, -1, CollectOptions.WriteBackSubstitutes));
        Assert.Equal(CollectResult.TooManyChannels, storage.CollectInput(0, wide.Channels, 3, 100, CollectOptions.WriteBackSubstitutes));
        Assert.Equal(CollectResult.InvalidChannelCount, storage.CollectInput(0, other.Channels, -2, 100));
        Assert.Equal(CollectResult.UnknownBus, storage.CollectInput(1, other.Channels, 2, 100));
        Assert.Equal(CollectResult.UnknownBus, storage.CollectInput(-1, other.Channels, 2, 100));
        Assert.Equal(CollectResult.UnknownBus, storage.Collect((BusDirection)7, 0, other.Channels, 2, 100));

        // The earlier collect is still what the view shows, and no host array was written back into.
        Assert.Equal(100, storage.MainInput.FrameCount);
        Assert.True(storage.MainInput.GetChannelPointer(0) == input.Owned(0));
        Assert.True(storage.MainInput.GetChannelPointer(1) == input.Owned(1));
        Assert.True(other.Channels[0] == null);
        Assert.True(wide.Channels[2] == null);
        Assert.True(storage.MainOutput.IsEmpty);

        // Exactly max frames is fine.
        Assert.Equal(CollectResult.Ok, storage.CollectInput(0, input.Channels, 2, MaxFrames));
    }

    [Fact]
    public void InactiveBus_HasNoStorage_AndIsIgnored()
    {
        var config = new BusConfiguration([BusInfo.Main("In", 2), BusInfo.Aux("Side", 2, isActive: false)], [BusInfo.Main("Out", 2)]);
        Assert.Equal(2, config.InputChannelCount);
        using var storage = new ProcessBufferStorage<float>(config, MaxFrames);
        Assert.Equal(2 * Ptr, storage.Footprint.InputPointerBytes);

        using var side = new HostBus<float>(2, MaxFrames);
        Assert.Equal(CollectResult.InactiveBus, storage.CollectInput(1, side.Channels, 2, 16));
        Assert.True(storage.AuxInput(0).IsEmpty);

        // Activating it is a configuration change and reallocates.
        Assert.True(storage.Reconfigure(new BusConfiguration([BusInfo.Main("In", 2), BusInfo.Aux("Side", 2)], [BusInfo.Main("Out", 2)]), MaxFrames));
        Assert.Equal(4 * Ptr, storage.Footprint.InputPointerBytes);
        Assert.Equal(CollectResult.Ok, storage.CollectInput(1, side.Channels, 2, 16));
    }

    [Fact]
    public void Reconfigure_ReallocatesOnlyOnChange()
    {
        using var storage = new ProcessBufferStorage<double>(BusConfiguration.Effect(2, 2), 256);
        Assert.Equal(256L * sizeof(double), storage.Footprint.ScratchBytes);
        Assert.False(storage.Reconfigure(BusConfiguration.Effect(2, 2), 256));
        Assert.True(storage.Reconfigure(BusConfiguration.Effect(2, 2), 1024));
        Assert.Equal(1024L * sizeof(double), storage.Footprint.ScratchBytes);
        Assert.True(storage.Reconfigure(BusConfiguration.Effect(6, 6), 1024));
        Assert.Equal(12 * Ptr, storage.Footprint.PointerBytes);
        Assert.True(storage.Reconfigure(BusConfiguration.Instrument(2), 1024));
        Assert.Equal(2L * 1024 * sizeof(double), storage.Footprint.InternalOutputBytes);
        Assert.Equal(0, storage.Footprint.ScratchBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.Reconfigure(BusConfiguration.Effect(2, 2), 0));
    }

    [Fact]
    public void Disposed_CollectFails()
    {
        var storage = new ProcessBufferStorage<float>(BusConfiguration.Effect(2, 2), MaxFrames);
        storage.Dispose();
        Assert.Equal(CollectResult.Disposed, storage.CollectInput(0, null, 2, 16));
        Assert.True(storage.MainInput.IsEmpty);
        Assert.Equal(0, storage.Footprint.HeapAllocations);
        storage.Dispose(); // idempotent
    }

    [Fact]
    public void UnsupportedSampleType_Throws()
    {
        Assert.Throws<NotSupportedException>(() => new ProcessBufferStorage<int>(BusConfiguration.Effect(2, 2), MaxFrames));
    }

    [Fact]
    public void ZeroManagedBytes_Over100000CollectClearCycles()
    {
        var config = new BusConfiguration(
            [BusInfo.Main("In", 2), BusInfo.Aux("Side", 1)],
            [BusInfo.Main("Out", 2), BusInfo.Aux("Send", 2)]);
        using var storage = new ProcessBufferStorage<float>(config, MaxFrames);
        using var input = new HostBus<float>(2, MaxFrames);
        using var side = new HostBus<float>(1, MaxFrames);
        using var output = new HostBus<float>(2, MaxFrames);
        using var send = new HostBus<float>(2, MaxFrames);
        side.Null(0);
        send.Null(1);
        output.ShareWith(input, 0);

        long sink = 0;
        Cycle(storage, input, side, output, send, ref sink); // warm-up: JIT and tiering allocations do not count
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++) Cycle(storage, input, side, output, send, ref sink);
        long after = GC.GetAllocatedBytesForCurrentThread();

        Assert.Equal(0, after - before);
        Assert.Equal(100_001L * (2 + 1 + 2 + 2 + 1), sink);
    }

    private static void Cycle(ProcessBufferStorage<float> storage, HostBus<float> input, HostBus<float> side,
        HostBus<float> output, HostBus<float> send, ref long sink)
    {
        storage.Clear();
        storage.CollectInput(0, input.Channels, 2, 256);
        storage.CollectInput(1, side.Channels, 1, 256);
        storage.CollectOutput(0, output.Channels, 2, 256);
        storage.CollectOutput(1, send.Channels, 2, 256, CollectOptions.WriteBackSubstitutes);
        send.Null(1);
        sink += storage.MainInput.ChannelCount + storage.AuxInput(0).ChannelCount
            + storage.MainOutput.ChannelCount + storage.AuxOutput(0).ChannelCount
            + (storage.IsInPlace(0) ? 1 : 0);
    }
}
