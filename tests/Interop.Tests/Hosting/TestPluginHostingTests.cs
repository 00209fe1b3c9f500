using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.TestPlugin;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>The same tests over the in-process managed factory and the NativeAOT bundle of tests/TestPlugin.</summary>
public sealed class TestPluginHostingTests
{
    private static double DbToNormalized(double db) => (db - TestGain.MinDb) / (TestGain.MaxDb - TestGain.MinDb);

    [Theory]
    [MemberData(nameof(TestPluginSources.All), MemberType = typeof(TestPluginSources))]
    public void Lists_processor_and_controller_classes(string source)
    {
        using var module = TestPluginSources.Open(source);
        Assert.Equal(3, module.FactoryVersion);
        var processor = Assert.Single(module.ProcessorClasses);
        Assert.Equal(TestGain.Name, processor.Name);
        Assert.Equal(Guid.Parse(TestGain.ProcessorClassId), processor.ClassId);
        Assert.Equal("Fx|Tools", processor.SubCategories);
        var controller = Assert.Single(module.Classes, c => c.IsController);
        Assert.Equal(Guid.Parse(TestGain.ControllerClassId), controller.ClassId);
        Assert.Equal("NPlug.Buffers", module.FactoryInfo.Vendor);
    }

    [Theory]
    [MemberData(nameof(TestPluginSources.All), MemberType = typeof(TestPluginSources))]
    public void Separate_controller_is_connected_through_host_proxies(string source)
    {
        using var module = TestPluginSources.Open(source);
        using var plugin = module.CreatePlugin();
        Assert.False(plugin.IsSingleComponent);
        Assert.True(plugin.HasController);
        Assert.True(plugin.IsConnected);
        Assert.Equal(1, plugin.ParameterCount);
    }

    [Theory]
    [MemberData(nameof(TestPluginSources.All), MemberType = typeof(TestPluginSources))]
    public void Parameter_conversions_agree_with_the_db_range(string source)
    {
        using var module = TestPluginSources.Open(source);
        using var plugin = module.CreatePlugin();
        var gain = Assert.Single(plugin.GetParameters());
        Assert.Equal("Gain", gain.Title);
        Assert.Equal("dB", gain.Units);
        Assert.True(gain.CanAutomate);
        Assert.Equal(DbToNormalized(0), gain.DefaultNormalized, 9);
        Assert.Equal(-6.0, plugin.NormalizedToPlain(gain.Id, DbToNormalized(-6)), 9);
        Assert.Equal(DbToNormalized(-6), plugin.PlainToNormalized(gain.Id, -6), 9);
        Assert.StartsWith("-6", plugin.ValueToString(gain.Id, DbToNormalized(-6)));
        var parsed = plugin.StringToValue(gain.Id, "-6");
        Assert.NotNull(parsed);
        Assert.Equal(DbToNormalized(-6), parsed!.Value, 6);
    }

    [Theory]
    [InlineData(TestPluginSources.InProcess, SymbolicSampleSizes.Sample32)]
    [InlineData(TestPluginSources.InProcess, SymbolicSampleSizes.Sample64)]
    [InlineData(TestPluginSources.NativeAot, SymbolicSampleSizes.Sample32)]
    [InlineData(TestPluginSources.NativeAot, SymbolicSampleSizes.Sample64)]
    public void Processes_a_sine_with_minus_6_dB(string source, int sampleSize)
    {
        using var module = TestPluginSources.Open(source);
        using var plugin = module.CreatePlugin();
        const int block = 128;
        plugin.StartProcessing(48000, block, sampleSize);
        var b = plugin.Buffers!;
        double expected = Math.Pow(10, -6.0 / 20);
        double peak = 0;
        for (int n = 0; n < 8; n++)
        {
            if (n == 0) plugin.InputParameterChanges.AddPoint(TestGain.GainId, 17, DbToNormalized(-6));
            for (int ch = 0; ch < 2; ch++)
                for (int i = 0; i < block; i++)
                {
                    double x = Math.Sin(2 * Math.PI * 1000 * (n * block + i) / 48000.0);
                    if (sampleSize == SymbolicSampleSizes.Sample64) b.Input64(0, ch)[i] = x; else b.Input32(0, ch)[i] = (float)x;
                }
            Assert.Equal(TResult.ResultOk, plugin.Process(block));
            for (int ch = 0; ch < 2; ch++)
                for (int i = 0; i < block; i++)
                {
                    double x = sampleSize == SymbolicSampleSizes.Sample64 ? b.Input64(0, ch)[i] : b.Input32(0, ch)[i];
                    double y = sampleSize == SymbolicSampleSizes.Sample64 ? b.Output64(0, ch)[i] : b.Output32(0, ch)[i];
                    Assert.Equal(x * expected, y, sampleSize == SymbolicSampleSizes.Sample64 ? 12 : 5);
                    peak = Math.Max(peak, Math.Abs(y));
                }
        }
        Assert.InRange(peak, expected * 0.999, expected * 1.0001);
    }

