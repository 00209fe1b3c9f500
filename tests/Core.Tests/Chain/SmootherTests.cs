using NPlug.Buffers.Chain;

namespace NPlug.Buffers.Tests.Chain;

public class SmootherTests
{
    [Theory]
    [InlineData(0.0, 1.0, 0.01, 48000)]
    [InlineData(-60.0, 12.0, 0.02, 44100)]
    [InlineData(3.3, -7.1, 0.001, 96000)]
    public void LinearRampFollowsTheStraightLineAndLandsExactly(double start, double target, double seconds, double rate)
    {
        var config = new SmootherConfig(SmootherKind.Linear, seconds, rate);
        int n = (int)Math.Round(seconds * rate);
        Assert.Equal(n, config.RampSamples);
        var s = new Smoother(config, start);
        s.SetTarget(target);
        Assert.True(s.IsSmoothing);
        for (int k = 1; k <= n; k++)
        {
            double v = s.Next();
            double expected = start + (target - start) * k / n;
            Assert.True(Math.Abs(v - expected) <= 1e-12 * Math.Max(1, Math.Abs(target - start)), $"k={k} v={v} expected={expected}");
        }
        Assert.Equal(target, s.Current); // bit-exact arrival
        Assert.False(s.IsSmoothing);
        Assert.Equal(target, s.Next());
    }

    [Fact]
    public void AdvanceMatchesPerSampleStepping()
    {
        var rng = new Random(11);
        foreach (var kind in new[] { SmootherKind.Linear, SmootherKind.OnePole })
        {
            var config = new SmootherConfig(kind, 0.005, 48000);
            var a = new Smoother(config, 0);
            var b = new Smoother(config, 0);
            for (int round = 0; round < 200; round++)
            {
                if (rng.Next(4) == 0)
                {
                    double t = rng.NextDouble() * 40 - 20;
                    a.SetTarget(t);
                    b.SetTarget(t);
                }
                int len = rng.Next(0, 70);
                double last = a.Current;
                for (int i = 0; i < len; i++) last = a.Next();
                double advanced = b.Advance(len);
                if (kind == SmootherKind.Linear) Assert.Equal(last, advanced);
                else Assert.True(Math.Abs(last - advanced) < 1e-9, $"{last} vs {advanced}");
                Assert.Equal(a.IsSmoothing, b.IsSmoothing);
            }
        }
    }

    [Fact]
    public void OnePoleDecaysByOneOverEPerTimeConstantAndArrivesExactly()
    {
        const double rate = 48000, tau = 0.002;
        var s = new Smoother(new SmootherConfig(SmootherKind.OnePole, tau, rate, 1e-9), 1.0);
        s.SetTarget(0.25);
        int tauSamples = (int)(tau * rate);
        for (int i = 0; i < tauSamples; i++) s.Next();
        double expected = 0.25 + 0.75 * Math.Exp(-1.0);
        Assert.True(Math.Abs(s.Current - expected) < 1e-9, $"{s.Current} vs {expected}");
        int guard = 0;
        while (s.IsSmoothing && guard++ < 100000) s.Next();
        Assert.Equal(0.25, s.Current);
        Assert.True(guard < 100000);
    }

    [Fact]
    public void FillWritesTheSameSequenceAsNext()
    {
        var config = new SmootherConfig(SmootherKind.Linear, 0.001, 48000);
        var a = new Smoother(config, -3);
        var b = new Smoother(config, -3);
        a.SetTarget(9);
        b.SetTarget(9);
        var buffer = new double[100];
        a.Fill(buffer);
        for (int i = 0; i < buffer.Length; i++) Assert.Equal(b.Next(), buffer[i]);
        Assert.Equal(9.0, buffer[^1]);
    }

    [Fact]
    public void NonFiniteTargetsAreIgnoredAndZeroTimeJumps()
    {
        var s = new Smoother(new SmootherConfig(SmootherKind.Linear, 0, 48000), 2);
        s.SetTarget(double.NaN);
        s.SetTarget(double.PositiveInfinity);
        Assert.Equal(2, s.Current);
        s.SetTarget(5);
        Assert.Equal(5, s.Current);
        Assert.False(s.IsSmoothing);
        s.Reset(double.NaN);
        Assert.True(double.IsFinite(s.Current));
    }

    [Fact]
    public void SameTargetDoesNotRestartTheRamp()
    {
        var s = new Smoother(new SmootherConfig(SmootherKind.Linear, 100 / 48000.0, 48000), 0);
        s.SetTarget(1);
        s.Advance(50);
        s.SetTarget(1);
        s.Advance(50);
        Assert.Equal(1.0, s.Current);
    }
}
