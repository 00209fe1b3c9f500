using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>Host-side guarantees measured against the native DPF plugin (so every managed byte is the shim's own).</summary>
public sealed class DpfHostileTests(DpfGainFixture fixture) : IClassFixture<DpfGainFixture>
{
    [DpfFact]
    public void Process_path_of_the_host_does_not_allocate()
    {
        using var module = PluginModule.Load(fixture.BundlePath);
        using var plugin = module.CreatePlugin();
        plugin.StartProcessing(48000, 128);
        uint id = plugin.GetParameters()[0].Id;
        void Block(int i)
        {
            plugin.InputParameterChanges.AddPoint(id, i % 64, (i % 10) / 10.0);
            plugin.InputEvents.AddNoteOn(3, 0, 60, 1f);
            plugin.Process(128);
        }
        for (int i = 0; i < 200; i++) Block(i); // warm-up: JIT and tiering
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++) Block(i);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(before, after);
    }

    [DpfFact]
    public void Hostile_modes_do_not_crash_or_corrupt_it()
    {
        using var module = PluginModule.Load(fixture.BundlePath);
        using var plugin = module.CreatePlugin();
        plugin.StartProcessing(44100, 512);
        // Three modes are left out on purpose because they crash DPF itself (the shim only hands over pointers):
        // - OversizeBlock: DPF clears its internal dummy buffer with memset(nframes) before any check, so a block
        //   above maxSamplesPerBlock corrupts its heap ("malloc(): unsorted double linked list corrupted").
        // - Null input/output channel pointers: DPF dereferences the channel pointers of active buses unchecked.
        // Our own plugin is held to all modes (TestPlugin tests).
        var results = HostileModeRunner.Run(plugin, HostileModes.All & ~(HostileModes.OversizeBlock | HostileModes.NullInputChannels | HostileModes.NullOutputChannels));
        Assert.Equal(5, results.Count);
        foreach (var r in results) Assert.True(r.Passed, r.Message);
    }

    [DpfFact]
    public void In_place_buffers_give_the_same_gain()
    {
        using var module = PluginModule.Load(fixture.BundlePath);
        using var plugin = module.CreatePlugin();
        uint id = plugin.GetParameters()[0].Id;
        plugin.StartProcessing(44100, 256);
        var buffers = plugin.Buffers!;
        buffers.OutputMode = ChannelPointerMode.InPlace;
        double gain = Math.Pow(10, -12.0 / 20);
        for (int block = 0; block < 4; block++)
        {
            plugin.InputParameterChanges.AddPoint(id, 0, (-12.0 + 60) / 72);
            var reference = new float[2][];
            for (int ch = 0; ch < 2; ch++)
            {
                var input = buffers.Input32(0, ch);
                for (int i = 0; i < 256; i++) input[i] = (float)Math.Cos(0.01 * (block * 256 + i) + ch);
                reference[ch] = input[..256].ToArray();
            }
            Assert.Equal(TResult.ResultOk, plugin.Process(256));
            for (int ch = 0; ch < 2; ch++)
            {
                var output = buffers.Output32(0, ch); // aliases the input
                for (int i = 0; i < 256; i++) Assert.Equal(reference[ch][i] * gain, output[i], 4);
            }
        }
    }
}
