// Seed 003's scenario: 100 "laser" sources playing one 0.3 s stereo 48 kHz float sample.
// One copy of the samples is held however many sources play it; creating a source copies nothing and allocates nothing.
using System.Diagnostics;
using NPlug.Buffers;
using NPlug.Buffers.Pools;
using Spectre.Console;

const int sampleRate = 48_000;
const int frames = sampleRate * 3 / 10; // 0.3 s
const int channels = 2;
const int sourceCount = 100;
const int laserId = 1;

using var registry = new SharedBufferRegistry();

// Non-audio thread: build the sample once (a falling chirp with a decay) and register it.
var laser = registry.Allocate(laserId, channels, frames, sampleRate);
for (int c = 0; c < channels; c++)
{
    Span<float> ch = laser.GetWritableChannel(c);
    double phase = 0;
    for (int f = 0; f < frames; f++)
    {
        phase += 2 * Math.PI * (1760.0 - 1500.0 * f / frames) / sampleRate;
        ch[f] = (float)(Math.Sin(phase) * Math.Exp(-f / (0.08 * sampleRate)) * (c == 0 ? 1.0 : 0.9));
    }
}

registry.Register(laser);
long oneCopyBytes = (long)channels * frames * sizeof(float);

var sources = new SharedSampleSource[sourceCount];
CreateSources(registry, sources); // warm-up: JIT and tiered compilation allocate, the scenario itself must not
ResetSources(sources);

// Create the 100 sources and measure what that allocates and how long it takes.
long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
long t0 = Stopwatch.GetTimestamp();
CreateSources(registry, sources);
long t1 = Stopwatch.GetTimestamp();
long allocatedBySources = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
long heldWithSources = registry.LiveBytes;

// Median of repeated runs for a steadier time.
var times = new double[201];
for (int r = 0; r < times.Length; r++)
{
    ResetSources(sources);
    long a = Stopwatch.GetTimestamp();
    CreateSources(registry, sources);
    times[r] = Stopwatch.GetElapsedTime(a).TotalMilliseconds;
}

Array.Sort(times);

// Seed 003's "before": every source gets its own copy of the samples.
var copies = new float[sourceCount][];
allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
long c0 = Stopwatch.GetTimestamp();
for (int i = 0; i < sourceCount; i++)
{
    var copy = new float[channels * frames];
    for (int c = 0; c < channels; c++) laser.GetChannel(c).CopyTo(copy.AsSpan(c * frames, frames));
    copies[i] = copy;
}

double copyMs = Stopwatch.GetElapsedTime(c0).TotalMilliseconds;
long allocatedByCopies = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

// Play all 100 sources to the end in 512-frame blocks (audio-thread work: no allocation).
float peak = 0;
int blocks = 0;
unsafe
{
    float* left = stackalloc float[512];
    float* right = stackalloc float[512];
    float** outs = stackalloc float*[2] { left, right };
    long renderAllocBefore = GC.GetAllocatedBytesForCurrentThread();
    while (sources[0].IsPlaying)
    {
        var block = new AudioBlock<float>(outs, 2, 512);
        block[0].Clear();
        block[1].Clear();
        for (int i = 0; i < sourceCount; i++) sources[i].MixInto(block, 1f / sourceCount);
        for (int c = 0; c < 2; c++)
            foreach (float x in block[c]) peak = Math.Max(peak, Math.Abs(x));
        blocks++;
    }

    if (GC.GetAllocatedBytesForCurrentThread() != renderAllocBefore) AnsiConsole.MarkupLine("[red]rendering allocated![/]");
}

// Voices end: the last reference to go queues the buffer; the memory is freed here, off the audio thread.
ResetSources(sources);
registry.Unregister(laserId);
int freed = registry.CollectRetired();

var table = new Table().AddColumns("measure", "value");
table.AddRow("sample", $"{channels} ch x {frames} frames (0.3 s @ {sampleRate} Hz), float");
table.AddRow("one copy of the samples", $"{oneCopyBytes:N0} bytes");
table.AddRow("native memory held with 100 sources", $"{heldWithSources:N0} bytes (samples + 64-byte channel table)");
table.AddRow("memory for 100 copies (seed 003 before)", $"{allocatedByCopies:N0} bytes allocated");
table.AddRow("managed bytes allocated creating 100 sources", $"{allocatedBySources:N0}");
table.AddRow("time to create 100 sources (first / median)", $"{Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds:F4} ms / {times[times.Length / 2]:F4} ms");
table.AddRow("time to make 100 copies", $"{copyMs:F3} ms");
table.AddRow("seed 003 reference", "2.87 ms for 100 sources");
table.AddRow("played", $"{blocks} blocks of 512, peak {peak:F3}");
table.AddRow("after release + CollectRetired", $"{freed} buffer freed, {registry.LiveBytes:N0} bytes held");
AnsiConsole.Write(table);
GC.KeepAlive(copies);

bool ok = allocatedBySources == 0 && heldWithSources < 2 * oneCopyBytes && registry.LiveBytes == 0 && freed == 1;
AnsiConsole.MarkupLine(ok ? "[green]OK: one shared copy, no allocation per source[/]" : "[red]FAILED[/]");
return ok ? 0 : 1;

static void CreateSources(SharedBufferRegistry registry, SharedSampleSource[] sources)
{
    for (int i = 0; i < sources.Length; i++)
    {
        // Audio-safe lookup (no mutex): the returned reference is handed to the source, which takes its own.
        if (!registry.TryAcquire(laserId, out var buffer)) return;
        sources[i].Assign(buffer);
        buffer.Release();
    }
}

static void ResetSources(SharedSampleSource[] sources)
{
    for (int i = 0; i < sources.Length; i++) sources[i].Reset();
}
