using NPlug.Buffers.Pools;

namespace NPlug.Buffers.Plugin.Sampler;

/// <summary>
/// The sample the Sampler plays when no file was loaded: a decaying harmonic tone at middle C, generated at start-up
/// so the plugin works with no files. Two channels with slightly different harmonic phases give it some width.
/// </summary>
public static class DefaultSample
{
    public const int RootNote = 60;
    public const double SampleRate = 48000;
    public const double Seconds = 1.5;
    public const double PeakLevel = 0.8;
    public static double RootFrequency => 440.0 * Math.Pow(2, (RootNote - 69) / 12.0);

    /// <summary>Frames of the generated tone.</summary>
    public static int FrameCount => (int)(SampleRate * Seconds);

    /// <summary>The key the tone is shared under in a registry (bump the version when <see cref="Generate"/> changes).</summary>
    public const string Key = "nplug.buffers/sampler/default-sample/v1";

    /// <summary>
    /// The tone in <paramref name="registry"/> (default: <see cref="SharedBufferRegistry.Module"/>), synthesised straight
    /// into shared native memory by the first instance that asks while no other holds it; every other instance and every
    /// voice uses that one copy. Dispose the share when the instance terminates. Non-audio thread.
    /// </summary>
    public static SharedSample AcquireShared(SharedBufferRegistry? registry = null) =>
        (registry ?? SharedBufferRegistry.Module).Share(Key, 2, FrameCount, SampleRate, FillShared);

    private static readonly Action<SharedSampleBuffer> FillShared =
        static b => Generate(b.GetWritableChannel(0), b.GetWritableChannel(1));

    private static readonly Lazy<float[]> Planar = new(() =>
    {
        var data = new float[2 * FrameCount];
        Generate(data.AsSpan(0, FrameCount), data.AsSpan(FrameCount, FrameCount));
        return data;
    });

    /// <summary>
    /// Copies the tone into two channels. It is synthesised once per process (the first call) and kept in a managed
    /// array afterwards; prefer <see cref="AcquireShared"/>, which holds no second copy.
    /// </summary>
    public static void CopyTo(Span<float> left, Span<float> right)
    {
        var data = Planar.Value;
        data.AsSpan(0, Math.Min(FrameCount, left.Length)).CopyTo(left);
        data.AsSpan(FrameCount, Math.Min(FrameCount, right.Length)).CopyTo(right);
    }

    /// <summary>Fills two planar channels (each <see cref="FrameCount"/> long) with the tone, peak-normalised.</summary>
    public static void Generate(Span<float> left, Span<float> right)
    {
        int frames = Math.Min(left.Length, right.Length);
        double f0 = RootFrequency;
        double peak = 0;
        for (int i = 0; i < frames; i++)
        {
            double t = i / SampleRate;
            double attack = Math.Min(1.0, t / 0.005);
            double l = 0, r = 0;
            for (int k = 1; k <= 8; k++)
            {
                double amp = attack * Math.Exp(-t * (1.5 + 0.8 * k)) / k;
                double phase = 2 * Math.PI * k * f0 * t;
                l += amp * Math.Sin(phase);
                r += amp * Math.Sin(phase + 0.3 * k);
            }
            left[i] = (float)l;
            right[i] = (float)r;
            peak = Math.Max(peak, Math.Max(Math.Abs(l), Math.Abs(r)));
        }
        float scale = peak > 0 ? (float)(PeakLevel / peak) : 0f;
        for (int i = 0; i < frames; i++) { left[i] *= scale; right[i] *= scale; }
    }
}
