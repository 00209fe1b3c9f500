using System.Diagnostics;

namespace NPlug.Buffers.Benchmarks.Plugin;

/// <summary>
/// <c>dotnet run -c Release --project tests/Benchmarks -- --spin GainEq_FourBells_f32 128 20</c>: one configuration of
/// <see cref="GainEqPluginBenchmarks"/> (or <c>GainPlugin_f32</c>) processed in a loop for the given seconds, nothing
/// else in the process, so a sampling profiler (<c>perf record -g -p PID</c>) sees only the plugin's audio path. Prints
/// the mean ns per block as a sanity check, not as a figure: figures come from the BenchmarkDotNet runs.
/// </summary>
public static class Spin
{
    public static int Run(string[] args)
    {
        if (args.Length < 4 || !int.TryParse(args[2], out int frames) || !double.TryParse(args[3], out double seconds))
        {
            Console.Error.WriteLine("usage: --spin <configuration> <frames> <seconds>; configurations: GainPlugin_f32, "
                + string.Join(", ", GainEqPluginBenchmarks.GainEqConfigurations));
            return 2;
        }
        PluginBundles.EnsureBuilt();
        var bench = new GainEqPluginBenchmarks { Frames = frames };
        bench.Setup();
        Func<int> step = args[1] == nameof(GainEqPluginBenchmarks.GainPlugin_f32) ? bench.GainPlugin_f32 : () => bench.Run(args[1]);
        var clock = Stopwatch.StartNew();
        long blocks = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (int i = 0; i < 1000; i++) step();
            blocks += 1000;
        }
        Console.WriteLine($"// {args[1]} at {frames} frames: {blocks:N0} blocks, {clock.Elapsed.TotalNanoseconds / blocks:F0} ns per block (pid {Environment.ProcessId})");
        bench.Cleanup();
        return 0;
    }
}
