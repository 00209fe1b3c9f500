using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Plugin;
using NPlug.Buffers.Tests.Conformance;

namespace NPlug.Buffers.Tests.Compatibility;

/// <summary>
/// Users' saved sessions survive releases: state blobs written by the bundle as it stood before the framework port
/// (committed under Compatibility/Fixtures together with the parameter values and the audio that bundle rendered from
/// them) load into today's plugin with the same parameter values and render the same audio.
/// </summary>
/// <remarks>
/// The fixtures were written once by running this class with NPLUG_WRITE_FIXTURES=1 against commit e3d2544 (the last
/// commit before the port). Without that variable the test only reads them.
/// </remarks>
public sealed class SavedSessionTests
{
    private const int Frames = 512;
    private const int Blocks = 8;

    public static TheoryData<string> Classes() => new() { PluginClasses.GainEqName, PluginClasses.SamplerName };

    private static string FixtureDir => Path.Combine(PluginSources.RepoRoot, "tests", "Plugin.Tests", "Compatibility", "Fixtures");

    private static string Slug(string className) => className.Replace("NPlug ", "").ToLowerInvariant();

    /// <summary>A non-default value for every writable parameter, deterministic per class.</summary>
    private static void MoveParameters(HostedPlugin plugin, string className)
    {
        var rng = new Random(className.Length * 7919);
        foreach (var p in plugin.GetParameters())
        {
            if (p.IsReadOnly) continue;
            double value = p.IsBypass ? 0 : rng.NextDouble();
            // Keep the EQ audible but not clipping: gains toward the middle of their range.
            if (p.Title.Contains("Gain", StringComparison.Ordinal) || p.Title.Contains("Volume", StringComparison.Ordinal)) value = 0.35 + 0.3 * value;
            if (p.Title.Contains("Duck", StringComparison.Ordinal)) value = 0;
            plugin.InputParameterChanges.AddPoint(p.Id, 0, value);
        }
    }

    private static float[] Render(HostedPlugin plugin, string className)
    {
        var output = new float[2 * Frames * Blocks];
        for (int b = 0; b < Blocks; b++)
        {
            if (className == PluginClasses.SamplerName)
            {
                if (b == 0) plugin.InputEvents.AddNoteOn(10, 0, 60, 0.9f, noteId: 1);
                if (b == 1) plugin.InputEvents.AddNoteOn(100, 0, 67, 0.7f, noteId: 2);
                if (b == 4) plugin.InputEvents.AddNoteOff(5, 0, 60, 0f, noteId: 1);
            }
            else
            {
                for (int c = 0; c < 2; c++)
                {
                    var input = plugin.Buffers!.Input32(0, c);
                    for (int i = 0; i < Frames; i++)
                    {
                        int n = b * Frames + i;
                        input[i] = (float)(0.4 * Math.Sin(2 * Math.PI * 440 * n / 48000.0 + c) + 0.2 * Math.Sin(2 * Math.PI * 3100 * n / 48000.0));
                    }
                }
            }
            Assert.Equal(TResult.ResultOk, plugin.Process(Frames));
            for (int c = 0; c < 2; c++)
                plugin.Buffers!.Output32(0, c)[..Frames].CopyTo(output.AsSpan((b * 2 + c) * Frames, Frames));
        }
        return output;
    }

    [Theory]
    [MemberData(nameof(Classes))]
    public void State_written_before_the_port_loads_with_the_same_values_and_renders_the_same_audio(string className)
    {
        string slug = Slug(className);
        string statePath = Path.Combine(FixtureDir, slug + ".state");
        string valuesPath = Path.Combine(FixtureDir, slug + ".values.txt");
        string audioPath = Path.Combine(FixtureDir, slug + ".render.f32");
        bool write = Environment.GetEnvironmentVariable("NPLUG_WRITE_FIXTURES") == "1";

        using var module = PluginSources.Open(PluginSources.InProcess);
        using var plugin = module.CreatePlugin(module.ProcessorClasses.Single(c => c.Name == className));

        if (write)
        {
            Directory.CreateDirectory(FixtureDir);
            plugin.StartProcessing(48000, Frames, SymbolicSampleSizes.Sample32);
            MoveParameters(plugin, className);
            Assert.Equal(TResult.ResultOk, plugin.Process(Frames));
            plugin.StopProcessing();
            byte[] state = plugin.GetComponentState();
            Assert.Equal(TResult.ResultOk, plugin.SetControllerComponentState(state));
            File.WriteAllBytes(statePath, state);
            File.WriteAllLines(valuesPath, plugin.GetParameters()
                .Where(p => !p.IsReadOnly)
                .Select(p => FormattableString.Invariant($"{p.Id} {plugin.GetParamNormalized(p.Id):R}")));
        }

        byte[] blob = File.ReadAllBytes(statePath);
        Assert.Equal(TResult.ResultOk, plugin.SetComponentState(blob));
        Assert.Equal(TResult.ResultOk, plugin.SetControllerComponentState(blob));
        foreach (var line in File.ReadAllLines(valuesPath))
        {
            var parts = line.Split(' ');
            uint id = uint.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            double expected = double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, plugin.GetParamNormalized(id), 12);
        }
        // The processor hands back exactly the blob it was given (same format, same values).
        Assert.Equal(blob, plugin.GetComponentState());

        plugin.StartProcessing(48000, Frames, SymbolicSampleSizes.Sample32);
        float[] audio = Render(plugin, className);
        plugin.StopProcessing();
        Assert.True(audio.Max(MathF.Abs) > 0.01f, "the session renders sound");

        if (write)
        {
            File.WriteAllBytes(audioPath, System.Runtime.InteropServices.MemoryMarshal.AsBytes(audio.AsSpan()).ToArray());
            return;
        }
        float[] expectedAudio = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(audioPath)).ToArray();
        Assert.Equal(expectedAudio.Length, audio.Length);
        double worst = 0;
        for (int i = 0; i < audio.Length; i++) worst = Math.Max(worst, Math.Abs(audio[i] - expectedAudio[i]));
        // Same audio: within 1e-6 (−120 dBFS) sample for sample, i.e. float rounding of a re-ordered sum at most.
        Assert.True(worst <= 1e-6, $"{className}: rendered audio differs from the pre-port render by {worst:E2}");
    }
}
