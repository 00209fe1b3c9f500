using System.Numerics;
using System.Runtime.CompilerServices;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Plugin.Sampler;

/// <summary>
/// The format-free Sampler: a fixed pool of voices (allocated in <see cref="Prepare"/>), oldest-voice stealing, note
/// on/off applied between render calls (the caller splits the block at event offsets), and per voice a gain and a
/// stereo low-pass biquad whose cutoff and resonance are shared parameters. <see cref="Render{T}"/> mixes into the
/// output; it never allocates, locks or throws.
/// </summary>
/// <remarks>
/// Every voice plays a <see cref="SharedSampleBuffer"/> looked up in a <see cref="SharedBufferRegistry"/> at note-on
/// (an audio-safe, lock-free acquire that adds a reference). The voice releases its reference when it ends, so a
/// sample replaced in the registry while notes still play stays alive until the last of them finishes, and its memory
/// is freed later by <see cref="SharedBufferRegistry.CollectRetired"/> on a non-audio thread.
/// <para>Per-voice render buffers (seed 001): a voice leases two channels of <see cref="ControlBlock"/> frames from the
/// module's <see cref="ScratchPool{T}"/> at note-on (slot = voice index of the registration made in
/// <see cref="Prepare"/>) and returns them when it ends. It renders each control block into that lease and then mixes
/// it into the output. When the pool is short the lease falls back to the registration's one fallback buffer, which the
/// voices share because they render one after another; the output is the same sample for sample.</para>
/// </remarks>
public sealed class SamplerEngine
{
    /// <summary>Parameters are smoothed and filter coefficients recomputed at most every this many frames.</summary>
    public const int ControlBlock = 32;
    private const double SmoothingSeconds = 0.01;
    private const double StealFadeSeconds = 0.003;

    private struct Voice
    {
        public bool Active;
        public int Pitch;
        public int NoteId;
        public int Channel;
        public long Order;
        public double Position;
        public double Increment;
        public double Velocity;
        // Envelope: gain moves by Step per frame until it reaches Target; a releasing voice ends at 0.
        public double Envelope;
        public double EnvelopeStep;
        public bool Releasing;
        public SampleView Sample;
        public SharedSampleBuffer? Buffer;
        public ScratchLease<double> Scratch; // the voice's render buffer, held from note-on to the voice's end
        public double X1L, X2L, Y1L, Y2L, X1R, X2R, Y1R, Y2R;
    }

    private Voice[] _voices = [];
    private ScratchRegistration<double>? _voiceScratch;
    private readonly double[] _spare = GC.AllocateArray<double>(2 * ControlBlock, pinned: true); // voices without a lease
    private long _noteCounter;
    private double _sampleRate = 44100;
    private SharedBufferRegistry? _registry;
    private int _sampleId;
    private int _rootNote = 60;

    private double _volumeTarget = 0.5, _volume = 0.5;
    private double _cutoffTarget = 12000, _cutoff = 12000;
    private double _resonanceTarget = 0.707, _resonance = 0.707;
    private double _releaseSeconds = 0.2;
    private BiquadCoefficients _filter = BiquadCoefficients.Identity;
    private bool _filterDirty = true;

    public int VoiceCapacity => _voices.Length;
    public bool IsPrepared => _voices.Length > 0;

    /// <summary>Number of voices currently sounding.</summary>
    public int ActiveVoiceCount
    {
        get
        {
            int n = 0;
            for (int i = 0; i < _voices.Length; i++) if (_voices[i].Active) n++;
            return n;
        }
    }

    /// <summary>Voices sounding <paramref name="pitch"/> (releasing ones included).</summary>
    public int CountVoicesPlaying(int pitch)
    {
        int n = 0;
        for (int i = 0; i < _voices.Length; i++) if (_voices[i].Active && _voices[i].Pitch == pitch) n++;
        return n;
    }

