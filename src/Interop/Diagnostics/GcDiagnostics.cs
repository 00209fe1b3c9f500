using System.Runtime;
using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Diagnostics;

/// <summary>
/// What <c>NPlugBuffers_GetGcInfo</c> reports about the plugin's own .NET runtime (a NativeAOT bundle carries one
/// runtime, with its own heap and collector, per loaded module). Versioned C layout: the caller sets
/// <see cref="Size"/> to <c>sizeof</c> its struct; the callee fills the fields that fit and writes back how many bytes
/// it filled. Fields are only ever appended.
/// </summary>
/// <remarks>
/// C declaration:
/// <code>
/// typedef struct NPlugBuffersGcInfo {
///     uint32_t size;                 /* in: sizeof(NPlugBuffersGcInfo); out: bytes filled            */
///     uint32_t version;              /* out: 1                                                          */
///     int64_t  gen0Collections;      /* GC.CollectionCount(0): every collection (gen1/gen2 include gen0) */
///     int64_t  gen1Collections;      /* GC.CollectionCount(1)                                          */
///     int64_t  gen2Collections;      /* GC.CollectionCount(2)                                          */
///     int64_t  totalAllocatedBytes;  /* GC.GetTotalAllocatedBytes(false): allocation-context granular   */
///     int64_t  totalPauseNanoseconds;/* GC.GetTotalPauseDuration(): every suspension for a GC, summed   */
///     int64_t  heapSizeBytes;        /* GC.GetTotalMemory(false)                                       */
///     uint32_t flags;                /* bit 0 server GC, bit 1 concurrent (background) GC enabled      */
///     uint32_t reserved;
///     int64_t  gen0SizeConfig;       /* System.GC.Gen0Size compiled into the module (0 = GC default)   */
/// } NPlugBuffersGcInfo;
/// int32_t NPlugBuffers_GetGcInfo(NPlugBuffersGcInfo* info);   /* 0 = kResultOk; kInvalidArgument   */
/// int32_t NPlugBuffers_Collect(int32_t generation);            /* forced blocking GC; tests only    */
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct GcInfo
{
    public const uint CurrentVersion = 1;
    public const uint FlagServer = 1, FlagConcurrent = 2;

    public uint Size;
    public uint Version;
    public long Gen0Collections;
    public long Gen1Collections;
    public long Gen2Collections;
    public long TotalAllocatedBytes;
    public long TotalPauseNanoseconds;
    public long HeapSizeBytes;
    public uint Flags;
    public uint Reserved;
    public long Gen0SizeConfig;

    public readonly bool IsServer => (Flags & FlagServer) != 0;
    public readonly bool IsConcurrent => (Flags & FlagConcurrent) != 0;

    /// <summary>A struct ready to pass: <see cref="Size"/> set to this version's size.</summary>
    public static unsafe GcInfo Create() => new() { Size = (uint)sizeof(GcInfo) };

    public override readonly string ToString() =>
        $"gen0 {Gen0Collections}, gen1 {Gen1Collections}, gen2 {Gen2Collections} collections; {TotalAllocatedBytes} bytes allocated; " +
        $"{TotalPauseNanoseconds / 1000.0:F0} µs paused; heap {HeapSizeBytes} bytes; {(IsServer ? "server" : "workstation")}, " +
        $"{(IsConcurrent ? "concurrent" : "non-concurrent")}; GCgen0size {(Gen0SizeConfig == 0 ? "default" : Gen0SizeConfig.ToString())}";
}

/// <summary>
/// The bodies of the diagnostic exports <c>NPlugBuffers_GetGcInfo</c> and <c>NPlugBuffers_Collect</c> (exported from
/// each plugin by <c>src/Interop/Exports/Vst3ModuleExports.cs</c>; see docs/ARCHITECTURE.md "Garbage collection").
/// <see cref="GetGcInfo"/> allocates nothing after its first call, so polling it does not disturb what it measures.
/// </summary>
public static unsafe class GcDiagnostics
{
    private static long s_gen0SizeConfig = -1;

    /// <summary>Size of version 1 (every field up to <see cref="GcInfo.Gen0SizeConfig"/>).</summary>
    public static int Version1Size => sizeof(GcInfo);

