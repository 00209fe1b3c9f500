using System.Diagnostics;
using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Diagnostics;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Com;
using NPlug.Buffers.Plugin;
using Xunit.Abstractions;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>
/// Issue #14's race, against the published bundle through the host shim: an audio thread processes 256-frame stereo
/// blocks while a second thread does what a DAW's UI thread does — load a preset (<c>IComponent::setState</c>), mirror
/// it into the controller (<c>setComponentState</c>), move a parameter, ask for its value string and parse it back —
/// 100,000 times. The bundle's own runtime must not collect once during it (its diagnostic export is read before and
/// after), every block must be finite, and the processor and controller must end in the last preset loaded. The worst
/// block with the UI thread idle and busy (same run) and the stall of forced gen0/gen2 collections are reported to
/// <c>artifacts/test-results/ui-thread-race.txt</c>.
/// </summary>
/// <remarks>
/// The host side of the race allocates nothing either (streams and text buffers are made before it starts), so this
/// process's own collector cannot stop the audio thread on its way back from the bundle and blur the figures. The
/// audio thread sleeps 100 µs after each block (a block every ~110–200 µs: a collection of the bundle's runtime, which
/// takes longer, always catches the thread in or entering a block, whose time then includes the stall) and asks for
/// SCHED_FIFO (granted to root or with CAP_SYS_NICE; the report says whether it got it), so other processes on a
/// shared machine rarely preempt it mid-block. Never spinning also keeps it clear of Linux's real-time throttling
/// (50 ms of every second withheld from a real-time thread that never sleeps).
/// </remarks>
[Collection(ProcessProbeCollection.Name)]
public sealed unsafe class UiThreadRaceTests(ITestOutputHelper output)
{
    private const int UiOperations = 100_000;
    private const int Frames = 256;
    private static readonly TimeSpan IdlePhase = TimeSpan.FromMilliseconds(300);
    private const int Presets = 8;

    [BundleTheory]
    [InlineData(PluginClasses.GainEqName)]
    [InlineData(PluginClasses.SamplerName)]
    public void Ui_thread_calls_never_start_a_collection_while_processing(string className) => RunRace(className, assertNoBytes: false);

    /// <summary>
    /// Issue #14's timing goal, median of three races: the worst block with the UI thread busy is at most 3x the worst
    /// with it idle (same run) and at most 150 µs at 256 frames. Timing on a shared VM is at the mercy of the hypervisor,
    /// so this runs only when asked (NPLUG_BUFFERS_TIMING=1); the figures are reported by every race either way.
    /// </summary>
    [TimingTheory]
    [InlineData(PluginClasses.GainEqName)]
    [InlineData(PluginClasses.SamplerName)]
    public void Busy_worst_block_is_within_3x_idle_and_150_us(string className)
    {
        var runs = Enumerable.Range(0, 3).Select(_ => RunRace(className, assertNoBytes: false)).ToArray();
        double idle = runs.Select(r => r.Idle.Worst).Order().ElementAt(1);
        double busy = runs.Select(r => r.Busy.Worst).Order().ElementAt(1);
        output.WriteLine($"{className}: median worst block idle {idle:F1} µs, busy {busy:F1} µs");
        Assert.True(busy <= 150, $"busy worst block {busy:F1} µs > 150 µs");
        Assert.True(busy <= 3 * Math.Max(idle, 1), $"busy worst block {busy:F1} µs > 3 x idle {idle:F1} µs");
    }

    /// <summary>What one race measured.</summary>
    public sealed record RaceResult(BlockStats Idle, BlockStats Busy, BlockStats ForcedGen0, BlockStats ForcedGen2);

    /// <summary>The stronger form: the race allocates nothing at all in the bundle (not just less than the gen0 budget).</summary>
    [BundleTheory]
    [InlineData(PluginClasses.GainEqName)]
    [InlineData(PluginClasses.SamplerName)]
    public void Ui_thread_calls_allocate_nothing_in_the_bundle(string className) => RunRace(className, assertNoBytes: true);

