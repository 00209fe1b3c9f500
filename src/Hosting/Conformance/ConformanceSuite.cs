using System.Globalization;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting.Conformance;

/// <summary>The outcome of one conformance test on one processor class.</summary>
public sealed record ConformanceResult(string Name, bool Passed, string Message)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Message}";
}

/// <summary>
/// The checks of Steinberg's validator (see shared/validator-tests.md), re-implemented over the host shim so they can
/// run against any bundle or in-process factory, for every processor class, at 32 and 64 bits. Every test gets a
/// fresh instance (the validator's <c>-l</c> mode) with main audio buses 0 activated and validator-style
/// <c>ProcessData</c> (null context, events and output changes). Plain: 47 tests; extended: 537.
/// </summary>
public sealed partial class ConformanceSuite
{
    private readonly Func<HostedPlugin> _createPlugin;
    private readonly Dictionary<string, Func<HostedPlugin, ConformanceResult>> _cases;

    public const double DefaultSampleRate = 44100;
    public const int DefaultMaxBlock = 8192;
    public const int DefaultBlock = 64;

    public ConformanceSuite(Func<HostedPlugin> createPlugin, bool extended = false)
    {
        _createPlugin = createPlugin;
        Extended = extended;
        _cases = BuildCases(extended);
    }

    public bool Extended { get; }

    /// <summary>A suite over one processor class of a loaded module.</summary>
    public static ConformanceSuite For(PluginModule module, PluginClassInfo processorClass, bool extended = false)
        => new(() => module.CreatePlugin(processorClass), extended);

    /// <summary>One suite per processor class of the module.</summary>
    public static IEnumerable<(PluginClassInfo Class, ConformanceSuite Suite)> ForEveryProcessor(PluginModule module, bool extended = false)
        => module.ProcessorClasses.Select(c => (c, For(module, c, extended)));

    /// <summary>The test names, in validator order, without needing a plugin (for xunit MemberData).</summary>
    public static IReadOnlyList<string> TestNames(bool extended) => [.. BuildCases(extended).Keys];

    public IReadOnlyList<string> Names => [.. _cases.Keys];

    public IReadOnlyList<ConformanceResult> RunAll() => [.. _cases.Keys.Select(Run)];

