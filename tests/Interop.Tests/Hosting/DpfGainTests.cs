using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>The shim against a VST3 built with DPF's own ABI headers, not ours.</summary>
public sealed class DpfGainTests(DpfGainFixture fixture) : IClassFixture<DpfGainFixture>
{
    private const double MinDb = -60, MaxDb = 12;

    private static double DbToNormalized(double db) => (db - MinDb) / (MaxDb - MinDb);

    [DpfFact]
    public void Loads_factory_and_classes()
    {
        using var module = PluginModule.Load(fixture.BundlePath);
        Assert.EndsWith("DpfGain.so", module.BinaryPath);
        var processor = Assert.Single(module.ProcessorClasses);
        Assert.Equal("DpfGain", processor.Name);
        Assert.Contains("Fx", processor.SubCategories);
        Assert.Contains("3.", processor.SdkVersion); // DPF reports "Travesty 3.7.x"
    }

    [DpfFact]
    public void Lists_the_gain_parameter_with_conversions()
    {
        using var module = PluginModule.Load(fixture.BundlePath);
        using var plugin = module.CreatePlugin();
        var gain = plugin.GetParameters().Single(p => p.Title == "Gain");
        Assert.Equal("dB", gain.Units);
        Assert.True(gain.CanAutomate);
        Assert.Equal(DbToNormalized(0), gain.DefaultNormalized, 6);
        Assert.Equal(-6.0, plugin.NormalizedToPlain(gain.Id, DbToNormalized(-6)), 4);
        Assert.Equal(DbToNormalized(-6), plugin.PlainToNormalized(gain.Id, -6.0), 6);
        var text = plugin.ValueToString(gain.Id, DbToNormalized(-6));
        Assert.NotNull(text);
        Assert.StartsWith("-6", text);
    }

    [DpfFact]
    public void Processes_a_sine_with_minus_6_dB()
    {
        using var module = PluginModule.Load(fixture.BundlePath);
        using var plugin = module.CreatePlugin();
        var gain = plugin.GetParameters().Single(p => p.Title == "Gain");
        const int block = 256;
        plugin.StartProcessing(48000, block);
        var buffers = plugin.Buffers!;
        Assert.Equal(1, buffers.InputBusCount);
        Assert.Equal(2, buffers.InputChannelCount(0));

        double expected = Math.Pow(10, -6.0 / 20); // 0.501
        double peak = 0;
        for (int n = 0; n < 20; n++)
        {
            if (n == 0) Assert.True(plugin.InputParameterChanges.AddPoint(gain.Id, 0, DbToNormalized(-6)));
            for (int ch = 0; ch < 2; ch++)
            {
                var input = buffers.Input32(0, ch);
                for (int i = 0; i < block; i++) input[i] = (float)Math.Sin(2 * Math.PI * 1000 * (n * block + i) / 48000.0);
            }
            Assert.Equal(TResult.ResultOk, plugin.Process(block));
            if (n < 2) continue; // let any internal smoothing settle
            for (int ch = 0; ch < 2; ch++)
            {
                var input = buffers.Input32(0, ch);
                var output = buffers.Output32(0, ch);
                for (int i = 0; i < block; i++)
                {
                    Assert.Equal(input[i] * expected, output[i], 3);
                    peak = Math.Max(peak, Math.Abs(output[i]));
                }
            }
        }
        Assert.InRange(peak, expected * 0.99, expected * 1.001);
    }
}
