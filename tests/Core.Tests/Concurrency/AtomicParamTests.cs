using NPlug.Buffers.Concurrency;

namespace NPlug.Buffers.Tests.Concurrency;

public sealed class AtomicParamTests
{
    [Theory]
    [InlineData(0L)]                         // +0
    [InlineData(unchecked((long)0x8000_0000_0000_0000))] // -0
    [InlineData(0x3FBF_9ADD_3739_635FL)]     // 0.1234...
    [InlineData(0x7FEF_FFFF_FFFF_FFFFL)]     // double.MaxValue
    [InlineData(1L)]                         // smallest subnormal
    [InlineData(unchecked((long)0xFFF0_0000_0000_0000))] // -infinity
    [InlineData(0x7FF8_0000_0000_0001L)]     // a NaN payload
    public void Value_RoundTripsBitExactly(long bits)
    {
        var p = new AtomicParam();
        p.Set(BitConverter.Int64BitsToDouble(bits));
        Assert.Equal(bits, BitConverter.DoubleToInt64Bits(p.Get()));
    }

    [Fact]
    public void ExchangeAndCompareExchange_CompareBitPatterns()
    {
        var p = new AtomicParam(1.5);
        Assert.Equal(1.5, p.Exchange(2.5));
        Assert.Equal(2.5, p.CompareExchange(3.5, 9.0)); // no match: unchanged
        Assert.Equal(2.5, p.Value);
        Assert.Equal(2.5, p.CompareExchange(3.5, 2.5));
        Assert.Equal(3.5, p.Value);

        p.Value = double.NaN;
        Assert.True(double.IsNaN(p.CompareExchange(1.0, double.NaN))); // NaN matches its own pattern
        Assert.Equal(1.0, p.Value);
        p.Value = 0.0;
        p.CompareExchange(5.0, -0.0); // -0 is a different pattern
        Assert.Equal(0.0, p.Value);
    }

    [Fact]
    public void Smoothing_ConvergesGeometrically_AndIgnoresNonFiniteTargets()
    {
        var p = new AtomicParam(1.0);
        double current = 0;
        const double k = 0.1;
        for (int n = 1; n <= 50; n++)
        {
            p.GetSmoothed(ref current, k);
            Assert.Equal(1 - Math.Pow(1 - k, n), current, 12); // analytic one-pole step response
        }

        double held = current;
        p.Value = double.NaN;
        Assert.Equal(held, p.GetSmoothed(ref current, k));
        p.Value = double.PositiveInfinity;
        Assert.Equal(held, p.GetSmoothed(ref current, k));
    }

    [Fact]
    public void ConcurrentWriters_ReaderNeverSeesAMixOfTwoValues()
    {
        // Two patterns whose halves differ: a torn 64-bit read would mix them.
        double x = BitConverter.Int64BitsToDouble(0x3FF0_0000_0000_0001);
        double y = BitConverter.Int64BitsToDouble(0x4000_0000_FFFF_FFFF);
        var p = new AtomicParam(x);
        int stop = 0;
        var writers = new[] { x, y }.Select(v => new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0) p.Set(v);
        })).ToList();
        writers.ForEach(t => t.Start());
        int bad = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            double v = p.Get();
            if (BitConverter.DoubleToInt64Bits(v) != BitConverter.DoubleToInt64Bits(x) &&
                BitConverter.DoubleToInt64Bits(v) != BitConverter.DoubleToInt64Bits(y)) bad++;
        }

        Volatile.Write(ref stop, 1);
        writers.ForEach(t => t.Join());
        Assert.Equal(0, bad);
    }
}