    private RaceResult RunRace(string className, bool assertNoBytes)
    {
        using var module = PluginSources.Open(PluginSources.Bundle);
        var gc = module.GetGcDiagnostics();
        Assert.True(gc.IsAvailable, $"{GcDiagnosticsEntryPoints.GetGcInfoName} is not exported by {module.BinaryPath}");
        var cls = module.ProcessorClasses.Single(c => c.Name == className);

        var presets = MakePresets(module, cls, out var expected, out uint[] ids);
        using var plugin = module.CreatePlugin(cls);
        plugin.StartProcessing(48000, Frames, SymbolicSampleSizes.Sample32);
        var race = new Race(plugin, presets, ids);
        try
        {
            race.StartAudio();
            // Warm-up, unmeasured: this process's tiered JIT installs its call-counting and tier-1 code in the first few
            // hundred milliseconds, suspending the audio thread on its way back from the bundle as it does so.
            race.MeasureFor(TimeSpan.FromMilliseconds(600));
            var idle = race.MeasureFor(IdlePhase);

            // Start from a fresh gen0 budget: what earlier tests of this process allocated inside the bundle (the module
            // stays loaded) must not be charged to this race.
            Assert.Equal(0, gc.Collect(0));
            var before = gc.Read();
            long hostCollectionsBefore = GC.CollectionCount(0);
            var busy = race.MeasureWhile(race.RunUiThread);
            var after = gc.Read();
            long hostCollections = GC.CollectionCount(0) - hostCollectionsBefore;

            var gen0 = race.MeasureForcedCollections(gc, 0);
            var gen2 = race.MeasureForcedCollections(gc, 2);
            race.StopAudio();

            string report =
                $"{className} ({(race.Realtime ? "SCHED_FIFO" : "normal priority")}): {UiOperations} UI calls in {race.UiSeconds * 1000:F0} ms; " +
                $"bundle GC during race: gen0 {after.Gen0Collections - before.Gen0Collections}, gen1 {after.Gen1Collections - before.Gen1Collections}, " +
                $"gen2 {after.Gen2Collections - before.Gen2Collections}, {after.TotalAllocatedBytes - before.TotalAllocatedBytes} bytes allocated, " +
                $"{(after.TotalPauseNanoseconds - before.TotalPauseNanoseconds) / 1000.0:F0} µs paused; host gen0 collections {hostCollections}\n" +
                $"  idle: {idle}\n  busy: {busy}\n  forced gen0 collections: {gen0}\n  forced gen2 collections: {gen2}\n" +
                $"  NPlugBuffers_Collect calls (20 each): gen0 p50 {race.CollectCalls[0].P50:F0} µs, worst {race.CollectCalls[0].Worst:F0} µs; " +
                $"gen2 p50 {race.CollectCalls[2].P50:F0} µs, worst {race.CollectCalls[2].Worst:F0} µs\n" +
                $"  bundle runtime: {after}\n";
            output.WriteLine(report);
            WriteReport(report);

            Assert.Equal(0, race.NonFiniteBlocks);
            Assert.Equal(0, race.FailedLoads);
            Assert.Equal(0, after.Gen0Collections - before.Gen0Collections);
            if (assertNoBytes) Assert.Equal(0, after.TotalAllocatedBytes - before.TotalAllocatedBytes);
            Assert.False(after.IsConcurrent, "the bundle's GC runs concurrently (background GC thread)");
            Assert.False(after.IsServer, "the bundle runs server GC");

            // The processor holds the last preset loaded, byte for byte, and so does the controller (its last call).
            Assert.Equal(presets[race.LastPreset].ToArray(), plugin.GetComponentState());
            for (int i = 0; i < ids.Length; i++)
                Assert.Equal(expected[race.LastPreset][i], plugin.GetParamNormalized(ids[i]), 12);
            return new RaceResult(idle, busy, gen0, gen2);
        }
        finally
        {
            race.StopAudio();
            plugin.StopProcessing();
        }
    }

    /// <summary>A bundle theory that runs only with NPLUG_BUFFERS_TIMING=1.</summary>
    public sealed class TimingTheoryAttribute : TheoryAttribute
    {
        public TimingTheoryAttribute()
        {
            if (!PluginSources.BundleExists) Skip = PluginSources.BundleSkipReason;
            else if (Environment.GetEnvironmentVariable("NPLUG_BUFFERS_TIMING") != "1")
                Skip = "timing goal: set NPLUG_BUFFERS_TIMING=1 to assert it (figures are reported by every race)";
        }
    }

    private static void WriteReport(string report)
    {
        var dir = Path.Combine(PluginSources.RepoRoot, "artifacts", "test-results");
        Directory.CreateDirectory(dir);
        File.AppendAllText(Path.Combine(dir, "ui-thread-race.txt"), $"[{DateTime.UtcNow:u}] {PluginSources.BundlePath}\n{report}");
    }

