using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;

namespace NPlug.Buffers.Benchmarks.Plugin;

/// <summary>
/// <c>dotnet run -c Release --project tests/Benchmarks -- --rt-probe</c>: the real-time rules at every configuration of
/// <see cref="GainEqPluginBenchmarks"/>, at 128 and 1024 frames, after a warm-up, over <see cref="Calls"/> process calls each:
/// <list type="bullet">
/// <item>syscalls — the run is repeated under <c>strace -f</c>; every syscall the processing thread makes between two
/// marker syscalls (<c>write(-1, "RTPROBE BEGIN …")</c>) is counted;</item>
/// <item>native allocations — tests/Fixtures/RtProbe/rtprobe.c, compiled with <c>cc</c> and LD_PRELOADed, counts malloc,
/// calloc, realloc, free, memalign, posix_memalign, … made by the processing thread while armed (the published bundle,
/// NativeAOT, calls into glibc like any native plugin);</item>
/// <item>managed bytes — <see cref="GC.GetAllocatedBytesForCurrentThread"/> around the same calls with GainEQ created from its
/// in-process managed factory (the bundle's own NativeAOT heap is not visible from the host runtime).</item>
/// </list>
/// Prints one line per configuration and exits 1 if any count is not 0.
/// </summary>
public static unsafe class RealTimeProbe
{
    private const int Calls = 1000;
    private const string ChildFlag = "--rt-probe-child";

