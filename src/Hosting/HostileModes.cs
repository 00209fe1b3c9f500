using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting;

/// <summary>Abuse a real host may inflict on a plugin; each is a switch, combinable.</summary>
[Flags]
public enum HostileModes
{
    None = 0,
    /// <summary>Output channel-pointer arrays present, every entry null.</summary>
    NullOutputChannels = 1 << 0,
    /// <summary>Input channel-pointer arrays present, every entry null.</summary>
    NullInputChannels = 1 << 1,
    /// <summary>Output channel n points at input channel n (same memory in and out).</summary>
    InPlace = 1 << 2,
    /// <summary>The validator's three zero-length parameter flushes.</summary>
    ZeroLengthFlushes = 1 << 3,
    /// <summary>Random block sizes in 0..maxSamplesPerBlock.</summary>
    RandomBlockSizes = 1 << 4,
    /// <summary>numSamples above maxSamplesPerBlock (max + 1 and 2 × max).</summary>
    OversizeBlock = 1 << 5,
    /// <summary>NaN, ±Inf and denormal input samples.</summary>
    NonFiniteInput = 1 << 6,
    /// <summary>process() called from a second thread.</summary>
    SecondThread = 1 << 7,
    All = (1 << 8) - 1,
}

/// <summary>
/// What one hostile mode did: how many calls, how many answered something other than kResultOk, whether the plugin
/// still produced finite audio from a clean block afterwards (state not corrupted), and whether that meets the
/// contract (modes the SDK requires to succeed — flushes, random sizes, in-place, non-finite input, second thread —
/// must return kResultOk; for null channels and oversize blocks any code is fine as long as nothing crashes).
/// </summary>
public sealed record HostileModeResult(HostileModes Mode, int Calls, int NonOkResults, string? FirstNonOk, bool RecoveredFinite, bool Passed, string Message);

/// <summary>Runs <see cref="HostileModes"/> against a plugin that is already processing (see <see cref="HostedPlugin.StartProcessing"/>).</summary>
public static class HostileModeRunner
{
    public static IReadOnlyList<HostileModeResult> Run(HostedPlugin plugin, HostileModes modes, int seed = 1234, int blocksPerMode = 16)
    {
        var results = new List<HostileModeResult>();
        foreach (HostileModes mode in Enum.GetValues<HostileModes>())
        {
            if (mode is HostileModes.None or HostileModes.All || (modes & mode) == 0) continue;
            results.Add(RunOne(plugin, mode, new Random(seed), blocksPerMode));
        }
        return results;
    }

    private static HostileModeResult RunOne(HostedPlugin plugin, HostileModes mode, Random random, int blocks)
    {
        var buffers = plugin.Buffers ?? throw new InvalidOperationException("Start processing before running hostile modes.");
        int max = buffers.MaxSamplesPerBlock;
        int sampleSize = plugin.CurrentSetup.SymbolicSampleSize;
        int calls = 0, nonOk = 0;
        string? firstNonOk = null;
        void Count(int r)
        {
            calls++;
            if (r == TResult.ResultOk) return;
            nonOk++;
            firstNonOk ??= TResult.NameOf(r);
        }

        try
        {
            switch (mode)
            {
                case HostileModes.NullOutputChannels:
                case HostileModes.NullInputChannels:
                case HostileModes.InPlace:
                    if (mode == HostileModes.NullOutputChannels) buffers.OutputMode = ChannelPointerMode.Null;
                    else if (mode == HostileModes.NullInputChannels) buffers.InputMode = ChannelPointerMode.Null;
                    else buffers.OutputMode = ChannelPointerMode.InPlace;
                    for (int b = 0; b < blocks; b++)
                    {
                        FillInputs(buffers, sampleSize, max, b);
                        Count(plugin.Process(max));
                    }
                    break;
                case HostileModes.ZeroLengthFlushes:
                    foreach (var v in Enum.GetValues<FlushVariant>()) Count(plugin.Flush(v, FirstParameterId(plugin)));
                    break;
                case HostileModes.RandomBlockSizes:
                    for (int b = 0; b < blocks * 4; b++)
                    {
                        int n = random.Next(0, max + 1);
                        FillInputs(buffers, sampleSize, n, b);
                        Count(plugin.Process(n));
                    }
                    break;
                case HostileModes.OversizeBlock:
                    FillInputs(buffers, sampleSize, Math.Min(buffers.CapacitySamples, 2 * max), 0);
                    Count(plugin.Process(max + 1));
                    Count(plugin.Process(2 * max));
                    Count(plugin.Process(-50000));
                    break;
                case HostileModes.NonFiniteInput:
                    for (int b = 0; b < blocks; b++)
                    {
                        FillNonFinite(buffers, sampleSize, max, b);
                        Count(plugin.Process(max));
                    }
                    break;
                case HostileModes.SecondThread:
                    var thread = new Thread(() =>
                    {
                        for (int b = 0; b < blocks * 8; b++) Count(plugin.Process(Math.Min(max, 64)));
                    });
                    thread.Start();
                    thread.Join();
                    break;
            }
        }
        finally
        {
            buffers.InputMode = ChannelPointerMode.Owned;
            buffers.OutputMode = ChannelPointerMode.Owned;
        }

        bool recovered = RecoversFinite(plugin, buffers, sampleSize, max, out string recovery);
        bool mustSucceed = mode is HostileModes.ZeroLengthFlushes or HostileModes.RandomBlockSizes or HostileModes.InPlace
            or HostileModes.NonFiniteInput or HostileModes.SecondThread;
        bool passed = recovered && (!mustSucceed || nonOk == 0);
        string message = $"{mode}: {calls} calls, {nonOk} not kResultOk{(firstNonOk != null ? $" (first {firstNonOk})" : "")}; {recovery}";
        return new HostileModeResult(mode, calls, nonOk, firstNonOk, recovered, passed, message);
    }

