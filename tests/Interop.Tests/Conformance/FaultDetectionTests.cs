using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Interop.Bridge;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Conformance;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>
/// The suite must catch real faults: a deliberately broken in-process plugin (one fault per switch) fails exactly the
/// validator tests that target that fault, and passes the rest.
/// </summary>
public sealed class FaultDetectionTests
{
    [Flags]
    public enum Fault
    {
        None = 0,
        RejectsOddBlocks = 1,
        RejectsFlush = 2,
        SingleThreadOnly = 4,
    }

    private sealed class FaultyProcessor(Fault faults) : AudioProcessor
    {
        private int _firstThread;

        public override bool CanProcess(SampleSize sampleSize) => sampleSize == SampleSize.Float32;

        protected override void ConfigureBuses(BusLayout buses)
        {
            buses.AddAudioInput("In", SpeakerArrangements.Stereo);
            buses.AddAudioOutput("Out", SpeakerArrangements.Stereo);
        }

        // A thread-affine processor: it remembers the thread that activated it (the UI thread).
        protected override void OnActivate() => _firstThread = Environment.CurrentManagedThreadId;

        protected override int OnProcess(ProcessBlock block)
        {
            if ((faults & Fault.RejectsOddBlocks) != 0 && block.SampleCount % 2 == 1)
                throw new ArgumentException("odd block");
            if ((faults & Fault.RejectsFlush) != 0 && block.SampleCount == 0)
                throw new InvalidOperationException("no flush support");
            if ((faults & Fault.SingleThreadOnly) != 0)
            {
                if (_firstThread != Environment.CurrentManagedThreadId) throw new InvalidOperationException("wrong thread");
            }
                    return TResult.ResultOk;
        }
    }

    private sealed class PlainController : EditController
    {
        protected override void ConfigureParameters(ParameterList parameters) =>
            parameters.Add(AudioParameter.Linear(1, "Level", 0, 1, 0.5, "", decimals: 2, unitInText: false));
    }

    private static unsafe PluginModule Open(Fault faults)
    {
        var d = new PluginFactoryDescription("Faults");
        const string processor = "0F0F0F0F-1111-2222-3333-444444444444", controller = "0F0F0F0F-1111-2222-3333-444444444445";
        d.AddProcessor(processor, "Faulty", "Fx", controller, () => new FaultyProcessor(faults));
        d.AddController(controller, "Faulty Controller", () => new PlainController());
        return PluginModule.FromFactory((nint)PluginExports.CreateFactory(d));
    }

    private static Dictionary<string, ConformanceResult> RunSuite(Fault faults)
    {
        using var module = Open(faults);
        var (_, suite) = Assert.Single(ConformanceSuite.ForEveryProcessor(module));
        return suite.RunAll().ToDictionary(r => r.Name);
    }

    [Fact]
    public void A_clean_plugin_passes_everything()
    {
        var results = RunSuite(Fault.None);
        Assert.All(results.Values, r => Assert.True(r.Passed, r.ToString()));
    }

    [Theory]
    [InlineData(Fault.RejectsOddBlocks, new[] { "Variable Block Size [32 bits]" })]
    [InlineData(Fault.RejectsFlush, new[]
    {
        "Parameters Flush (no Buffer) [32 bits]", "Parameters Flush 2 (only numChannel==0) [32 bits]",
        "Parameters Flush 2 (no Buffer, no parameter change) [32 bits]",
    })]
    [InlineData(Fault.SingleThreadOnly, new[] { "Process function running in another thread [32 bits]" })]
    public void A_fault_fails_exactly_its_tests(Fault fault, string[] expectedFailures)
    {
        var results = RunSuite(fault);
        var failed = results.Values.Where(r => !r.Passed).Select(r => r.Name).Order().ToArray();
        // Variable Block Size's first call is 0 samples and its result is ignored, like the validator.
        Assert.Equal(expectedFailures.Order().ToArray(), failed);
    }
}