    /// <summary>Fills <paramref name="info"/>; kInvalidArgument for null or a size below the version-1 header.</summary>
    public static int GetGcInfo(GcInfo* info)
    {
        try
        {
            if (info == null) return Abi.TResult.InvalidArgument;
            uint capacity = info->Size;
            if (capacity < 8) return Abi.TResult.InvalidArgument;
            long gen0Size = Gen0SizeConfig(); // the one allocation, once, before any counter is read
            GcInfo g = default;
            g.Version = GcInfo.CurrentVersion;
            g.Gen0Collections = GC.CollectionCount(0);
            g.Gen1Collections = GC.CollectionCount(1);
            g.Gen2Collections = GC.CollectionCount(2);
            g.TotalAllocatedBytes = GC.GetTotalAllocatedBytes(precise: false);
            g.TotalPauseNanoseconds = (long)(GC.GetTotalPauseDuration().Ticks * (1_000_000_000.0 / TimeSpan.TicksPerSecond));
            g.HeapSizeBytes = GC.GetTotalMemory(forceFullCollection: false);
            g.Flags = (GCSettings.IsServerGC ? GcInfo.FlagServer : 0)
                | (GCSettings.LatencyMode is GCLatencyMode.Interactive or GCLatencyMode.SustainedLowLatency ? GcInfo.FlagConcurrent : 0);
            g.Gen0SizeConfig = gen0Size;
            uint filled = (uint)Math.Min(capacity, (uint)sizeof(GcInfo));
            g.Size = filled;
            Buffer.MemoryCopy(&g, info, capacity, filled);
            return Abi.TResult.ResultOk;
        }
        catch (Exception e) { return Abi.TResult.FromException(e); }
    }

    /// <summary>A forced, blocking, compacting collection of generations 0..<paramref name="generation"/> (0, 1 or 2).
    /// For tests and profiling: it stalls every thread of the plugin's runtime, the audio thread included.</summary>
    public static int Collect(int generation)
    {
        try
        {
            if ((uint)generation > 2) return Abi.TResult.InvalidArgument;
            GC.Collect(generation, GCCollectionMode.Forced, blocking: true, compacting: generation == 2);
            return Abi.TResult.ResultOk;
        }
        catch (Exception e) { return Abi.TResult.FromException(e); }
    }

    /// <summary>
    /// The gen0 budget compiled into the module as the <c>System.GC.Gen0Size</c> runtime knob (0 when not set). The
    /// collector itself reads <c>GCgen0size</c>, which the Interop targets set to the same value; that it takes effect is
    /// measured, not assumed (docs/PERFORMANCE.md: bytes allocated per gen0 collection).
    /// </summary>
    private static long Gen0SizeConfig()
    {
        long v = Volatile.Read(ref s_gen0SizeConfig);
        if (v >= 0) return v;
        v = AppContext.GetData("System.GC.Gen0Size") switch
        {
            long l => l,
            ulong u => (long)u,
            int i => i,
            string s when long.TryParse(s, out long p) => p,
            _ => 0,
        };
        Volatile.Write(ref s_gen0SizeConfig, v);
        return v;
    }

    /// <summary>The same entry points as function pointers (in-process plugins under CoreCLR, for tests).</summary>
    public static GcDiagnosticsEntryPoints EntryPoints => new(&GetGcInfoEntry, &CollectEntry);

    [UnmanagedCallersOnly]
    private static int GetGcInfoEntry(GcInfo* info) => GetGcInfo(info);

    [UnmanagedCallersOnly]
    private static int CollectEntry(int generation) => Collect(generation);
}

/// <summary><c>NPlugBuffers_GetGcInfo</c> and <c>NPlugBuffers_Collect</c> as function pointers.</summary>
public readonly unsafe struct GcDiagnosticsEntryPoints(delegate* unmanaged<GcInfo*, int> getGcInfo, delegate* unmanaged<int, int> collect)
{
    public const string GetGcInfoName = "NPlugBuffers_GetGcInfo";
    public const string CollectName = "NPlugBuffers_Collect";

    public delegate* unmanaged<GcInfo*, int> GetGcInfo { get; } = getGcInfo;
    public delegate* unmanaged<int, int> Collect { get; } = collect;

    public bool IsAvailable => GetGcInfo != null;

    /// <summary>Reads the counters (throws when the call fails).</summary>
    public GcInfo Read()
    {
        var info = GcInfo.Create();
        int r = GetGcInfo(&info);
        if (r != 0) throw new InvalidOperationException($"{GetGcInfoName} failed ({r}).");
        return info;
    }
}
