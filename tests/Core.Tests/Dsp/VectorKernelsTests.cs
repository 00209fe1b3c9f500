using System.Numerics;
using NPlug.Buffers.Dsp;

namespace NPlug.Buffers.Tests.Dsp;

public class VectorKernelsTests
{
    private const int MaxLength = 67;
    private const int MaxOffset = 3;

    private static T[] RandomArray<T>(Random rng, int length) where T : IBinaryFloatingPointIeee754<T>
    {
        var a = new T[length];
        for (int i = 0; i < length; i++) a[i] = T.CreateTruncating(rng.NextDouble() * 4.0 - 2.0);
        return a;
    }

    /// <summary>Runs a check for every length 0..67, source/destination offsets 0..3, and in place.</summary>
    private static void ForEachShape<T>(Action<T[], int, T[], int, int, bool> check) where T : IBinaryFloatingPointIeee754<T>
    {
        var rng = new Random(1234);
        for (int length = 0; length <= MaxLength; length++)
        for (int srcOffset = 0; srcOffset <= MaxOffset; srcOffset++)
        {
            T[] src = RandomArray<T>(rng, length + MaxOffset + 1);
            int dstOffset = (srcOffset * 3 + length) % (MaxOffset + 1);
            T[] dst = RandomArray<T>(rng, length + MaxOffset + 1);
            check(src, srcOffset, dst, dstOffset, length, false);
            T[] same = (T[])src.Clone();
            check(same, srcOffset, same, srcOffset, length, true);
        }
    }

    private static void AssertOutsideUntouched<T>(T[] before, T[] after, int offset, int length)
    {
        for (int i = 0; i < before.Length; i++)
            if (i < offset || i >= offset + length)
                Assert.Equal(before[i], after[i]);
    }

    [Fact] public void Gain_Float() => GainMatchesScalar<float>();
    [Fact] public void Gain_Double() => GainMatchesScalar<double>();