    /// <summary>
    /// Preset blobs made by the plugin itself: a helper instance receives random values for every writable parameter
    /// through a parameter-change flush and hands back its state; the controller's mirror of each gives the expected
    /// normalized values.
    /// </summary>
    private static byte[][] MakePresets(PluginModule module, PluginClassInfo cls, out double[][] expected, out uint[] ids)
    {
        using var helper = module.CreatePlugin(cls);
        helper.StartProcessing(48000, Frames);
        ids = helper.GetParameters().Where(p => !p.IsReadOnly).Select(p => p.Id).ToArray();
        var presets = new byte[Presets][];
        expected = new double[Presets][];
        var rng = new Random(14);
        for (int k = 0; k < Presets; k++)
        {
            foreach (uint id in ids) helper.InputParameterChanges.GetOrAdd(id, out _)!.AddPoint(0, rng.NextDouble());
            helper.Process(0);
            presets[k] = helper.GetComponentState(out int r);
            Assert.Equal(TResult.ResultOk, r);
            Assert.Equal(TResult.ResultOk, helper.SetControllerComponentState(presets[k]));
            expected[k] = ids.Select(helper.GetParamNormalized).ToArray();
        }
        Assert.True(presets.Distinct(ByteArrayComparer.Instance).Count() == Presets, "presets are not distinct");
        helper.StopProcessing();
        return presets;
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => obj.Length;
    }

    /// <summary>Per-block durations of one measured phase, in microseconds.</summary>
    public readonly record struct BlockStats(int Blocks, double P50, double P99, double Worst)
    {
        public override string ToString() => $"{Blocks} blocks, p50 {P50:F1} µs, p99 {P99:F1} µs, worst {Worst:F1} µs";

        public static BlockStats Of(ReadOnlySpan<long> ticks)
        {
            if (ticks.IsEmpty) return default;
            var us = new double[ticks.Length];
            for (int i = 0; i < us.Length; i++) us[i] = ticks[i] * 1e6 / Stopwatch.Frequency;
            Array.Sort(us);
            return new BlockStats(us.Length, us[us.Length / 2], us[(int)(us.Length * 0.99)], us[^1]);
        }
    }

    /// <summary>The audio thread (always running, timing each block into the current window) and the UI thread body.</summary>
    private sealed class Race
    {
        private const int MaxBlocks = 1 << 20;
        private readonly HostedPlugin _plugin;
        private readonly HostBStream[] _streams;
        private readonly uint[] _ids;
        private readonly long[] _ticks = new long[MaxBlocks];
        private volatile int _count;
        private volatile bool _recording;
        private volatile bool _stop;
        private Thread? _audio;
        private readonly ManualResetEventSlim _started = new();

        public Race(HostedPlugin plugin, byte[][] presets, uint[] ids)
        {
            _plugin = plugin;
            _ids = ids;
            _streams = presets.Select(p => new HostBStream(p)).ToArray();
            var buffers = plugin.Buffers!;
            for (int bus = 0; bus < buffers.InputBusCount; bus++)
                for (int ch = 0; ch < buffers.InputChannelCount(bus); ch++)
                {
                    var input = buffers.Input32(bus, ch);
                    for (int i = 0; i < input.Length; i++) input[i] = 0.25f * MathF.Sin(2 * MathF.PI * 440 * i / 48000f + ch);
                }
        }

        public bool Realtime { get; private set; }
        public int NonFiniteBlocks { get; private set; }
        public int FailedLoads { get; private set; }
        public int LastPreset { get; private set; }
        public double UiSeconds { get; private set; }

        /// <summary>Duration of the <c>NPlugBuffers_Collect</c> calls themselves, per generation.</summary>
        public BlockStats[] CollectCalls { get; } = new BlockStats[3];

        public void StartAudio()
        {
            _audio = new Thread(AudioLoop) { IsBackground = true, Name = "audio" };
            _audio.Start();
            _started.Wait();
        }

        public void StopAudio()
        {
            _stop = true;
            _audio?.Join();
            _audio = null;
        }

        public BlockStats MeasureFor(TimeSpan duration)
        {
            Begin();
            Thread.Sleep(duration);
            return End();
        }

