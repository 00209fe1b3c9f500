using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Api;

namespace NPlug.Buffers.Tests.Abi.Api;

public class ParameterTests
{
    [Fact]
    public void Linear_range_maps_analytically_and_round_trips()
    {
        var p = new RangeParameter(1, "Gain", -60, 12, 0, "dB", precision: 1);
        Assert.Equal(60.0 / 72.0, p.DefaultNormalized, 12);
        Assert.Equal(-60, p.ToPlain(0));
        Assert.Equal(12, p.ToPlain(1));
        Assert.Equal(-24, p.ToPlain(0.5));
        Assert.Equal(0.25, p.ToNormalized(-42), 12);
        Assert.Equal("-24.0", p.Format(0.5));
        Assert.True(p.TryParse("-24 dB", out double n));
        Assert.Equal(0.5, n, 12);
        Assert.False(p.TryParse("loud", out _));
        Assert.Equal(1.0, p.ToNormalized(1000));   // clamped
        p.NormalizedValue = double.NaN;             // ignored
        Assert.Equal(p.DefaultNormalized, p.NormalizedValue);
    }

    [Fact]
    public void Stepped_range_snaps_to_the_grid()
    {
        var p = new RangeParameter(2, "Steps", 0, 4, 0, stepCount: 4);
        Assert.Equal(1, p.ToPlain(0.3));  // 0.3*4 = 1.2 -> 1
        Assert.Equal(0.5, p.ToNormalized(2.2));
    }

    [Fact]
    public void Log_range_maps_equal_ratios_to_equal_steps()
    {
        var f = new LogRangeParameter(3, "Freq", 20, 20000, 632.4555320336759, "Hz");
        Assert.Equal(20, f.ToPlain(0), 9);
        Assert.Equal(20000, f.ToPlain(1), 6);
        Assert.Equal(Math.Sqrt(20 * 20000), f.ToPlain(0.5), 6);
        Assert.Equal(0.5, f.DefaultNormalized, 9);
        Assert.Equal(1.0 / 3.0, f.ToNormalized(200), 12);
    }

    [Fact]
    public void Toggle_list_and_bypass()
    {
        var b = new BypassParameter(9);
        Assert.Equal(1, b.StepCount);
        Assert.Equal(ParameterFlags.CanAutomate | ParameterFlags.IsBypass, b.Flags);
        var l = new ListParameter(4, "Mode", ["A", "B", "C"], 1);
        Assert.Equal(2, l.StepCount);
        Assert.Equal(0.5, l.DefaultNormalized);
        Assert.Equal("C", l.Format(0.9));
        Assert.True(l.TryParse("b", out double n));
        Assert.Equal(0.5, n);
        Assert.NotEqual(0, l.Flags & ParameterFlags.IsList);
    }

    [Fact]
    public void Invalid_definitions_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToggleParameter(0x80000000, "x"));
        Assert.Throws<ArgumentException>(() => new ToggleParameter(1, "x", flags: ParameterFlags.CanAutomate | ParameterFlags.IsReadOnly));
        var list = new ParameterList();
        list.Add(new ToggleParameter(1, "a"));
        Assert.Throws<ArgumentException>(() => list.Add(new ToggleParameter(1, "b")));
        list.Add(new BypassParameter(2));
        Assert.Throws<ArgumentException>(() => list.Add(new BypassParameter(3)));
    }

    [Fact]
    public void Info_is_written_with_truncated_titles()
    {
        var p = new RangeParameter(7, new string('t', 200), 0, 1, 0.25, "u");
        p.GetInfo(out var info);
        Assert.Equal(7u, info.Id);
        Assert.Equal(127, AbiStrings.Read(in info.Title).Length);
        Assert.Equal("u", AbiStrings.Read(in info.Units));
        Assert.Equal(0.25, info.DefaultNormalizedValue);
    }
}
