namespace NPlug.Buffers.Pools;

/// <summary>Something the module worker ticks.</summary>
public interface IScratchMaintainable
{
    /// <summary>One maintenance tick on the worker thread.</summary>
    int Maintain();
}

/// <summary>
/// The module's maintenance worker: one background thread, started lazily off the audio thread by the first
/// <see cref="ScratchPool{T}.Register"/>, that every <see cref="IntervalMilliseconds"/> grows the scratch pools that
/// missed, frees idle tiers after unregistrations, and frees the sample buffers the module registry retired
/// (<see cref="SharedBufferRegistry.Module"/>). It polls: the audio thread only bumps counters and never signals it, so
/// no audio-thread operation is a system call.
/// </summary>
public static class ScratchMaintenance
{
    private static readonly object s_lock = new();
    private static IScratchMaintainable[] s_items = [];
    private static Thread? s_thread;
    private static long s_ticks;
    private static int s_interval = 10;

    /// <summary>Milliseconds between ticks (default 10).</summary>
    public static int IntervalMilliseconds
    {
        get => Volatile.Read(ref s_interval);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref s_interval, value);
        }
    }

    /// <summary>Ticks done so far.</summary>
    public static long Ticks => Interlocked.Read(ref s_ticks);

    public static bool IsRunning
    {
        get
        {
            lock (s_lock) return s_thread != null;
        }
    }

    /// <summary>Adds a pool (or anything maintainable) and starts the worker if it is not running. Non-audio thread.</summary>
    public static void Add(IScratchMaintainable item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (s_lock)
        {
            if (Array.IndexOf(s_items, item) < 0) s_items = [.. s_items, item];
            if (s_thread != null) return;
            s_thread = new Thread(Run) { IsBackground = true, Name = "NPlug.Buffers scratch maintenance" };
            s_thread.Start();
        }
    }

    public static void Remove(IScratchMaintainable item)
    {
        lock (s_lock) s_items = Array.FindAll(s_items, i => !ReferenceEquals(i, item));
    }

    /// <summary>Runs one tick on the calling thread (tests; or a host without the worker). Non-audio thread.</summary>
    public static void TickNow()
    {
        IScratchMaintainable[] items = Volatile.Read(ref s_items);
        foreach (IScratchMaintainable item in items) item.Maintain();
        SharedBufferRegistry.Module.CollectRetired();
        Interlocked.Increment(ref s_ticks);
    }

    /// <summary>
    /// Stops the worker and waits for it (module unload). Non-audio thread. A later registration starts it again.
    /// </summary>
    public static void Stop()
    {
        Thread? thread;
        lock (s_lock)
        {
            thread = s_thread;
            s_thread = null; // the worker sees it is no longer the current one and ends
        }

        thread?.Join();
    }

    private static void Run()
    {
        while (true)
        {
            Thread.Sleep(IntervalMilliseconds);
            lock (s_lock)
            {
                if (!ReferenceEquals(s_thread, Thread.CurrentThread)) break;
            }

            try
            {
                TickNow();
            }
            catch (Exception)
            {
                // Growth can fail (out of memory); the audio path keeps its fallbacks and the next tick retries.
            }
        }
    }
}