    public static int Run(string[] args)
    {
        if (args.Contains(ChildFlag)) return Child();
        PluginBundles.EnsureBuilt();
        string so = BuildShim();
        string log = Path.Combine(Path.GetTempPath(), $"rtprobe-{Environment.ProcessId}.strace");
        string self = Environment.ProcessPath!;
        string dll = typeof(RealTimeProbe).Assembly.Location;
        var psi = new ProcessStartInfo("strace") { RedirectStandardOutput = true, RedirectStandardError = true };
        // Tiered compilation off in the child: otherwise the host runtime itself (not the plugin) may JIT a tier-1 body
        // or patch a call-counting stub on this thread mid-measurement (mprotect/mmap and mallocs of CoreCLR's JIT).
        foreach (var a in new[] { "-f", "-qq", "-s", "200", "-o", log, "-E", $"LD_PRELOAD={so}", "-E", "DOTNET_TieredCompilation=0", self })
            psi.ArgumentList.Add(a);
        if (Path.GetFileName(self) is "dotnet" or "dotnet.exe")
            psi.ArgumentList.Add(dll); // running under `dotnet`: pass the assembly
        psi.ArgumentList.Add(ChildFlag);
        Console.WriteLine("// strace " + string.Join(' ', psi.ArgumentList));
        using var child = Process.Start(psi) ?? throw new InvalidOperationException("strace could not be started (apt-get install strace).");
        var stderr = child.StandardError.ReadToEndAsync();
        string stdout = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            Console.Error.WriteLine($"probe child failed ({child.ExitCode}):\n{stdout}\n{stderr.Result}");
            return 1;
        }
        var syscalls = CountMarkedSyscalls(log);
        File.Delete(log);
        bool clean = true;
        int results = 0;
        Console.WriteLine($"{"configuration",-34} {"frames",6} {"calls",6} {"syscalls",9} {"native allocs",14} {"managed bytes",14}");
        foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("RESULT ", StringComparison.Ordinal)) { Console.WriteLine(line); continue; }
            var f = line.Split(' ');
            results++;
            string key = f[1] + " " + f[2];
            long sys = syscalls.TryGetValue(key, out long n) ? n : -1;
            long native = long.Parse(f[3]), managed = long.Parse(f[4]);
            clean &= sys == 0 && native == 0 && managed == 0;
            Console.WriteLine($"{f[1],-34} {f[2],6} {Calls,6} {sys,9} {native,14} {managed,14}");
        }
        int expected = 2 * GainEqPluginBenchmarks.GainEqConfigurations.Length;
        if (results != expected)
        {
            Console.WriteLine($"REAL-TIME PROBE INCOMPLETE: {results} of {expected} configurations reported");
            clean = false;
        }
        Console.WriteLine(clean ? "real-time rules hold: 0 syscalls, 0 native allocations, 0 managed bytes in every configuration"
                                : "REAL-TIME RULE BROKEN (see the non-zero counts above; -1 = marker not found)");
        return clean ? 0 : 1;
    }

    private static string BuildShim()
    {
        string source = Path.Combine(PluginBundles.RepoRoot, "tests", "Fixtures", "RtProbe", "rtprobe.c");
        string output = Path.Combine(PluginBundles.RepoRoot, "artifacts", "test", "rtprobe", "librtprobe.so");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var psi = new ProcessStartInfo("cc", $"-O2 -shared -fPIC -o \"{output}\" \"{source}\"") { RedirectStandardError = true };
        using var cc = Process.Start(psi) ?? throw new InvalidOperationException("cc could not be started (apt-get install gcc).");
        string err = cc.StandardError.ReadToEnd();
        cc.WaitForExit();
        if (cc.ExitCode != 0) throw new InvalidOperationException($"compiling {source} failed:\n{err}");
        return output;
    }

    /// <summary>Syscalls per "configuration frames" between the BEGIN and END markers, on the markers' thread.</summary>
    private static Dictionary<string, long> CountMarkedSyscalls(string log)
    {
        var counts = new Dictionary<string, long>();
        string? open = null;
        string? tid = null;
        long n = 0;
        foreach (string line in File.ReadLines(log))
        {
            int space = line.IndexOf(' ');
            if (space < 0) continue;
            string pid = line[..space];
            string rest = line[(space + 1)..].TrimStart();
            int begin = rest.IndexOf("RTPROBE BEGIN ", StringComparison.Ordinal);
            if (begin >= 0 && rest.StartsWith("write(", StringComparison.Ordinal))
            {
                open = Between(rest, begin + "RTPROBE BEGIN ".Length);
                tid = pid;
                n = 0;
                continue;
            }
            if (open is null || pid != tid) continue;
            if (rest.StartsWith("write(", StringComparison.Ordinal) && rest.Contains("RTPROBE END ", StringComparison.Ordinal))
            {
                counts[open] = n;
                open = null;
                continue;
            }
            if (rest.StartsWith("<...", StringComparison.Ordinal) || rest.StartsWith("---", StringComparison.Ordinal) || rest.StartsWith("+++", StringComparison.Ordinal))
                continue;
            n++;
        }
        return counts;
    }

    private static string Between(string s, int start)
    {
        int end = s.IndexOf('"', start);
        return end < 0 ? s[start..] : s[start..end];
    }

    // ---------------------------------------------------------------- child (under strace, with the shim preloaded)

    [DllImport("libc", EntryPoint = "write")]
    private static extern nint Write(int fd, byte* buffer, nint count);

    private static void Marker(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = bytes) Write(-1, p, bytes.Length);
    }

    private static int Child()
    {
        var main = NativeLibrary.GetMainProgramHandle();
        if (!NativeLibrary.TryGetExport(main, "rtprobe_arm", out nint armPtr) ||
            !NativeLibrary.TryGetExport(main, "rtprobe_calls", out nint callsPtr) ||
            !NativeLibrary.TryGetExport(main, "rtprobe_reset", out nint resetPtr))
        {
            Console.WriteLine("librtprobe.so is not preloaded");
            return 2;
        }
        var arm = (delegate* unmanaged<int, void>)armPtr;
        var calls = (delegate* unmanaged<long>)callsPtr;
        var reset = (delegate* unmanaged<void>)resetPtr;
        int result = 0;
        var thread = new Thread(() =>
        {
            try
            {
                Marker("RTPROBE warm-up of the marker path");
                foreach (int frames in new[] { 128, 1024 })
                {
                    // Pass 1: the published bundle — syscalls (strace) and native allocations (shim).
                    var native = new Dictionary<string, long>();
                    GainEqPluginBenchmarks.OpenGainEq = null;
                    var bundle = new GainEqPluginBenchmarks { Frames = frames };
                    bundle.Setup();
                    foreach (string configuration in GainEqPluginBenchmarks.GainEqConfigurations)
                    {
                        for (int i = 0; i < 200; i++) bundle.Run(configuration);
                        reset();
                        Marker($"RTPROBE BEGIN {configuration} {frames}");
                        arm(1);
                        for (int i = 0; i < Calls; i++) bundle.Run(configuration);
                        arm(0);
                        Marker($"RTPROBE END {configuration} {frames}");
                        native[configuration] = calls();
                    }
                    bundle.Cleanup();

                    // Pass 2: GainEQ from its managed factory in this runtime — managed bytes on this thread.
                    GainEqPluginBenchmarks.OpenGainEq = () => PluginModule.FromFactory((nint)NPlug.Buffers.Interop.Bridge.PluginExports.CreateFactory(NPlug.Buffers.Plugin.PluginClasses.CreateDescription()));
                    var managed = new GainEqPluginBenchmarks { Frames = frames };
                    managed.Setup();
                    foreach (string configuration in GainEqPluginBenchmarks.GainEqConfigurations)
                    {
                        for (int i = 0; i < 200; i++) managed.Run(configuration);
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        for (int i = 0; i < Calls; i++) managed.Run(configuration);
                        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                        Console.WriteLine($"RESULT {configuration} {frames} {native[configuration]} {bytes}");
                    }
                    managed.Cleanup();
                }
            }
            catch (Exception e)
            {
                Console.WriteLine(e);
                result = 3;
            }
        }, 16 << 20);
        thread.Start();
        thread.Join();
        return result;
    }
}
