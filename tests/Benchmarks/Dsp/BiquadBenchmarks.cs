using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Benchmarks.Dsp;

/// <summary>
/// Biquads on 512-frame f32 blocks, each against a plain C# scalar baseline in the same run.
/// Mean is ns per sample per channel (OperationsPerInvoke = frames × channels).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class BiquadBenchmarks
{
    private const int Frames = 512;
    private const double Fs = 48_000;

    private readonly BiquadCoefficients[] _bands =
    [
        BiquadDesign.Design(FilterType.LowShelf, 120, 0.7, 3, Fs),
        BiquadDesign.Design(FilterType.Peaking, 900, 1.2, -4, Fs),
        BiquadDesign.Design(FilterType.Peaking, 3500, 2.0, 5, Fs),
        BiquadDesign.Design(FilterType.HighShelf, 9000, 0.7, -2, Fs),
    ];

    // Every invocation restarts from fresh noise (a 2 KB copy per channel, same for baseline and candidate) so
    // repeated in-place filtering neither blows up nor decays into denormals.
    private float[] _source = null!;
    private float[] _mono = null!;
    private float[][] _stereo = null!;
    private float** _pointers;
    private BiquadCascade<float> _single = null!;
    private BiquadCascade<float> _cascade = null!;
    private float[] _tdf2Coefficients = null!;
    private float[] _tdf2State = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _source = Enumerable.Range(0, Frames).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        _mono = _source.ToArray();
        _stereo = [_source.ToArray(), _source.ToArray()];
        _pointers = (float**)System.Runtime.InteropServices.NativeMemory.Alloc(2, (nuint)sizeof(float*));
        for (int c = 0; c < 2; c++)
        {
            // Pinned for the process lifetime of the benchmark.
            _pointers[c] = (float*)System.Runtime.InteropServices.GCHandle.Alloc(_stereo[c], System.Runtime.InteropServices.GCHandleType.Pinned).AddrOfPinnedObject();
        }

        _single = new BiquadCascade<float>(1, 1);
        _single.SetStage(0, _bands[1]);
        _cascade = new BiquadCascade<float>(4, 2);
        for (int s = 0; s < 4; s++) _cascade.SetStage(s, _bands[s]);

        _tdf2Coefficients = new float[4 * 5];
        for (int s = 0; s < 4; s++)
        {
            BiquadCoefficients c = _bands[s];
            _tdf2Coefficients[s * 5 + 0] = (float)c.B0;
            _tdf2Coefficients[s * 5 + 1] = (float)c.B1;
            _tdf2Coefficients[s * 5 + 2] = (float)c.B2;
            _tdf2Coefficients[s * 5 + 3] = (float)c.A1;
            _tdf2Coefficients[s * 5 + 4] = (float)c.A2;
        }

        _tdf2State = new float[2 * 4 * 2];
    }

    // ---- one biquad, one channel ----

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames), BenchmarkCategory("Biquad 1ch f32")]
    public void NaiveTdf2_1Stage()
    {
        float[] buf = _mono;
        _source.CopyTo(buf, 0);
        float[] k = _tdf2Coefficients;
        float b0 = k[5], b1 = k[6], b2 = k[7], a1 = k[8], a2 = k[9];
        float z1 = _tdf2State[0], z2 = _tdf2State[1];
        for (int i = 0; i < buf.Length; i++)
        {
            float x = buf[i];
            float y = b0 * x + z1;
            z1 = b1 * x - a1 * y + z2;
            z2 = b2 * x - a2 * y;
            buf[i] = y;
        }

        _tdf2State[0] = z1;
        _tdf2State[1] = z2;
    }

    [Benchmark(OperationsPerInvoke = Frames), BenchmarkCategory("Biquad 1ch f32")]
    public void Cascade_1Stage()
    {
        _source.CopyTo(_mono, 0);
        _single.Process(0, _mono);
    }

    // ---- 4 bands, stereo ----

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames * 2), BenchmarkCategory("4-band stereo f32")]
    public void ScalarCascade_4Band_Stereo()
    {
        float[] k = _tdf2Coefficients;
        float[] z = _tdf2State;
        float[] left = _stereo[0], right = _stereo[1];
        _source.CopyTo(left, 0);
        _source.CopyTo(right, 0);
        for (int i = 0; i < Frames; i++)
        {
            for (int c = 0; c < 2; c++)
            {
                float[] buf = c == 0 ? left : right;
                float x = buf[i];
                for (int s = 0; s < 4; s++)
                {
                    int o = s * 5, st = (c * 4 + s) * 2;
                    float y = k[o] * x + z[st];
                    z[st] = k[o + 1] * x - k[o + 3] * y + z[st + 1];
                    z[st + 1] = k[o + 2] * x - k[o + 4] * y;
                    x = y;
                }

                buf[i] = x;
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Frames * 2), BenchmarkCategory("4-band stereo f32")]
    public void Cascade_4Band_Stereo()
    {
        _source.CopyTo(_stereo[0], 0);
        _source.CopyTo(_stereo[1], 0);
        _cascade.Process(new NPlug.Buffers.AudioBlock<float>(_pointers, 2, Frames));
    }
}
