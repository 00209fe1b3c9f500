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

// ---- Module-wide: 64 plugin instances in one process share one copy of a sample and one scratch pool ----
const int instances = 64;
const int maxFrames = 4096;      // maxSamplesPerBlock
const int scratchChannels = 5;   // GainEQ's shape: dry copy (2), sidechain key (2), detector (1)
const int voices = 32;           // the Sampler's voices, each with a 2-channel render buffer of 32 frames

var shares = new SharedSample[instances];
long moduleBefore = SharedBufferRegistry.Module.LiveBytes;
for (int i = 0; i < instances; i++)
    shares[i] = SharedBufferRegistry.Module.Share("samples/SharedSamples/laser", channels, frames, sampleRate,
        static b => { for (int c = 0; c < b.ChannelCount; c++) b.GetWritableChannel(c).Fill(0.25f); });
long moduleHeld = SharedBufferRegistry.Module.LiveBytes - moduleBefore;

ScratchPool<double> pool = ScratchPool<double>.Shared;
pool.Concurrency = 2; // the host runs instances on 2 worker threads
var blockScratch = new ScratchRegistration<double>[instances];
var voiceScratch = new ScratchRegistration<double>[instances];
for (int i = 0; i < instances; i++)
{
    blockScratch[i] = pool.Register(scratchChannels, maxFrames, name: "effect");
    voiceScratch[i] = pool.Register(2, 32, slots: voices, name: "voices");
}

// Two "audio threads" process the instances round-robin: a block lease per process call, voice leases held across
// blocks from note-on to voice end. Exclusive per instance (the host never runs one instance on two threads at once).
int[] busy = new int[instances];
var held = new ScratchLease<double>[instances * voices];
long ticket = -1;
long[] RunAudio(int blocks)
{
long[] allocatedOnAudio = new long[2];
var audioThreads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
{
    long before = 0;
    for (int b = 0; b < blocks; b++)
    {
        if (b == 500) before = GC.GetAllocatedBytesForCurrentThread();
        long k = Interlocked.Increment(ref ticket);
        int i = (int)(k % instances);
        while (Interlocked.CompareExchange(ref busy[i], 1, 0) != 0) Thread.SpinWait(20);
        using (ScratchLease<double> lease = blockScratch[i].Rent(scratchChannels, 512))
        {
            for (int start = 0; start < 512; start += lease.Frames) // shorter passes if the pool were short
                for (int c = 0; c < scratchChannels; c++) lease[c].Fill(c + start);
        }

        // Voice v of this instance: a note-on leases its render buffer; the next time round the voice ends and returns it.
        int v = (int)((k / instances) % voices);
        ref ScratchLease<double> voice = ref held[i * voices + v];
        if (voice.IsValid) { voice.Dispose(); voice = default; }
        else voice = voiceScratch[i].Rent(v, 2, 32);
        Volatile.Write(ref busy[i], 0);
    }

    allocatedOnAudio[t] = GC.GetAllocatedBytesForCurrentThread() - before;
})).ToArray();
foreach (var th in audioThreads) th.Start();
foreach (var th in audioThreads) th.Join();
return allocatedOnAudio;
}

long[] allocatedOnAudio = RunAudio(20_000);
ScratchPoolStatistics firstPhase = pool.GetStatistics();
Thread.Sleep(20 * ScratchMaintenance.IntervalMilliseconds); // the worker grows the pool from the misses it saw
long[] allocatedLater = RunAudio(20_000);
allocatedOnAudio = [allocatedOnAudio[0] + allocatedLater[0], allocatedOnAudio[1] + allocatedLater[1]];
ScratchPoolStatistics playing = pool.GetStatistics();

for (int i = 0; i < instances; i++)
{
    blockScratch[i].Dispose(); // deactivation: leases still held come back, the pool may shrink
    voiceScratch[i].Dispose();
    shares[i].Dispose();
}

int retired = SharedBufferRegistry.Module.CollectRetired(); // the worker would do it on its next tick
ScratchMaintenance.TickNow(); // ... and trim the pool

var module = new Table().AddColumns("module-wide (64 instances, 2 audio threads)", "value");
module.AddRow("sample shared by 64 instances", $"{moduleHeld:N0} bytes held (64 copies: {64L * (moduleHeld):N0})");
module.AddRow("scratch need per instance", $"{scratchChannels} ch x {maxFrames} frames x 8 B = {scratchChannels * maxFrames * 8:N0} B, + {voices} voices x 2 ch x 32 frames");
module.AddRow("private scratch, 64 instances", $"{playing.PrivateBytesEquivalent:N0} bytes");
module.AddRow("pool bytes reserved (policy: max need x min(instances, concurrency 2), + growth)", $"{playing.BytesReserved:N0} bytes in {playing.BuffersReserved} buffers, {playing.Classes} size classes");
module.AddRow("per-instance fallbacks", $"{playing.FallbackBytes:N0} bytes");
module.AddRow("high-water mark (buffers held at once)", $"{playing.HighWaterBuffers}");
module.AddRow("leases / returns (voices still ringing)", $"{playing.Leases:N0} / {playing.Returns:N0}");
module.AddRow("misses: first 20,000 blocks per thread / next 20,000 (after the worker grew the pool)", $"{firstPhase.Misses:N0} / {playing.Misses - firstPhase.Misses:N0}");
module.AddRow("growth events (worker) / reserve events (registrations)", $"{playing.GrowthEvents} / {playing.ReserveEvents}");
module.AddRow("managed bytes allocated on the audio threads", $"{allocatedOnAudio[0]:N0} / {allocatedOnAudio[1]:N0}");
ScratchPoolStatistics after = pool.GetStatistics();
module.AddRow("after deactivating all", $"{after.BuffersHeld} held, leases {after.Leases:N0} = returns {after.Returns:N0}, sample buffers freed {retired}");
AnsiConsole.Write(module);
bool moduleOk = allocatedOnAudio.All(a => a == 0) && after.BuffersHeld == 0 && after.Leases == after.Returns
    && moduleHeld < 2 * oneCopyBytes && playing.BytesReserved < playing.PrivateBytesEquivalent;

bool ok = allocatedBySources == 0 && heldWithSources < 2 * oneCopyBytes && registry.LiveBytes == 0 && freed == 1 && moduleOk;
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