    /// <summary>
    /// Allocates the voice pool, registers the voices' render buffers in <paramref name="scratch"/> (default: the
    /// module's <see cref="ScratchPool{T}.Shared"/>) and resets all state. Not real-time safe (call from setActive/setup).
    /// </summary>
    public void Prepare(double sampleRate, int voiceCount = SamplerEngineLimits.MaxVoices, ScratchPool<double>? scratch = null)
    {
        _sampleRate = double.IsFinite(sampleRate) && sampleRate > 0 ? sampleRate : 44100;
        Reset(); // voices give back their leases before the registration changes
        if (_voices.Length != voiceCount) _voices = new Voice[voiceCount];
        _voiceScratch?.Dispose();
        _voiceScratch = (scratch ?? ScratchPool<double>.Shared).Register(2, ControlBlock, voiceCount, name: "sampler voices");
    }

    /// <summary>
    /// Silences every voice and unregisters the voice buffers (non-audio thread: deactivation), so the module pool can
    /// shrink. <see cref="Prepare"/> registers again.
    /// </summary>
    public void ReleaseScratch()
    {
        Reset();
        _voiceScratch?.Dispose();
        _voiceScratch = null;
    }

    /// <summary>The voices' scratch registration (null before <see cref="Prepare"/> or after <see cref="ReleaseScratch"/>).</summary>
    public ScratchRegistration<double>? VoiceScratch => _voiceScratch;

    /// <summary>Plays <paramref name="sample"/> (a share of the module registry) for new notes.</summary>
    public void SetSampleSource(SharedSample sample, int rootNote) => SetSampleSource(sample.Registry, sample.Id, rootNote);

    /// <summary>Silences every voice (dropping their sample references) and snaps smoothed parameters to their targets.</summary>
    public void Reset()
    {
        for (int i = 0; i < _voices.Length; i++) EndVoice(ref _voices[i]);
        Array.Clear(_voices);
        _volume = _volumeTarget;
        _cutoff = _cutoffTarget;
        _resonance = _resonanceTarget;
        _filterDirty = true;
    }

    /// <summary>
    /// Where new notes find their sample: registry entry <paramref name="sampleId"/>, recorded at
    /// <paramref name="rootNote"/>. Voices already sounding keep the buffer they started with.
    /// </summary>
    public void SetSampleSource(SharedBufferRegistry registry, int sampleId, int rootNote)
    {
        _registry = registry;
        _sampleId = sampleId;
        _rootNote = rootNote;
    }

    private static void EndVoice(ref Voice v)
    {
        v.Active = false;
        v.Buffer?.Release();
        v.Buffer = null;
        v.Sample = default;
        v.Scratch.Dispose(); // back to the module pool's free list (never freed here)
        v.Scratch = default;
    }

    public void SetVolume(double linearGain) => _volumeTarget = double.IsFinite(linearGain) ? Math.Max(0, linearGain) : _volumeTarget;
    public void SetCutoff(double hz) => _cutoffTarget = double.IsFinite(hz) && hz > 0 ? hz : _cutoffTarget;
    public void SetResonance(double q) => _resonanceTarget = double.IsFinite(q) && q > 0 ? q : _resonanceTarget;
    public void SetRelease(double seconds) => _releaseSeconds = double.IsFinite(seconds) && seconds > 0 ? seconds : _releaseSeconds;

