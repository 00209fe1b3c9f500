using NPlug.Buffers.Interop.Hosting.Conformance;

namespace NPlug.Buffers.Tests.Hosting;

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
}