    private static void GainMatchesScalar<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T gain = T.CreateTruncating(-0.7371);
        ForEachShape<T>((src, so, dst, d0, n, inPlace) =>
        {
            T[] srcCopy = (T[])src.Clone();
            T[] dstBefore = (T[])dst.Clone();
            if (inPlace) VectorKernels.Gain(dst.AsSpan(d0, n), gain);
            else VectorKernels.Gain<T>(src.AsSpan(so, n), dst.AsSpan(d0, n), gain);
            for (int i = 0; i < n; i++) Assert.Equal(srcCopy[so + i] * gain, dst[d0 + i]);
            AssertOutsideUntouched(dstBefore, dst, d0, n);
        });
    }

    [Fact] public void Copy_Float() => CopyMatches<float>();
    [Fact] public void Copy_Double() => CopyMatches<double>();

    private static void CopyMatches<T>() where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ForEachShape<T>((src, so, dst, d0, n, inPlace) =>
        {
            T[] srcCopy = (T[])src.Clone();
            T[] dstBefore = (T[])dst.Clone();
            VectorKernels.Copy<T>(src.AsSpan(so, n), dst.AsSpan(d0, n));
            for (int i = 0; i < n; i++) Assert.Equal(srcCopy[so + i], dst[d0 + i]);
            AssertOutsideUntouched(dstBefore, dst, d0, n);
        });
    }

    [Fact]
    public void Clear_ZeroesExactlyTheSpan()
    {
        ForEachShape<float>((_, _, dst, d0, n, _) =>
        {
            float[] before = (float[])dst.Clone();
            VectorKernels.Clear(dst.AsSpan(d0, n));
            for (int i = 0; i < n; i++) Assert.Equal(0f, dst[d0 + i]);
            AssertOutsideUntouched(before, dst, d0, n);
        });
    }

    [Fact] public void MixAdd_Float() => MixAddMatches<float>(1e-6);
    [Fact] public void MixAdd_Double() => MixAddMatches<double>(1e-15);

    private static void MixAddMatches<T>(double tolerance) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T gain = T.CreateTruncating(0.3125);
        ForEachShape<T>((src, so, dst, d0, n, inPlace) =>
        {
            T[] srcCopy = (T[])src.Clone();
            T[] dstBefore = (T[])dst.Clone();
            VectorKernels.MixAdd<T>(src.AsSpan(so, n), dst.AsSpan(d0, n), gain);
            for (int i = 0; i < n; i++)
            {
                double expected = double.CreateTruncating(dstBefore[d0 + i]) + double.CreateTruncating(srcCopy[so + i]) * 0.3125;
                Assert.Equal(expected, double.CreateTruncating(dst[d0 + i]), tolerance * 4);
            }
            AssertOutsideUntouched(dstBefore, dst, d0, n);
        });
    }

    [Fact] public void GainRamp_Float() => GainRampMatchesDefinition<float>(1e-6);
    [Fact] public void GainRamp_Double() => GainRampMatchesDefinition<double>(1e-14);

    private static void GainRampMatchesDefinition<T>(double tolerance) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        T start = T.CreateTruncating(0.123456789), end = T.CreateTruncating(-1.87654321);
        double s = double.CreateTruncating(start), e = double.CreateTruncating(end);
        ForEachShape<T>((src, so, dst, d0, n, inPlace) =>
        {
            T[] srcCopy = (T[])src.Clone();
            T[] dstBefore = (T[])dst.Clone();
            if (inPlace) VectorKernels.GainRamp(dst.AsSpan(d0, n), start, end);
            else VectorKernels.GainRamp<T>(src.AsSpan(so, n), dst.AsSpan(d0, n), start, end);
            for (int i = 0; i < n; i++)
            {
                double g = n == 1 ? e : s + (e - s) * i / (n - 1);
                double expected = double.CreateTruncating(srcCopy[so + i]) * g;
                Assert.Equal(expected, double.CreateTruncating(dst[d0 + i]), tolerance * 4);
            }
            // Endpoints: bit-exact products with the given start and end gains.
            if (n >= 1) Assert.Equal(srcCopy[so + n - 1] * end, dst[d0 + n - 1]);
            if (n >= 2) Assert.Equal(srcCopy[so] * start, dst[d0]);
            AssertOutsideUntouched(dstBefore, dst, d0, n);
        });
    }

    [Fact]
    public void GainRamp_OnOnes_HitsEndpointsExactly()
    {
        foreach (int n in new[] { 2, 3, 7, 16, 17, 33, 512, 1000 })
        {
            float[] ones = Enumerable.Repeat(1f, n).ToArray();
            VectorKernels.GainRamp(ones.AsSpan(), 0.1f, 0.7f);
            Assert.Equal(0.1f, ones[0]);
            Assert.Equal(0.7f, ones[^1]);
            for (int i = 1; i < n; i++) Assert.True(ones[i] > ones[i - 1], $"ramp not increasing at {i} of {n}");
        }

        float[] single = [2f];
        VectorKernels.GainRamp(single.AsSpan(), 0.1f, 0.5f);
        Assert.Equal(1f, single[0]);
    }

    [Fact] public void Peak_Float() => PeakAndRmsMatch<float>(1e-6);
    [Fact] public void Peak_Double() => PeakAndRmsMatch<double>(1e-14);

    private static void PeakAndRmsMatch<T>(double tolerance) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ForEachShape<T>((src, so, _, _, n, inPlace) =>
        {
            if (inPlace) return;
            double peak = 0, sum = 0;
            for (int i = 0; i < n; i++)
            {
                double v = double.CreateTruncating(src[so + i]);
                peak = Math.Max(peak, Math.Abs(v));
                sum += v * v;
            }

            double rms = n == 0 ? 0 : Math.Sqrt(sum / n);
            Assert.Equal(peak, double.CreateTruncating(VectorKernels.Peak<T>(src.AsSpan(so, n))));
            Assert.Equal(rms, double.CreateTruncating(VectorKernels.Rms<T>(src.AsSpan(so, n))), tolerance * 4);
        });
    }

    [Fact]
    public void Peak_ReportsNaN_AndAllFiniteDetectsEveryPosition()
    {
        for (int n = 1; n <= MaxLength; n++)
        for (int pos = 0; pos < n; pos++)
        {
            float[] a = new float[n];
            a[pos] = float.NaN;
            Assert.True(float.IsNaN(VectorKernels.Peak<float>(a)));
            Assert.False(VectorKernels.AllFinite<float>(a));
            a[pos] = float.NegativeInfinity;
            Assert.False(VectorKernels.AllFinite<float>(a));
            a[pos] = 3e38f;
            Assert.True(VectorKernels.AllFinite<float>(a));
        }
    }

    [Fact]
    public void Peak_OfDoubles_ReportsNaN_AndInfinity_AtEveryPosition_AndIgnoresTheSignOfZero()
    {
        for (int n = 1; n <= MaxLength; n++)
        for (int pos = 0; pos < n; pos++)
        {
            double[] a = new double[n];
            a.AsSpan().Fill(-0.0);
            Assert.Equal(0.0, VectorKernels.Peak<double>(a));
            Assert.False(double.IsNegative(VectorKernels.Peak<double>(a)));
            a[pos] = double.NaN;
            Assert.True(double.IsNaN(VectorKernels.Peak<double>(a)));
            a[pos] = double.NegativeInfinity;
            Assert.Equal(double.PositiveInfinity, VectorKernels.Peak<double>(a));
            a[pos] = -double.Epsilon; // the smallest subnormal is still above zero
            Assert.Equal(double.Epsilon, VectorKernels.Peak<double>(a));
        }
    }

    [Fact]
    public void RejectsShortDestinationAndPartialOverlap()
    {
        float[] a = new float[32];
        Assert.Throws<ArgumentException>(() => VectorKernels.Gain<float>(a.AsSpan(0, 16), a.AsSpan(0, 8), 1f));
        Assert.Throws<ArgumentException>(() => VectorKernels.Gain<float>(a.AsSpan(0, 16), a.AsSpan(1, 16), 1f));
        Assert.Throws<ArgumentException>(() => VectorKernels.MixAdd<float>(a.AsSpan(0, 16), a.AsSpan(4, 16), 1f));
        Assert.Throws<ArgumentException>(() => VectorKernels.Copy<float>(a.AsSpan(4, 16), a.AsSpan(0, 16)));
    }

    [Fact]
    public void Kernels_DoNotAllocate()
    {
        float[] src = new float[512], dst = new float[512];
        double[] d = new double[512];
        RunAll();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10_000; k++) RunAll();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());

        void RunAll()
        {
            VectorKernels.Gain<float>(src, dst, 0.5f);
            VectorKernels.Gain(d.AsSpan(), 0.5);
            VectorKernels.GainRamp<float>(src, dst, 0f, 1f);
            VectorKernels.MixAdd<float>(src, dst, 0.5f);
            VectorKernels.Copy<float>(src, dst);
            VectorKernels.Clear<float>(dst);
            _ = VectorKernels.Peak<float>(src) + VectorKernels.Rms<float>(src);
        }
    }
}
