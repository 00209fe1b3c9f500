namespace NPlug.Buffers.Tests.Chain;

/// <summary>Counts managed bytes allocated on this thread by a loop, after letting tiered JIT settle.</summary>
internal static class AllocationProbe
{
    public static long BytesAllocated<TState>(TState state, Action<TState> body, int iterations)
    {
        // Tier-0 code, call counting and OSR transitions allocate once; run past them first.
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 2000; i++) body(state);
            Thread.Sleep(150);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < iterations; i++) body(state);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
