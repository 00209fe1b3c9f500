using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Conformance;

namespace NPlug.Buffers.Tests.Hosting;

/// <summary>The conformance suite and the describer against the foreign (DPF-built) plugin.</summary>
public sealed class DpfConformanceTests(DpfGainFixture fixture) : IClassFixture<DpfGainFixture>
{
    [DpfFact]
    public void Plain_suite_passes_on_the_dpf_gain()
    {
        using var module = PluginModule.Load(fixture.BundlePath);
        var (_, suite) = Assert.Single(ConformanceSuite.ForEveryProcessor(module));
        var results = suite.RunAll();
        Assert.Equal(47, results.Count);
        var failures = results.Where(r => !r.Passed).Select(r => r.ToString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [DpfFact]
    public void Extended_suite_passes_on_the_dpf_gain()
    {
        using var module = PluginModule.Load(fixture.BundlePath);
        var (_, suite) = Assert.Single(ConformanceSuite.ForEveryProcessor(module, extended: true));
        var results = suite.RunAll();
        Assert.Equal(537, results.Count);
        var failures = results.Where(r => !r.Passed).Select(r => r.ToString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [DpfFact]
    public void Describer_lists_classes_buses_and_parameters()
    {
        var text = PluginDescriber.Describe(fixture.BundlePath);
        Assert.Contains("DpfGain", text);
        Assert.Contains("Audio Module Class", text);
        Assert.Matches(@"in  audio #0 '[^']+': 2 ch, main", text);
        Assert.Matches(@"out audio #0 '[^']+': 2 ch, main", text);
        Assert.Matches(@"'Gain' units 'dB' default 0\.8333 \(plain -?0,", text);
    }
}
