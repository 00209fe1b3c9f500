namespace OfflineRender;

/// <summary>The embedded default input for effects: something whose processed version is easy to judge.</summary>
public static class TestSignal
{
    /// <summary>
    /// A logarithmic sine sweep 20 Hz → 20 kHz at −12 dBFS over the first two thirds, then a 1 kHz tone burst at
    /// −6 dBFS; the right channel (and any further ones) lags by a quarter period so channels are distinguishable.
    /// Short fades avoid clicks at the edges.
    /// </summary>
    public static double[][] Generate(int channels, double sampleRate, double seconds)
    {
        int frames = (int)Math.Round(seconds * sampleRate);
        int sweepFrames = frames * 2 / 3;
        var output = new double[channels][];
        double f0 = 20, f1 = Math.Min(20000, sampleRate * 0.45);
        double sweepSeconds = sweepFrames / sampleRate;
        double k = Math.Log(f1 / f0);
        int fade = (int)Math.Min(sampleRate * 0.01, frames / 4.0);
        for (int c = 0; c < channels; c++)
        {
            var x = output[c] = new double[frames];
            double offset = c * Math.PI / 2;
            for (int i = 0; i < frames; i++)
            {
                double t = i / sampleRate;
                x[i] = i < sweepFrames
                    ? 0.251 * Math.Sin(2 * Math.PI * f0 * sweepSeconds / k * (Math.Exp(t / sweepSeconds * k) - 1) + offset)
                    : 0.501 * Math.Sin(2 * Math.PI * 1000 * (t - sweepSeconds) + offset);
                double gain = Math.Min(1, Math.Min(i, frames - 1 - i) / (double)Math.Max(fade, 1));
                int toBoundary = Math.Abs(i - sweepFrames);
                if (toBoundary < fade) gain *= toBoundary / (double)fade;
                x[i] *= gain;
            }
        }

        return output;
    }
}
