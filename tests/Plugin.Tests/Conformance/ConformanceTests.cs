using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Conformance;
using NPlug.Buffers.Plugin;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>
/// Every test of Steinberg's validator (as the host shim's conformance suite implements them), for both processor
/// classes, at 32 and 64 bits: in-process through the real function pointers, and against the published bundle.
/// </summary>
public sealed class ConformanceTests
{
    public static readonly string[] ClassNames = [PluginClasses.GainEqName, PluginClasses.SamplerName];

    public static TheoryData<string, string> PlainCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var cls in ClassNames)
            foreach (var name in ConformanceSuite.TestNames(extended: false))
                data.Add(cls, name);
        return data;
    }

    internal static ConformanceSuite SuiteFor(PluginModule module, string className, bool extended)
    {
        var cls = module.ProcessorClasses.Single(c => c.Name == className);
        return ConformanceSuite.For(module, cls, extended);
    }

    [Fact]
    public void Both_processor_classes_are_registered_with_their_subcategories()
    {
        using var module = PluginSources.Open(PluginSources.InProcess);
        var classes = module.ProcessorClasses.ToDictionary(c => c.Name);
        Assert.Equal("Fx|EQ", classes[PluginClasses.GainEqName].SubCategories);
        Assert.Equal("Instrument|Sampler", classes[PluginClasses.SamplerName].SubCategories);
        Assert.Equal(4, module.Classes.Count);
    }

    [Theory]
    [MemberData(nameof(PlainCases))]
    public void In_process_plain_validator_test_passes(string className, string test)
    {
        using var module = PluginSources.Open(PluginSources.InProcess);
        var result = SuiteFor(module, className, extended: false).Run(test);
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [InlineData(PluginClasses.GainEqName)]
    [InlineData(PluginClasses.SamplerName)]
    public void In_process_extended_validator_suite_passes(string className)
    {
        using var module = PluginSources.Open(PluginSources.InProcess);
        var results = SuiteFor(module, className, extended: true).RunAll();
        Assert.Equal(537, results.Count);
        var failures = results.Where(r => !r.Passed).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [BundleTheory]
    [MemberData(nameof(PlainCases))]
    public void Bundle_plain_validator_test_passes(string className, string test)
    {
        using var module = PluginSources.Open(PluginSources.Bundle);
        var result = SuiteFor(module, className, extended: false).Run(test);
        Assert.True(result.Passed, result.ToString());
    }

    [BundleTheory]
    [InlineData(PluginClasses.GainEqName)]
    [InlineData(PluginClasses.SamplerName)]
    public void Bundle_extended_validator_suite_passes(string className)
    {
        using var module = PluginSources.Open(PluginSources.Bundle);
        var results = SuiteFor(module, className, extended: true).RunAll();
        Assert.Equal(537, results.Count);
        var failures = results.Where(r => !r.Passed).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    public static TheoryData<string, string, int> HostileCases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var source in new[] { PluginSources.InProcess, PluginSources.Bundle })
            foreach (var cls in ClassNames)
                foreach (var size in new[] { 0, 1 })
                    data.Add(source, cls, size);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(HostileCases))]
    public void Hostile_modes_do_not_break_the_plugin(string source, string className, int sampleSize)
    {
        PluginSources.SkipIfBundleMissing(source);
        using var module = PluginSources.Open(source);
        using var plugin = module.CreatePlugin(module.ProcessorClasses.Single(c => c.Name == className));
        plugin.StartProcessing(48000, 1024, sampleSize);
        var results = HostileModeRunner.Run(plugin, HostileModes.All);
        Assert.All(results, r => Assert.True(r.Passed, $"{r.Mode}: {r.Message}"));
        plugin.StopProcessing();
    }
}