        public BlockStats MeasureWhile(Action work)
        {
            Begin();
            work();
            return End();
        }

        /// <summary>20 forced collections of <paramref name="generation"/> in the bundle, 10 ms apart, while processing.</summary>
        public BlockStats MeasureForcedCollections(GcDiagnosticsEntryPoints gc, int generation)
        {
            Begin();
            var pauses = new long[20];
            for (int i = 0; i < pauses.Length; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                Assert.Equal(0, gc.Collect(generation));
                pauses[i] = Stopwatch.GetTimestamp() - t0;
                Thread.Sleep(10);
            }
            var blocks = End();
            CollectCalls[generation] = BlockStats.Of(pauses);
            return blocks;
        }

        private void Begin()
        {
            _count = 0;
            _recording = true;
        }

        private BlockStats End()
        {
            _recording = false;
            Thread.Sleep(1); // let a block in flight finish
            return BlockStats.Of(_ticks.AsSpan(0, Math.Min(_count, MaxBlocks)));
        }

        private void AudioLoop()
        {
            Realtime = TrySetRealtime();
            _started.Set();
            var buffers = _plugin.Buffers!;
            while (!_stop)
            {
                long t0 = Stopwatch.GetTimestamp();
                _plugin.Process(Frames);
                long t1 = Stopwatch.GetTimestamp();
                if (_recording && _count < MaxBlocks) _ticks[_count++] = t1 - t0;
                for (int bus = 0; bus < buffers.OutputBusCount; bus++)
                    for (int ch = 0; ch < buffers.OutputChannelCount(bus); ch++)
                        if (!AllFinite(buffers.Output32(bus, ch)[..Frames])) { NonFiniteBlocks++; goto next; }
                next:
                USleep(100);
            }
        }

        private static bool AllFinite(ReadOnlySpan<float> samples)
        {
            foreach (float s in samples) if (!float.IsFinite(s)) return false;
            return true;
        }

        /// <summary>
        /// 100,000 host calls in groups of five — setParamNormalized, getParamStringByValue, getParamValueByString (the
        /// text just produced), setState, setComponentState (the same preset) — through the raw vtables; no allocation.
        /// </summary>
        public void RunUiThread()
        {
            void* component = (void*)_plugin.Component;
            void* controller = (void*)_plugin.Controller;
            var cv = Vtbl.Of<IComponentVtbl>(component);
            var ev = Vtbl.Of<IEditControllerVtbl>(controller);
            char* text = stackalloc char[String128.Length];
            uint seed = 14;
            int preset = 0, failed = 0;
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < UiOperations; i++)
            {
                seed = seed * 1664525 + 1013904223;
                uint id = _ids[(int)(seed >> 8) % _ids.Length];
                double value = (seed >> 11) / (double)(1 << 21);
                switch (i % 5)
                {
                    case 0: ev->SetParamNormalized(controller, id, value); break;
                    case 1: text[0] = '\0'; ev->GetParamStringByValue(controller, id, value, text); break;
                    case 2: { double v; ev->GetParamValueByString(controller, id, text, &v); break; }
                    case 3:
                        preset = (int)(seed >> 20) % _streams.Length;
                        _streams[preset].Rewind();
                        if (cv->SetState(component, (void*)_streams[preset].Pointer) != TResult.ResultOk) failed++;
                        break;
                    default:
                        _streams[preset].Rewind();
                        if (ev->SetComponentState(controller, (void*)_streams[preset].Pointer) != TResult.ResultOk) failed++;
                        break;
                }
            }
            UiSeconds = (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency;
            LastPreset = preset;
            FailedLoads = failed;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct SchedParam { public int Priority; }

        [DllImport("libc", EntryPoint = "usleep")]
        private static extern int USleep(uint microseconds);

        [DllImport("libc", EntryPoint = "pthread_self")]
        private static extern nuint PthreadSelf();

        [DllImport("libc", EntryPoint = "pthread_setschedparam")]
        private static extern int PthreadSetSchedParam(nuint thread, int policy, ref SchedParam param);

        private static bool TrySetRealtime()
        {
            if (!OperatingSystem.IsLinux()) return false;
            try
            {
                var p = new SchedParam { Priority = 20 };
                return PthreadSetSchedParam(PthreadSelf(), 1 /* SCHED_FIFO */, ref p) == 0;
            }
            catch (Exception) { return false; }
        }
    }
}