    [Theory]
    [MemberData(nameof(TestPluginSources.All), MemberType = typeof(TestPluginSources))]
    public void State_round_trips_into_a_new_instance_and_its_controller(string source)
    {
        using var module = TestPluginSources.Open(source);
        byte[] state;
        using (var first = module.CreatePlugin())
        {
            first.StartProcessing(44100, 64);
            first.InputParameterChanges.AddPoint(TestGain.GainId, 0, DbToNormalized(-20));
            Assert.Equal(TResult.ResultOk, first.Process(64));
            state = first.GetComponentState(out int r);
            Assert.Equal(TResult.ResultOk, r);
        }
        using var second = module.CreatePlugin();
        Assert.Equal(TResult.ResultOk, second.SetComponentState(state));
        Assert.Equal(TResult.ResultOk, second.SetControllerComponentState(state));
        Assert.Equal(DbToNormalized(-20), second.GetParamNormalized(TestGain.GainId), 9);
        second.StartProcessing(44100, 64);
        second.Buffers!.Input32(0, 0).Fill(1f);
        Assert.Equal(TResult.ResultOk, second.Process(64));
        Assert.Equal(Math.Pow(10, -1), second.Buffers.Output32(0, 0)[10], 5);
        Assert.NotEqual(TResult.ResultOk, second.SetComponentState([1, 2, 3])); // garbage is refused
    }

    [Theory]
    [MemberData(nameof(TestPluginSources.All), MemberType = typeof(TestPluginSources))]
    public void Every_hostile_mode_is_survived(string source)
    {
        using var module = TestPluginSources.Open(source);
        foreach (var size in new[] { SymbolicSampleSizes.Sample32, SymbolicSampleSizes.Sample64 })
        {
            using var plugin = module.CreatePlugin();
            plugin.StartProcessing(44100, 256, size);
            var results = HostileModeRunner.Run(plugin, HostileModes.All);
            Assert.Equal(8, results.Count);
            foreach (var r in results) Assert.True(r.Passed, $"{size}: {r.Message}");
        }
    }

    [Theory]
    [MemberData(nameof(TestPluginSources.All), MemberType = typeof(TestPluginSources))]
    public void In_place_processing_scales_the_shared_buffer(string source)
    {
        using var module = TestPluginSources.Open(source);
        using var plugin = module.CreatePlugin();
        plugin.StartProcessing(44100, 64);
        var b = plugin.Buffers!;
        b.OutputMode = ChannelPointerMode.InPlace;
        plugin.InputParameterChanges.AddPoint(TestGain.GainId, 0, DbToNormalized(-12));
        for (int i = 0; i < 64; i++) { b.Input32(0, 0)[i] = i / 64f; b.Input32(0, 1)[i] = -i / 64f; }
        Assert.Equal(TResult.ResultOk, plugin.Process(64));
        double g = Math.Pow(10, -12.0 / 20);
        for (int i = 0; i < 64; i++)
        {
            Assert.Equal(i / 64.0 * g, b.Input32(0, 0)[i], 5);
            Assert.Equal(-i / 64.0 * g, b.Input32(0, 1)[i], 5);
        }
    }

    [Theory]
    [MemberData(nameof(TestPluginSources.All), MemberType = typeof(TestPluginSources))]
    public void Process_loop_does_not_allocate(string source)
    {
        using var module = TestPluginSources.Open(source);
        using var plugin = module.CreatePlugin();
        plugin.StartProcessing(48000, 256);
        void Block(int i)
        {
            plugin.InputParameterChanges.AddPoint(TestGain.GainId, i % 200, (i % 7) / 7.0);
            plugin.Process(256);
        }
        for (int i = 0; i < 300; i++) Block(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++) Block(i);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [MemberData(nameof(TestPluginSources.All), MemberType = typeof(TestPluginSources))]
    public void Describer_lists_buses_and_parameters(string source)
    {
        using var module = TestPluginSources.Open(source);
        var text = PluginDescriber.Describe(module);
        Assert.Contains("controller: separate, connected through host proxies", text);
        Assert.Matches(@"in  audio #0 'Stereo In': 2 ch, main", text);
        Assert.Matches(@"out audio #0 'Stereo Out': 2 ch, main", text);
        Assert.Matches(@"'Gain' units 'dB' default 0\.8333", text);
    }
}
