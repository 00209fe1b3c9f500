using System.Diagnostics;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;

namespace OfflineRender;

/// <summary>What to render: planar input for the main input bus (may be empty), notes, and first-block parameter values.</summary>
public sealed record RenderJob(
    double[][] Input,
    int Frames,
    double SampleRate,
    int BlockSize,
    IReadOnlyList<Note> Notes,
    IReadOnlyList<(uint Id, double Normalized)> Parameters,
    bool Prefer64Bit);

/// <summary>The rendered audio and how the processing went.</summary>
public sealed record RenderReport(
    double[][] Output,
    int SymbolicSampleSize,
    int LatencySamples,
    int Blocks,
    double AudioSeconds,
    double ProcessSeconds,
    double[] BlockMicroseconds,
    long AllocatedBytes,
    long AllocatedBytesFirstBlock,
    int BlocksThatAllocated)
{
    public double RealTimeFactor => ProcessSeconds <= 0 ? double.PositiveInfinity : AudioSeconds / ProcessSeconds;

    public double BlockPercentileMicroseconds(double p)
    {
        if (BlockMicroseconds.Length == 0) return 0;
        var sorted = (double[])BlockMicroseconds.Clone();
        Array.Sort(sorted);
        int index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// Drives a hosted plugin block by block over host-owned buffers, like a DAW bouncing offline. The plugin's reported
/// latency is compensated by running that many extra samples and dropping them from the front of the output.
/// </summary>
public static class Renderer
{
    public static RenderReport Render(HostedPlugin plugin, RenderJob job, Action<int, int>? progress = null)
    {
        int sampleSize = job.Prefer64Bit && plugin.CanProcessSampleSize(SymbolicSampleSizes.Sample64) == TResult.ResultOk
            ? SymbolicSampleSizes.Sample64
            : SymbolicSampleSizes.Sample32;
        plugin.StartProcessing(job.SampleRate, job.BlockSize, sampleSize, ProcessModes.Offline);
        try
        {
            return Run(plugin, job, sampleSize, progress);
        }
        finally
        {
            plugin.StopProcessing();
        }
    }

    private static RenderReport Run(HostedPlugin plugin, RenderJob job, int sampleSize, Action<int, int>? progress)
    {
        var buffers = plugin.Buffers ?? throw new InvalidOperationException("The host created no process buffers.");
        // VST3: latency is only valid once the processor is active.
        int latency = (int)Math.Min(plugin.LatencySamples, (uint)(job.SampleRate * 10));
        int outChannels = buffers.OutputBusCount > 0 ? buffers.OutputChannelCount(0) : 0;
        int inChannels = buffers.InputBusCount > 0 ? buffers.InputChannelCount(0) : 0;
        var output = new double[outChannels][];
        for (int c = 0; c < outChannels; c++) output[c] = new double[job.Frames];

        buffers.ClearAll(); // aux inputs (sidechains) stay silent
        var events = NoteEvents(job.Notes, job.SampleRate);
        int nextEvent = 0;
        int total = job.Frames + latency;
        int blocks = (total + job.BlockSize - 1) / job.BlockSize;
        var micros = new double[blocks];
        long allocated = 0, firstBlockAllocated = 0, ticks = 0;
        int allocatingBlocks = 0;

        for (int b = 0, start = 0; start < total; b++, start += job.BlockSize)
        {
            int n = Math.Min(job.BlockSize, total - start);
            FillInput(buffers, job.Input, inChannels, start, n, sampleSize);
            if (b == 0)
                foreach (var (id, value) in job.Parameters) plugin.InputParameterChanges.AddPoint(id, 0, value);
            while (nextEvent < events.Count && events[nextEvent].Frame < start + n)
            {
                var e = events[nextEvent++];
                int offset = Math.Max(0, (int)(e.Frame - start));
                if (e.On) plugin.InputEvents.AddNoteOn(offset, 0, (short)e.Pitch, e.Velocity, e.NoteId);
                else plugin.InputEvents.AddNoteOff(offset, 0, (short)e.Pitch, 0f, e.NoteId);
            }

            long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            int result = plugin.Process(n);
            long t1 = Stopwatch.GetTimestamp();
            long blockBytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
            allocated += blockBytes;
            if (b == 0) firstBlockAllocated = blockBytes;
            if (blockBytes != 0) allocatingBlocks++;
            if (result != TResult.ResultOk)
                throw new InvalidOperationException($"process() failed in block {b} (samples {start}..{start + n}): {TResult.NameOf(result)}");

            ticks += t1 - t0;
            micros[b] = (t1 - t0) * 1e6 / Stopwatch.Frequency;
            CopyOutput(buffers, output, outChannels, start - latency, n, sampleSize);
            progress?.Invoke(start + n, total);
        }

        return new RenderReport(output, sampleSize, latency, blocks, total / job.SampleRate, ticks / (double)Stopwatch.Frequency, micros,
            allocated, firstBlockAllocated, allocatingBlocks);
    }

    private static void FillInput(HostProcessBuffers buffers, double[][] input, int channels, int start, int n, int sampleSize)
    {
        for (int c = 0; c < channels; c++)
        {
            // Fewer file channels than bus channels: repeat them (mono file into a stereo bus plays on both sides).
            double[]? source = input.Length == 0 ? null : input[c % input.Length];
            for (int i = 0; i < n; i++)
            {
                int at = start + i;
                double v = source != null && at < source.Length ? source[at] : 0.0;
                if (sampleSize == SymbolicSampleSizes.Sample64) buffers.Input64(0, c)[i] = v;
                else buffers.Input32(0, c)[i] = (float)v;
            }
        }
    }

    private static void CopyOutput(HostProcessBuffers buffers, double[][] output, int channels, int destination, int n, int sampleSize)
    {
        for (int c = 0; c < channels; c++)
        {
            var target = output[c];
            for (int i = 0; i < n; i++)
            {
                int at = destination + i;
                if ((uint)at >= (uint)target.Length) continue; // latency pre-roll, or past the end
                target[at] = sampleSize == SymbolicSampleSizes.Sample64 ? buffers.Output64(0, c)[i] : buffers.Output32(0, c)[i];
            }
        }
    }

    private readonly record struct NoteEvent(long Frame, bool On, int Pitch, float Velocity, int NoteId);

    private static List<NoteEvent> NoteEvents(IReadOnlyList<Note> notes, double sampleRate)
    {
        var events = new List<NoteEvent>(notes.Count * 2);
        for (int i = 0; i < notes.Count; i++)
        {
            var note = notes[i];
            long on = (long)Math.Round(note.Start * sampleRate);
            long off = Math.Max(on + 1, (long)Math.Round((note.Start + note.Length) * sampleRate));
            events.Add(new NoteEvent(on, true, note.Pitch, note.Velocity, i));
            events.Add(new NoteEvent(off, false, note.Pitch, 0f, i));
        }

        // Offs before ons at the same frame, so a repeated pitch is released before it retriggers.
        events.Sort((a, b) => a.Frame != b.Frame ? a.Frame.CompareTo(b.Frame) : a.On.CompareTo(b.On));
        return events;
    }
}
