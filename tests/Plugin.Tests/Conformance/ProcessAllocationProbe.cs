using System.Runtime.InteropServices;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>
/// Measures managed bytes allocated on the calling thread during every <c>IAudioProcessor::process</c> call of an
/// in-process plugin, trampoline included: the Process slot of the (shared, native) IAudioProcessor vtable is pointed
/// at a probe that reads <see cref="GC.GetAllocatedBytesForCurrentThread"/> around the original. Only the process
/// calls are measured — set-up, bus changes and state calls between them are not.
/// </summary>
public static unsafe class ProcessAllocationProbe
{
    private static readonly object Gate = new();
    private static delegate* unmanaged<void*, ProcessData*, int> s_original;
    private static IAudioProcessorVtbl* s_vtable;
    private static long s_bytes;
    private static long s_calls;
    private static int s_users;

    public static long Bytes => Interlocked.Read(ref s_bytes);
    public static long Calls => Interlocked.Read(ref s_calls);

    /// <summary>Installs the probe on the vtable behind <paramref name="processor"/> (an IAudioProcessor*); counted.</summary>
    public static void Install(nint processor)
    {
        lock (Gate)
        {
            var vtable = *(IAudioProcessorVtbl**)processor;
            if (s_users++ == 0)
            {
                s_vtable = vtable;
                s_original = vtable->Process;
                vtable->Process = &Probe;
            }
            else if (vtable != s_vtable)
            {
                throw new InvalidOperationException("All in-process processors are expected to share one vtable.");
            }
        }
    }

    public static void Uninstall()
    {
        lock (Gate)
        {
            if (--s_users == 0)
            {
                s_vtable->Process = s_original;
                s_vtable = null;
            }
        }
    }

    public static void Reset()
    {
        Interlocked.Exchange(ref s_bytes, 0);
        Interlocked.Exchange(ref s_calls, 0);
        Interlocked.Exchange(ref s_eventCount, 0);
    }

    // The calls that allocated (bytes, thread, frames, call number), recorded without allocating, so a failure says where.
    private const int MaxEvents = 64;
    private static readonly long[] s_events = new long[4 * MaxEvents];
    private static int s_eventCount;

    /// <summary>The first allocating calls since <see cref="Reset"/>, one line each (for a failure message).</summary>
    public static string Describe()
    {
        int n = Math.Min(Volatile.Read(ref s_eventCount), MaxEvents);
        var lines = new string[n];
        for (int k = 0; k < n; k++)
            lines[k] = $"{s_events[4 * k]} B on thread {s_events[4 * k + 1]}, {s_events[4 * k + 2]} frames, call #{s_events[4 * k + 3]}";
        return n == 0 ? "no allocating call recorded" : string.Join("; ", lines);
    }

    [UnmanagedCallersOnly]
    private static int Probe(void* self, ProcessData* data)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        int result = s_original(self, data);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > 0)
        {
            int k = Interlocked.Increment(ref s_eventCount) - 1;
            if (k < MaxEvents)
            {
                s_events[4 * k] = allocated;
                s_events[4 * k + 1] = Environment.CurrentManagedThreadId;
                s_events[4 * k + 2] = data->NumSamples;
                s_events[4 * k + 3] = Interlocked.Read(ref s_calls);
            }
        }
        Interlocked.Add(ref s_bytes, allocated);
        Interlocked.Increment(ref s_calls);
        return result;
    }
}
