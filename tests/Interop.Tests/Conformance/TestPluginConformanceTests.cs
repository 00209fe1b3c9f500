using NPlug.Buffers.Hosting.Conformance;
using NPlug.Buffers.Tests.Hosting;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>Every plain validator test, one xunit case each, against both TestPlugin sources.</summary>
public sealed class TestPluginConformanceTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in new[] { TestPluginSources.InProcess, TestPluginSources.NativeAot })
            foreach (var name in ConformanceSuite.TestNames(extended: false))
                data.Add(source, name);
        return data;
    }

    [Fact]
    public void Plain_suite_has_the_validators_47_tests_and_extended_537()
    {
        Assert.Equal(47, ConformanceSuite.TestNames(false).Count);
        Assert.Equal(537, ConformanceSuite.TestNames(true).Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validator_test_passes(string source, string test)
    {
        using var module = TestPluginSources.Open(source);
        var (_, suite) = Assert.Single(ConformanceSuite.ForEveryProcessor(module));
        var result = suite.Run(test);
        Assert.True(result.Passed, result.ToString());
    }

    [Theory]
    [MemberData(nameof(TestPluginSources.All), MemberType = typeof(TestPluginSources))]
    public void Extended_suite_passes(string source)
    {
        using var module = TestPluginSources.Open(source);
        var (_, suite) = Assert.Single(ConformanceSuite.ForEveryProcessor(module, extended: true));
        var results = suite.RunAll();
        Assert.Equal(537, results.Count);
        var failures = results.Where(r => !r.Passed).Select(r => r.ToString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The plugin accepts Mono and Stereo only, so most of the 225 pairs per sample size must be refused, not failed.
        Assert.Contains(results, r => r.Name.StartsWith("In: 50, Out: 50") && r.Message.StartsWith("refused"));
        Assert.Contains(results, r => r.Name.StartsWith("In: Mono, Out: Mono") && r.Message.StartsWith("accepted"));
    }
}