    /// <summary>Runs one test on a fresh instance; never throws (a thrown exception is a failed result).</summary>
    public ConformanceResult Run(string name)
    {
        if (!_cases.TryGetValue(name, out var test)) return new ConformanceResult(name, false, "unknown test");
        HostedPlugin? plugin = null;
        try
        {
            plugin = _createPlugin();
            plugin.Interfaces = ProcessInterfaces.None;
            var setup = ActivateMainBuses(plugin, true);
            if (setup != null) return new ConformanceResult(name, false, "set-up: " + setup);
            return test(plugin) with { Name = name };
        }
        catch (Exception e)
        {
            return new ConformanceResult(name, false, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            plugin?.Dispose();
        }
    }

    private static Dictionary<string, Func<HostedPlugin, ConformanceResult>> BuildCases(bool extended)
    {
        var cases = new Dictionary<string, Func<HostedPlugin, ConformanceResult>>
        {
            ["Scan Buses"] = ScanBuses,
            ["Scan Parameters"] = ScanParameters,
            ["Terminate/Initialize"] = TerminateInitialize,
            ["Valid State Transition 32 bits"] = p => ValidStateTransition(p, SymbolicSampleSizes.Sample32),
            ["Valid State Transition 64 bits"] = p => ValidStateTransition(p, SymbolicSampleSizes.Sample64),
            ["Suspend/Resume"] = SuspendResume,
            ["Bus Activation"] = BusActivation,
            ["Bus Consistency"] = BusConsistency,
            ["Check Audio Bus Arrangement"] = CheckAudioBusArrangement,
            ["SideChain Arrangement"] = SideChainArrangement,
            ["ProcessContext Requirements"] = ProcessContextRequirements,
            ["Scan Editor Classes"] = ScanEditorClasses,
            ["MIDI Mapping"] = MidiMapping,
            ["MIDI Learn"] = MidiLearn,
            ["Scan Units"] = ScanUnits,
            ["Check Unit Structure"] = CheckUnitStructure,
            ["Scan Programs"] = ScanPrograms,
            ["Note Expression"] = NoteExpression,
            ["Keyswitch"] = Keyswitch,
        };
        foreach (var size in new[] { SymbolicSampleSizes.Sample32, SymbolicSampleSizes.Sample64 })
        {
            string s = size == SymbolicSampleSizes.Sample32 ? " [32 bits]" : " [64 bits]";
            int ss = size;
            cases["Process Test" + s] = p => WithSampleSize(p, ss, ProcessTest);
            cases["Process function running in another thread" + s] = p => WithSampleSize(p, ss, ProcessThread);
            cases["Silence Flags" + s] = p => WithSampleSize(p, ss, SilenceFlags);
            cases["Silence Processing" + s] = p => WithSampleSize(p, ss, SilenceProcessing);
            cases["Parameters Flush (no Buffer)" + s] = p => WithSampleSize(p, ss, (q, z) => Flush(q, z, FlushVariant.NoBuffers));
            cases["Parameters Flush 2 (only numChannel==0)" + s] = p => WithSampleSize(p, ss, (q, z) => Flush(q, z, FlushVariant.ZeroChannels));
            cases["Parameters Flush 2 (no Buffer, no parameter change)" + s] = p => WithSampleSize(p, ss, (q, z) => Flush(q, z, FlushVariant.NoBuffersNoChanges));
            cases["Variable Block Size" + s] = p => WithSampleSize(p, ss, VariableBlockSize);
            cases["Process Format" + s] = p => WithSampleSize(p, ss, ProcessFormat);
            cases["Parameter Bypass persistence" + s] = p => WithSampleSize(p, ss, BypassPersistence);
            var arrangements = extended ? ExtendedArrangements : PlainArrangements;
            foreach (var (inName, inArr) in arrangements)
                foreach (var (outName, outArr) in arrangements)
                {
                    if (!extended && inName != outName) continue;
                    ulong ia = inArr, oa = outArr;
                    cases[$"In: {inName}, Out: {outName}" + s] = p => WithSampleSize(p, ss, (q, z) => Arrangement(q, z, ia, oa));
                }
            int[] counts = extended ? [1, 2, 10, int.MaxValue] : [1];
            int[] intervals = extended ? [100, 50, 1] : [100];
            foreach (bool sampleMode in new[] { false, true })
                foreach (int n in counts)
                    foreach (int k in intervals)
                    {
                        string what = n == int.MaxValue ? "all parameters" : n == 1 ? "1 parameter" : $"{n} parameters";
                        bool sm = sampleMode;
                        int nn = n, kk = k;
                        cases[$"Accuracy: {(sampleMode ? "Sample" : "Block")}, {what}, change every {k} samples" + s] =
                            p => WithSampleSize(p, ss, (q, z) => Accuracy(q, z, sm, nn, kk));
                    }
        }
        return cases;
    }

    private static readonly (string, ulong)[] PlainArrangements =
    [
        ("Stereo", SpeakerArrangements.Stereo),
        ("Mono", SpeakerArrangements.Mono),
    ];

    private static readonly (string, ulong)[] ExtendedArrangements =
    [
        ("Mono", SpeakerArrangements.Mono), ("Stereo", SpeakerArrangements.Stereo),
        ("StereoSurround", SpeakerArrangements.StereoSurround), ("StereoCenter", SpeakerArrangements.StereoCenter),
        ("StereoSide", SpeakerArrangements.StereoSide), ("StereoCLfe", SpeakerArrangements.StereoCLfe),
        ("30Cine", SpeakerArrangements.K30Cine), ("30Music", SpeakerArrangements.K30Music),
        ("31Cine", SpeakerArrangements.K31Cine), ("31Music", SpeakerArrangements.K31Music),
        ("40Cine", SpeakerArrangements.K40Cine), ("40Music", SpeakerArrangements.K40Music),
        ("41Cine", SpeakerArrangements.K41Cine), ("41Music", SpeakerArrangements.K41Music),
        ("50", SpeakerArrangements.K50),
    ];

    // ------------------------------------------------------------------ helpers

    private static ConformanceResult Pass(string message) => new("", true, message);

    private static ConformanceResult Fail(string message) => new("", false, message);

    private static string Code(int r) => TResult.NameOf(r);

    /// <summary>Activates (or deactivates) audio bus 0 in each direction; a non-ok answer is a set-up failure.</summary>
    private static string? ActivateMainBuses(HostedPlugin p, bool state)
    {
        for (int dir = 0; dir <= 1; dir++)
        {
            if (p.GetBusCount(MediaTypes.Audio, dir) <= 0) continue;
            int r = p.ActivateBus(MediaTypes.Audio, dir, 0, state);
            if (r != TResult.ResultOk) return $"activateBus(audio, {(dir == 0 ? "in" : "out")}, 0, {state}) = {Code(r)}";
        }
        return null;
    }

    /// <summary>Runs a processing test only when the sample size is supported (the validator only logs otherwise).</summary>
    private static ConformanceResult WithSampleSize(HostedPlugin p, int sampleSize, Func<HostedPlugin, int, ConformanceResult> test)
    {
        int r = p.CanProcessSampleSize(sampleSize);
        if (r != TResult.ResultOk)
            return Pass($"{(sampleSize == SymbolicSampleSizes.Sample64 ? 64 : 32)}-bit samples not supported ({Code(r)}); skipped as the validator does");
        return test(p, sampleSize);
    }

    /// <summary>setupProcessing + setActive(true) + setProcessing(true); returns an error text or null.</summary>
    private static string? Start(HostedPlugin p, int sampleSize, double sampleRate = DefaultSampleRate, int maxBlock = DefaultMaxBlock, bool setupMustSucceed = true)
    {
        int r = p.SetupProcessing(sampleRate, maxBlock, sampleSize);
        if (r != TResult.ResultOk && setupMustSucceed) return $"setupProcessing = {Code(r)}";
        r = p.SetActive(true);
        if (r != TResult.ResultOk) return $"setActive(true) = {Code(r)}";
        p.SetProcessing(true);
        return null;
    }

    private static string? Stop(HostedPlugin p)
    {
        if (p.IsProcessing) p.SetProcessing(false);
        int r = p.SetActive(false);
        return r == TResult.ResultOk ? null : $"setActive(false) = {Code(r)}";
    }

    private static IEnumerable<BusDescription> AllBuses(HostedPlugin p)
    {
        for (int media = 0; media < MediaTypes.NumMediaTypes; media++)
            for (int dir = 0; dir <= 1; dir++)
                foreach (var b in p.GetBuses(media, dir)) yield return b;
    }

    private static bool IsBusActiveForTest(BusDescription b) => b.Index == 0 && b.IsAudio;

    /// <summary>The "Process Test" body: 3 blocks of 64 with silence flags on every input channel.</summary>
    private static string? ProcessBlocks(HostedPlugin p, int blocks, int numSamples)
    {
        var buffers = p.Buffers!;
        buffers.ClearAll();
        buffers.SetAllInputsSilent(true);
        for (int i = 0; i < blocks; i++)
        {
            int r = p.Process(numSamples);
            if (r != TResult.ResultOk) return $"process #{i} ({numSamples} samples) = {Code(r)}";
        }
        buffers.SetAllInputsSilent(false);
        return null;
    }

    private static double ParseSdkVersion(string sdk)
    {
        // "VST 3.7.14" / "Travesty 3.7.4" → 3.7
        foreach (var token in sdk.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = token.Split('.');
            if (parts.Length >= 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
                return major + minor / 100.0;
        }
        return 0;
    }
}