    /// <summary>
    /// Starts a note on a free voice, or steals the oldest sounding voice when all are busy. Velocity 0 is a note-off
    /// (MIDI convention). Ignored before <see cref="Prepare"/> or without a sample.
    /// </summary>
    public unsafe void NoteOn(int pitch, double velocity, int noteId = -1, int channel = 0)
    {
        if (_voices.Length == 0 || _registry is null || !double.IsFinite(velocity)) return;
        if (velocity <= 0) { NoteOff(pitch, noteId, channel); return; }
        if (!_registry.TryAcquire(_sampleId, out SharedSampleBuffer? buffer)) return;
        if (buffer.FrameCount < 2 || buffer.IsFreed)
        {
            buffer.Release();
            return;
        }
        var sample = new SampleView(
            buffer.GetChannelPointer(0), buffer.GetChannelPointer(buffer.ChannelCount > 1 ? 1 : 0),
            buffer.FrameCount, _rootNote, buffer.SampleRate);

        int slot = -1;
        long oldest = long.MaxValue;
        int oldestSlot = 0;
        for (int i = 0; i < _voices.Length; i++)
        {
            if (!_voices[i].Active) { slot = i; break; }
            if (_voices[i].Order < oldest) { oldest = _voices[i].Order; oldestSlot = i; }
        }
        if (slot < 0) slot = oldestSlot;

        ref Voice v = ref _voices[slot];
        EndVoice(ref v);
        v = default;
        v.Active = true;
        v.Pitch = pitch;
        v.NoteId = noteId;
        v.Channel = channel;
        v.Order = ++_noteCounter;
        v.Sample = sample;
        v.Buffer = buffer;
        v.Increment = Math.Pow(2, (pitch - sample.RootNote) / 12.0) * sample.SampleRate / _sampleRate;
        v.Velocity = Math.Min(1.0, velocity);
        if (_voiceScratch != null) v.Scratch = _voiceScratch.Rent(slot, 2, ControlBlock);
        // A short fade-in hides the discontinuity when a stolen voice restarts.
        v.Envelope = 0;
        v.EnvelopeStep = 1.0 / Math.Max(1.0, StealFadeSeconds * _sampleRate);
    }

    /// <summary>Releases the voices playing this note (by note id when the host gives one, else by pitch and channel).</summary>
    public void NoteOff(int pitch, int noteId = -1, int channel = 0)
    {
        double step = 1.0 / Math.Max(1.0, _releaseSeconds * _sampleRate);
        for (int i = 0; i < _voices.Length; i++)
        {
            ref Voice v = ref _voices[i];
            if (!v.Active || v.Releasing) continue;
            bool match = noteId != -1 && v.NoteId != -1 ? v.NoteId == noteId : v.Pitch == pitch && v.Channel == channel;
            if (!match) continue;
            v.Releasing = true;
            v.EnvelopeStep = -step;
        }
    }

    /// <summary>Releases every voice (e.g. bypass or all-notes-off).</summary>
    public void ReleaseAll()
    {
        double step = 1.0 / Math.Max(1.0, _releaseSeconds * _sampleRate);
        for (int i = 0; i < _voices.Length; i++)
        {
            if (!_voices[i].Active || _voices[i].Releasing) continue;
            _voices[i].Releasing = true;
            _voices[i].EnvelopeStep = -step;
        }
    }

    /// <summary>
    /// Adds every voice into <paramref name="output"/> (1 or 2 channels; a mono output gets the left channel).
    /// The caller clears the output first. Null channel pointers in the block are skipped.
    /// </summary>
    public void Render<T>(AudioBlock<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int frames = output.FrameCount;
        for (int start = 0; start < frames; start += ControlBlock)
        {
            int n = Math.Min(ControlBlock, frames - start);
            UpdateControls(n);
            var chunk = output.Slice(start, n);
            Span<T> left = output.ChannelCount > 0 ? chunk[0] : Span<T>.Empty;
            Span<T> right = output.ChannelCount > 1 ? chunk[1] : Span<T>.Empty;
            double volumeStart = _volumePrevious, volumeEnd = _volume;
            for (int i = 0; i < _voices.Length; i++)
            {
                if (_voices[i].Active) RenderVoice(ref _voices[i], left, right, n, volumeStart, volumeEnd);
            }
        }
    }

    private double _volumePrevious = 0.5;

    private void UpdateControls(int frames)
    {
        // One-pole smoothing evaluated per control block: close enough to continuous for a 10 ms time constant.
        double a = 1 - Math.Exp(-frames / (SmoothingSeconds * _sampleRate));
        _volumePrevious = _volume;
        _volume = Approach(_volume, _volumeTarget, a, 1e-6);
        double cutoff = Approach(_cutoff, _cutoffTarget, a, 1e-3);
        double resonance = Approach(_resonance, _resonanceTarget, a, 1e-5);
        if (_filterDirty || cutoff != _cutoff || resonance != _resonance)
        {
            _cutoff = cutoff;
            _resonance = resonance;
            _filter = BiquadDesign.Design(FilterType.LowPass, _cutoff, _resonance, 0, _sampleRate);
            _filterDirty = false;
        }
    }

