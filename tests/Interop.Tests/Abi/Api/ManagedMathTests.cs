using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Tests.Abi.Api;

/// <summary>
/// The audio path's libm-free math (<see cref="ManagedMath"/>) and what is built on it: log-scaled
/// <see cref="AudioParameter.ToPlain"/> and the id → index lookup of <see cref="ParameterList"/>.
/// </summary>
public class ManagedMathTests
{
    /// <summary>Relative distance, in units of double epsilon (2^-52).</summary>
    private static double Ulps(double actual, double expected) =>
        expected == actual ? 0 : Math.Abs(actual - expected) / (Math.Abs(expected) * Math.Pow(2, -52));

    [Fact]
    public void Exp_matches_Math_within_two_ulp()
    {
        var rng = new Random(7);
        double worst = 0;
        for (int i = 0; i < 200_000; i++)
        {
            double x = -20 + 40 * rng.NextDouble();
            worst = Math.Max(worst, Ulps(ManagedMath.Exp(x), Math.Exp(x)));
        }
        Assert.True(worst <= 2, $"exp: {worst} ulp");
        Assert.Equal(1.0, ManagedMath.Exp(0));
    }

    [Fact]
    public void Log_matches_Math_within_three_ulp()
    {
        var rng = new Random(9);
        double worst = 0;
        for (int i = 0; i < 300_000; i++)
        {
            // Across the normal range, and densely around 1 (where ln x is small and the exponent adds nothing).
            double y = i % 3 == 0 ? 1 + (rng.NextDouble() - 0.5) * 0.9 : Math.Exp(-700 + 1400 * rng.NextDouble());
            worst = Math.Max(worst, Ulps(ManagedMath.Log(y), Math.Log(y)));
        }
        Assert.True(worst <= 3, $"log: {worst} ulp");
        Assert.Equal(0.0, ManagedMath.Log(1));
        Assert.Equal(Math.Log(2), ManagedMath.Log(2), 15);
        Assert.Equal(double.NegativeInfinity, ManagedMath.Log(0));
        Assert.True(double.IsNaN(ManagedMath.Log(-1)));
        Assert.Equal(double.PositiveInfinity, ManagedMath.Log(double.PositiveInfinity));
        Assert.Equal(Math.Log(double.Epsilon), ManagedMath.Log(double.Epsilon)); // subnormal: the library's value
    }

    [Fact]
    public void Amplitude_to_dB_matches_20_log10_and_silence_is_minus_infinity()
    {
        var rng = new Random(11);
        for (int i = 0; i < 100_000; i++)
        {
            double peak = Math.Pow(10, -8 + 10 * rng.NextDouble()); // −160 … +40 dBFS
            double expected = 20 * Math.Log10(peak);
            Assert.True(Math.Abs(ManagedMath.AmplitudeToDb(peak) - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{peak:R}");
        }
        Assert.Equal(0.0, ManagedMath.AmplitudeToDb(1));
        Assert.Equal(double.NegativeInfinity, ManagedMath.AmplitudeToDb(0));
        Assert.Equal(double.NegativeInfinity, ManagedMath.AmplitudeToDb(-0.5));
        Assert.Equal(double.NegativeInfinity, ManagedMath.AmplitudeToDb(double.NaN));
        Assert.Equal(double.PositiveInfinity, ManagedMath.AmplitudeToDb(double.PositiveInfinity));
    }

    [Theory]
    [InlineData(20, 20000)]
    [InlineData(20, 2000)]
    [InlineData(0.1, 18)]
    [InlineData(1e-3, 1e6)]
    public void Log_ToPlain_matches_Math_Pow_over_the_range_and_ends_exactly_at_min_and_max(double min, double max)
    {
        var p = AudioParameter.Log(1, "Log", min, max, min);
        Assert.Equal(min, p.ToPlain(0));
        Assert.Equal(max, p.ToPlain(1));
        Assert.Equal(min, p.ToPlain(-3));
        Assert.Equal(max, p.ToPlain(double.PositiveInfinity));
        double worst = 0;
        for (int k = 0; k <= 100_000; k++)
        {
            double n = k / 100_000.0;
            double expected = Math.Clamp(min * Math.Pow(max / min, n), min, max);
            double plain = p.ToPlain(n);
            Assert.InRange(plain, min, max);
            worst = Math.Max(worst, Math.Abs(plain - expected) / expected);
        }
        // The exponent n·ln(max/min) rounds once (≤ ½ ulp of at most ln(1e9) ≈ 21), exp adds about an ulp:
        // a relative error below 1e-14 whatever the range.
        Assert.True(worst <= 1e-14, $"worst relative error {worst:E2}");
        // Monotonic: a larger normalized value never gives a smaller plain one.
        double previous = p.ToPlain(0);
        for (int k = 1; k <= 10_000; k++)
        {
            double plain = p.ToPlain(k / 10_000.0);
            Assert.True(plain >= previous, $"n = {k / 10_000.0}");
            previous = plain;
        }
    }

    [Fact]
    public void Id_lookup_finds_every_id_and_rejects_unknown_ones()
    {
        uint[] ids = [0, 1, 2, 3, 10, 11, 24, 100, 101, 4095, 4096, 70000, 0x7FFF_FFFF];
        var list = new ParameterList();
        foreach (uint id in ids) list.Add(AudioParameter.Linear(id, $"P{id}", 0, 1, 0));
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.True(list.TryGetIndex(ids[i], out int index), $"id {ids[i]}");
            Assert.Equal(i, index);
            Assert.Same(list[i], list.Find(ids[i]));
            Assert.True(list.TryGet(ids[i], out var p));
            Assert.Same(list[i], p);
        }
        var known = new HashSet<uint>(ids);
        foreach (uint id in new uint[] { 4, 9, 12, 99, 102, 4094, 4097, 69999, 0x7FFF_FFFE, 0x8000_0000, uint.MaxValue })
        {
            Assert.DoesNotContain(id, known);
            Assert.False(list.TryGetIndex(id, out int index), $"id {id}");
            Assert.Equal(0, index);
            Assert.Null(list.Find(id));
            Assert.False(list.TryGet(id, out _));
        }
        Assert.Throws<ArgumentException>(() => list.Add(AudioParameter.Linear(11, "Again", 0, 1, 0)));
        Assert.Throws<ArgumentException>(() => list.Add(AudioParameter.Linear(70000, "Again", 0, 1, 0)));
        // Still consistent after the refused duplicates.
        Assert.Equal(ids.Length, list.Count);
        Assert.True(list.TryGetIndex(70000, out int last) && last == 11);
    }

    [Fact]
    public void Id_lookup_without_large_ids_rejects_them_too()
    {
        var list = new ParameterList(AudioParameter.Linear(5, "A", 0, 1, 0), AudioParameter.Linear(2, "B", 0, 1, 0));
        Assert.True(list.TryGetIndex(5, out int a) && a == 0);
        Assert.True(list.TryGetIndex(2, out int b) && b == 1);
        Assert.False(list.TryGetIndex(0, out _));
        Assert.False(list.TryGetIndex(6, out _));
        Assert.False(list.TryGetIndex(5000, out _));
        Assert.False(new ParameterList().TryGetIndex(0, out _));
    }
}
