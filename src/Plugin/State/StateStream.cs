using NPlug.Buffers.Plugin.Parameters;

namespace NPlug.Buffers.Plugin.State;

/// <summary>Reads and writes <see cref="PluginStateFormat"/> blobs over a host stream (UI thread; may allocate).</summary>
public static class StateStream
{
    public static void Write(Stream stream, ParameterLayout layout, ushort classTag, ParameterStore store)
    {
        var values = new double[layout.Count];
        store.CopyTo(values);
        stream.Write(PluginStateFormat.Encode(layout, classTag, values));
    }

    /// <summary>
    /// Reads exactly one blob (never past its end, so a host that appends its own data keeps it) and decodes it into
    /// <paramref name="values"/>. False, with <paramref name="values"/> untouched, for anything that is not a whole,
    /// valid blob of this class.
    /// </summary>
    public static bool TryRead(Stream stream, ParameterLayout layout, ushort classTag, Span<double> values)
    {
        int max = PluginStateFormat.MaxSize(layout);
        var buffer = new byte[max];
        if (!ReadExactly(stream, buffer.AsSpan(0, PluginStateFormat.HeaderSize))) return false;
        if (!PluginStateFormat.TryReadTotalLength(buffer, max, out int total)) return false;
        if (!ReadExactly(stream, buffer.AsSpan(PluginStateFormat.HeaderSize, total - PluginStateFormat.HeaderSize))) return false;
        return PluginStateFormat.TryDecode(layout, classTag, buffer.AsSpan(0, total), values);
    }

    private static bool ReadExactly(Stream stream, Span<byte> destination)
    {
        try
        {
            return stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) == destination.Length;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