    private static double Approach(double current, double target, double coefficient, double snap)
    {
        double next = current + (target - current) * coefficient;
        return Math.Abs(target - next) <= snap * Math.Max(1, Math.Abs(target)) ? target : next;
    }

    private unsafe void RenderVoice<T>(ref Voice v, Span<T> left, Span<T> right, int frames, double volumeStart, double volumeEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        float* sl = v.Sample.Left;
        float* sr = v.Sample.Right;
        int last = v.Sample.FrameCount - 1;
        var c = _filter;
        double volumeStep = (volumeEnd - volumeStart) / frames;
        double volume = volumeStart;
        bool hasLeft = left.Length >= frames, hasRight = right.Length >= frames;

        // The voice's own render buffer (ControlBlock frames, so one pass per control block whether pooled or not).
        double* bl, br;
        if (v.Scratch.IsValid && v.Scratch.Frames >= frames)
        {
            bl = v.Scratch.GetChannelPointer(0);
            br = v.Scratch.GetChannelPointer(1);
        }
        else
        {
            bl = (double*)Unsafe.AsPointer(ref _spare[0]);
            br = bl + ControlBlock;
        }

        int rendered = frames;
        bool ended = false;
        for (int i = 0; i < frames; i++)
        {
            int index = (int)v.Position;
            if (index >= last) { rendered = i; ended = true; break; }
            double frac = v.Position - index;
            double xl = sl[index] + (sl[index + 1] - sl[index]) * frac;
            double xr = sr[index] + (sr[index + 1] - sr[index]) * frac;
            v.Position += v.Increment;

            v.Envelope += v.EnvelopeStep;
            if (v.Envelope >= 1) { v.Envelope = 1; v.EnvelopeStep = 0; }
            else if (v.Envelope <= 0 && v.Releasing) { rendered = i; ended = true; break; }

            volume += volumeStep;
            double g = v.Envelope * v.Velocity * volume;
            xl *= g;
            xr *= g;

            // Direct form I keeps the input history explicit, which makes per-voice state trivially resettable.
            double yl = c.B0 * xl + c.B1 * v.X1L + c.B2 * v.X2L - c.A1 * v.Y1L - c.A2 * v.Y2L;
            double yr = c.B0 * xr + c.B1 * v.X1R + c.B2 * v.X2R - c.A1 * v.Y1R - c.A2 * v.Y2R;
            v.X2L = v.X1L; v.X1L = xl; v.Y2L = v.Y1L; v.Y1L = yl;
            v.X2R = v.X1R; v.X1R = xr; v.Y2R = v.Y1R; v.Y1R = yr;
            bl[i] = yl;
            br[i] = yr;
        }

        // Mix the rendered part (same additions, in the same order per sample, as rendering straight into the output).
        if (hasLeft) for (int i = 0; i < rendered; i++) left[i] += T.CreateTruncating(bl[i]);
        if (hasRight) for (int i = 0; i < rendered; i++) right[i] += T.CreateTruncating(br[i]);
        if (ended) EndVoice(ref v); // only now: the lease must stay ours until its content was mixed

        // Subnormal filter state costs CPU on x87-less paths too; flush it.
        if (Math.Abs(v.Y1L) < 1e-30) v.Y1L = 0;
        if (Math.Abs(v.Y2L) < 1e-30) v.Y2L = 0;
        if (Math.Abs(v.Y1R) < 1e-30) v.Y1R = 0;
        if (Math.Abs(v.Y2R) < 1e-30) v.Y2R = 0;
        if (!double.IsFinite(v.Y1L) || !double.IsFinite(v.Y1R)) EndVoice(ref v);
    }
}