    private static uint FirstParameterId(HostedPlugin plugin)
    {
        if (plugin.ParameterCount == 0) return 0;
        return plugin.GetParameterInfo(0, out var p) == TResult.ResultOk ? p.Id : 0;
    }

    /// <summary>
    /// Four clean sine blocks must come back kResultOk with finite output (a few blocks, so filters can flush NaN state
    /// if they reset on it), and the last one must not have written into the (separate) input buffers.
    /// </summary>
    private static bool RecoversFinite(HostedPlugin plugin, HostProcessBuffers buffers, int sampleSize, int max, out string message)
    {
        int n = Math.Min(max, 256);
        int r = TResult.ResultOk;
        for (int b = 0; b < 4; b++)
        {
            FillInputs(buffers, sampleSize, n, b);
            r = plugin.Process(n);
        }
        if (r != TResult.ResultOk)
        {
            message = $"clean block after it answered {TResult.NameOf(r)}";
            return false;
        }
        // Validator "Process Input Overwriting": with separate buffers the plugin must leave its inputs untouched.
        for (int bus = 0; bus < buffers.InputBusCount; bus++)
            for (int ch = 0; ch < buffers.InputChannelCount(bus); ch++)
                for (int i = 0; i < n; i++)
                {
                    double expected = InputSample(3, n, i);
                    double actual = sampleSize == SymbolicSampleSizes.Sample64 ? buffers.Input64(bus, ch)[i] : buffers.Input32(bus, ch)[i];
                    if (sampleSize != SymbolicSampleSizes.Sample64) expected = (float)expected;
                    if (actual != expected)
                    {
                        message = $"clean block overwrote input bus {bus} channel {ch} at sample {i} ({expected} → {actual})";
                        return false;
                    }
                }
        for (int bus = 0; bus < buffers.OutputBusCount; bus++)
            for (int ch = 0; ch < buffers.OutputChannelCount(bus); ch++)
                for (int i = 0; i < n; i++)
                {
                    double v = sampleSize == SymbolicSampleSizes.Sample64 ? buffers.Output64(bus, ch)[i] : buffers.Output32(bus, ch)[i];
                    if (!double.IsFinite(v))
                    {
                        message = $"clean block after it still outputs {v} (bus {bus}, channel {ch}, sample {i})";
                        return false;
                    }
                }
        message = "clean block afterwards is finite and left the inputs untouched";
        return true;
    }

    /// <summary>A 0.5-amplitude sine at 1/64 of the sample rate, phase-continuous across blocks.</summary>
    public static void FillInputs(HostProcessBuffers buffers, int sampleSize, int count, int blockIndex)
    {
        count = Math.Clamp(count, 0, buffers.CapacitySamples);
        for (int bus = 0; bus < buffers.InputBusCount; bus++)
            for (int ch = 0; ch < buffers.InputChannelCount(bus); ch++)
                for (int i = 0; i < count; i++)
                {
                    double v = InputSample(blockIndex, count, i);
                    if (sampleSize == SymbolicSampleSizes.Sample64) buffers.Input64(bus, ch)[i] = v;
                    else buffers.Input32(bus, ch)[i] = (float)v;
                }
    }

    private static double InputSample(int blockIndex, int count, int i) => 0.5 * Math.Sin(2 * Math.PI * ((long)blockIndex * count + i) / 64.0);

    private static void FillNonFinite(HostProcessBuffers buffers, int sampleSize, int count, int blockIndex)
    {
        for (int bus = 0; bus < buffers.InputBusCount; bus++)
            for (int ch = 0; ch < buffers.InputChannelCount(bus); ch++)
                for (int i = 0; i < count; i++)
                {
                    double v = ((i + blockIndex) % 5) switch
                    {
                        0 => double.NaN,
                        1 => double.PositiveInfinity,
                        2 => double.NegativeInfinity,
                        3 => sampleSize == SymbolicSampleSizes.Sample64 ? double.Epsilon * 3 : 1e-42, // subnormal in the sample type
                        _ => 0.25,
                    };
                    if (sampleSize == SymbolicSampleSizes.Sample64) buffers.Input64(bus, ch)[i] = v;
                    else buffers.Input32(bus, ch)[i] = (float)v;
                }
    }
}
