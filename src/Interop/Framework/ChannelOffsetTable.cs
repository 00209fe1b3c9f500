using System.Runtime.InteropServices;

namespace NPlug.Buffers.Interop.Framework;

/// <summary>
/// A preallocated channel-pointer array per bus for processing a host block in slices: entry c is the host's channel c
/// advanced by the slice start (null stays null). Native memory, allocated at activation; <see cref="Offset"/> never
/// allocates.
/// </summary>
internal sealed unsafe class ChannelOffsetTable<T> : IDisposable where T : unmanaged
{
    private readonly T**[] _tables;
    private readonly int[] _capacity;

    public ChannelOffsetTable(ReadOnlySpan<int> channelsPerBus)
    {
        _tables = new T**[channelsPerBus.Length];
        _capacity = channelsPerBus.ToArray();
        for (int b = 0; b < _tables.Length; b++)
            _tables[b] = (T**)NativeMemory.AllocZeroed((nuint)Math.Max(1, _capacity[b]), (nuint)sizeof(T*));
    }

    /// <summary>The host's array shifted by <paramref name="start"/> frames; the host array itself when start is 0.</summary>
    public T** Offset(int bus, T** host, int channels, int start)
    {
        if (start == 0 || host == null || (uint)bus >= (uint)_tables.Length) return host;
        T** table = _tables[bus];
        int n = Math.Min(channels, _capacity[bus]);
        for (int c = 0; c < n; c++) table[c] = host[c] == null ? null : host[c] + start;
        return table;
    }

    public void Dispose()
    {
        for (int b = 0; b < _tables.Length; b++)
        {
            NativeMemory.Free(_tables[b]);
            _tables[b] = null;
        }
    }
}
