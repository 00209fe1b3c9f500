using NPlug.Buffers.Plugin.GainEq;
using NPlug.Buffers.Interop.Api;
using NPlug.Buffers.Plugin.Sampler;

namespace NPlug.Buffers.Tests.Model;

public class ParameterModelTests
{
    public static TheoryData<string> Layouts => new() { "GainEq", "Sampler" };

    private static ParameterList LayoutOf(string name) => name == "GainEq" ? GainEqModel.Instance.Parameters : SamplerModel.Instance.Parameters;

    [Fact]
    public void Gain_text_round_trips_the_documented_example()
    {
        var gain = GainEqModel.Instance.Parameters.Find(GainEqModel.OutputGain)!;
        Assert.True(gain.TryParse("-6.0 dB", out double n));
        Assert.Equal(-6.0, gain.ToPlain(n), 12);
        Assert.Equal("-6.0 dB", gain.Format(n));
        // Units are optional and spacing/case do not matter.
        Assert.True(gain.TryParsePlain("-6db", out double plain));
        Assert.Equal(-6.0, plain);
        Assert.True(gain.TryParsePlain("  3.5  ", out plain));
        Assert.Equal(3.5, plain);
        Assert.False(gain.TryParsePlain("loud", out _));
        Assert.False(gain.TryParsePlain("NaN dB", out _));
        // Out-of-range text clamps to the range rather than failing.
        Assert.True(gain.TryParsePlain("+100 dB", out plain));
        Assert.Equal(gain.Max, plain);
    }

    [Fact]
    public void Frequency_accepts_kilo_suffix_and_maps_logarithmically()
    {
        var f = GainEqModel.Instance.Parameters.Find(GainEqModel.BandId(0, GainEqModel.BandFrequency))!;
        Assert.True(f.TryParsePlain("1.5 kHz", out double plain));
        Assert.Equal(1500, plain, 9);
        Assert.True(f.TryParsePlain("2k", out plain));
        Assert.Equal(2000, plain, 9);
        // Geometric midpoint of 20..20000 Hz is 632.46 Hz at normalized 0.5.
        Assert.Equal(Math.Sqrt(20.0 * 20000.0), f.ToPlain(0.5), 6);
        Assert.Equal(0.5, f.ToNormalized(Math.Sqrt(20.0 * 20000.0)), 12);
    }

    [Fact]
    public void List_and_toggle_parameters_step_like_vst3_defines()
    {
        var type = GainEqModel.Instance.Parameters.Find(GainEqModel.BandId(1, GainEqModel.BandType))!;
        Assert.Equal(GainEqModel.BandTypeNames.Length - 1, type.StepCount);
        Assert.True((type.Flags & AudioParameterFlags.IsList) != 0);
        for (int i = 0; i <= type.StepCount; i++)
        {
            double n = (double)i / type.StepCount;
            Assert.Equal(i, type.ToPlain(n));
            Assert.Equal(n, type.ToNormalized(i), 12);
            Assert.Equal(GainEqModel.BandTypeNames[i], type.Format(n));
            Assert.True(type.TryParse(GainEqModel.BandTypeNames[i].ToUpperInvariant(), out double parsed));
            Assert.Equal(n, parsed, 12);
        }
        var on = GainEqModel.Instance.Parameters.Find(GainEqModel.BandId(0, GainEqModel.BandEnabled))!;
        Assert.Equal(1, on.StepCount);
        Assert.Equal("On", on.Format(1));
        Assert.Equal("Off", on.Format(0));
        Assert.True(on.TryParse("off", out double off));
        Assert.Equal(0, off);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Every_value_string_round_trips(string layoutName)
    {
        var layout = LayoutOf(layoutName);
        var rng = new Random(1234);
        foreach (var p in layout.All)
        {
            for (int k = 0; k < 200; k++)
            {
                double n = k == 0 ? 0 : k == 1 ? 1 : rng.NextDouble();
                string text = p.Format(n);
                Assert.True(p.TryParse(text, out double back), $"{p.Title}: '{text}' did not parse");
                // The string is a fixed point: formatting the parsed value reproduces it exactly...
                Assert.Equal(text, p.Format(back));
                // ...and the value differs from the original by at most the display precision.
                if (p.Scale is ParameterScale.Linear or ParameterScale.Logarithmic)
                    Assert.True(Math.Abs(p.ToPlain(back) - p.ToPlain(n)) <= 0.5 * Math.Pow(10, -p.Decimals) + 1e-9, $"{p.Title}: {text}");
                else
                    Assert.Equal(p.ToPlain(n), p.ToPlain(back));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Layout_satisfies_validator_rules(string layoutName)
    {
        var layout = LayoutOf(layoutName);
        var ids = new HashSet<uint>();
        int bypass = 0;
        foreach (var p in layout.All)
        {
            Assert.True(p.Id < 0x80000000u);
            Assert.True(ids.Add(p.Id));
            Assert.False(string.IsNullOrWhiteSpace(p.Title));
            Assert.InRange(p.DefaultNormalized, 0, 1);
            Assert.True(p.StepCount >= 0);
            if (p.IsReadOnly) Assert.Equal(0, (int)(p.Flags & AudioParameterFlags.CanAutomate));
            if (p.IsBypass)
            {
                bypass++;
                Assert.Equal(AudioParameterFlags.IsBypass | AudioParameterFlags.CanAutomate, p.Flags);
            }
        }
        Assert.Equal(1, bypass);
        Assert.Contains(layout.All.ToArray(), p => p.IsReadOnly && p.Title.Contains("Peak"));
    }

    [Fact]
    public void Bad_normalized_input_is_sanitized()
    {
        var gain = GainEqModel.Instance.Parameters.Find(GainEqModel.OutputGain)!;
        Assert.Equal(gain.ToPlain(gain.DefaultNormalized), gain.ToPlain(double.NaN));
        Assert.Equal(gain.Max, gain.ToPlain(7));
        Assert.Equal(gain.Min, gain.ToPlain(double.NegativeInfinity));
        Assert.Equal(0.0, GainEqModel.Instance.Parameters.Find(GainEqModel.OutputGain)!.ToPlain(48.0 / 72.0), 12);
    }

    [Fact]
    public void Invalid_layouts_are_refused()
    {
        var a = new AudioParameter(1, "A", "A", "", ParameterScale.Linear, 0, 1, 0, AudioParameterFlags.CanAutomate);
        Assert.Throws<ArgumentException>(() => new ParameterList(a, a));
        Assert.Throws<ArgumentException>(() => new ParameterList(
            new AudioParameter(2, "RO", "RO", "", ParameterScale.Linear, 0, 1, 0, AudioParameterFlags.CanAutomate | AudioParameterFlags.IsReadOnly)));
        Assert.Throws<ArgumentException>(() => new ParameterList(
            new AudioParameter(3, "B1", "B1", "", ParameterScale.Toggle, 0, 1, 0, AudioParameterFlags.CanAutomate | AudioParameterFlags.IsBypass),
            new AudioParameter(4, "B2", "B2", "", ParameterScale.Toggle, 0, 1, 0, AudioParameterFlags.CanAutomate | AudioParameterFlags.IsBypass)));
    }
}
