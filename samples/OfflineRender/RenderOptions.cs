using System.Globalization;

namespace OfflineRender;

/// <summary>Command-line options, parsed by hand (no System.CommandLine).</summary>
public sealed class RenderOptions
{
    public const string Usage = """
        OfflineRender — render a WAV file through any VST3 plugin, offline.

        Usage: OfflineRender [options]
          --plugin PATH        .vst3 bundle (default: $NPLUG_BUFFERS_BUNDLE, else artifacts/NPlug.Buffers.vst3)
          --class NAME|CID     processor class by name or class id (default: the first audio processor)
          --in FILE.wav        input audio (default: a generated test signal, or a note sequence for instruments)
          --out FILE.wav       output (default: artifacts/render/default.wav, or <in>-rendered.wav beside --in)
          --param NAME=VALUE   set a parameter in plain units, parsed by the plugin's own value strings (repeatable)
          --block N            samples per process call (default 512)
          --sample-rate HZ     render at HZ (default 48000, or the --in file's own rate); a --in file at another rate
                               is resampled to HZ first, and the output file is written at HZ
          --resampler KIND     sinc (default: NAudio's WDL resampler, 64-tap windowed sinc, ~120 dB THD+N) or
                               provider (NAudio's WdlResamplingSampleProvider as shipped: linear, ~62 dB THD+N)
          --length SECONDS     length of the generated input (default 3)
          --notes SPEC         notes for instruments: NOTE@START+LENGTH[*VELOCITY],... e.g. "C4@0+0.5,E4@0.5+0.5*0.8"
                               (NOTE is a MIDI number or a name like C4, F#3, Bb2; times in seconds)
          --double             process 64-bit samples when the plugin supports them
          --list               print the plugin's classes, buses and parameters, then exit
          --plot FILE.png|svg  draw the EQ magnitude response from the plugin's settings (GainEQ): each band and the sum
          --spectrum FILE.png  draw the averaged input and output spectra (dBFS) of the render (.png or .svg)
          --help               this text

        With no arguments it renders the embedded default through our bundle and prints a summary.
        """;

    public string? PluginPath { get; private set; }
    public string? ClassName { get; private set; }
    public string? InputPath { get; private set; }
    public string? OutputPath { get; private set; }
    public List<(string Name, string Value)> Parameters { get; } = [];
    public int BlockSize { get; private set; } = 512;
    public int? SampleRate { get; private set; }
    public NPlug.Buffers.Wav.ResamplerQuality Resampler { get; private set; } = NPlug.Buffers.Wav.ResamplerQuality.Sinc;
    public string? SpectrumPath { get; private set; }
    public double LengthSeconds { get; private set; } = 3;
    public string? Notes { get; private set; }
    public bool Double { get; private set; }
    public bool List { get; private set; }
    public string? PlotPath { get; private set; }
    public bool Help { get; private set; }

    /// <summary>Only a plot was asked for: no render unless input, output or notes were given too.</summary>
    public bool PlotOnly => PlotPath != null && InputPath == null && OutputPath == null && Notes == null && SpectrumPath == null;

    public static RenderOptions Parse(IReadOnlyList<string> args)
    {
        var o = new RenderOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? inline = null;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 2 && arg[..eq] != "--param")
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inline != null) return inline;
                if (i + 1 >= args.Count) throw new OptionException($"{arg} needs a value.");
                return args[++i];
            }

            switch (arg)
            {
                case "--plugin": o.PluginPath = Value(); break;
                case "--class": o.ClassName = Value(); break;
                case "--in": o.InputPath = Value(); break;
                case "--out": o.OutputPath = Value(); break;
                case "--param":
                {
                    string v = Value();
                    int at = v.IndexOf('=');
                    if (at <= 0) throw new OptionException($"--param expects NAME=VALUE, got '{v}'.");
                    o.Parameters.Add((v[..at].Trim(), v[(at + 1)..].Trim()));
                    break;
                }
                case "--block":
                    o.BlockSize = ParseInt(arg, Value(), 1, 1 << 16);
                    break;
                case "--sample-rate":
                    o.SampleRate = ParseInt(arg, Value(), 1000, 768000);
                    break;
                case "--resampler":
                    o.Resampler = Value().ToLowerInvariant() switch
                    {
                        "sinc" => NPlug.Buffers.Wav.ResamplerQuality.Sinc,
                        "provider" => NPlug.Buffers.Wav.ResamplerQuality.Provider,
                        var other => throw new OptionException($"--resampler expects 'sinc' or 'provider', got '{other}'."),
                    };
                    break;
                case "--spectrum": o.SpectrumPath = Value(); break;
                case "--length":
                    o.LengthSeconds = ParseDouble(arg, Value(), 0.01, 3600);
                    break;
                case "--notes": o.Notes = Value(); break;
                case "--double": o.Double = true; break;
                case "--list": o.List = true; break;
                case "--plot": o.PlotPath = Value(); break;
                case "--help" or "-h" or "-?": o.Help = true; break;
                default: throw new OptionException($"Unknown option '{args[i]}'.");
            }
        }

        return o;
    }

    private static int ParseInt(string option, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new OptionException($"{option} expects an integer in {min}..{max}, got '{text}'.");
        return v;
    }

    private static double ParseDouble(string option, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v >= min && v <= max))
            throw new OptionException($"{option} expects a number in {min}..{max}, got '{text}'.");
        return v;
    }
}

/// <summary>A command-line mistake; the message is shown with the usage text.</summary>
public sealed class OptionException(string message) : Exception(message);
