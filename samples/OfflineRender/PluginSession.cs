using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Hosting;

namespace OfflineRender;

/// <summary>Finding the bundle and class, and applying <c>--param</c> through the plugin's own value strings.</summary>
public static class PluginSession
{
    public static string ResolveBundle(string? requested)
    {
        string path = requested
            ?? (Environment.GetEnvironmentVariable("NPLUG_BUFFERS_BUNDLE") is { Length: > 0 } env ? env : null)
            ?? Path.Combine(RepoPaths.Root, "artifacts", "NPlug.Buffers.vst3");
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            throw new FileNotFoundException(requested != null
                ? $"No VST3 bundle at '{path}'."
                : $"No VST3 bundle at '{path}'. Build ours with ./build.sh bundle (or run ./build.sh render), or pass --plugin <bundle>.");
        }

        return Path.GetFullPath(path);
    }

    public static PluginClassInfo ResolveClass(PluginModule module, string? name)
    {
        var processors = module.ProcessorClasses.ToList();
        if (processors.Count == 0) throw new InvalidOperationException("The bundle's factory offers no audio processor class.");
        if (name == null) return processors[0];
        var match = processors.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? processors.FirstOrDefault(c => string.Equals(c.ClassIdString, name.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));
        return match ?? throw new OptionException(
            $"No processor class '{name}'. Available: {string.Join(", ", processors.Select(c => $"'{c.Name}'"))}.");
    }

    /// <summary>
    /// Resolves each NAME=VALUE against the controller: NAME is a title, short title or numeric id; VALUE goes through
    /// <c>getParamValueByString</c> (so "−6", "-6 dB", "Peaking" work as the plugin prints them), falling back to
    /// <c>plainParamToNormalized</c> for a bare number. Returns (id, normalized, shown text) per assignment.
    /// </summary>
    public static List<(ParameterDescription Parameter, double Normalized, string Shown)> ResolveParameters(
        HostedPlugin plugin, IReadOnlyList<(string Name, string Value)> assignments)
    {
        var result = new List<(ParameterDescription, double, string)>();
        if (assignments.Count == 0) return result;
        if (!plugin.HasController) throw new OptionException("--param needs a plugin with an edit controller; this one has none.");
        var parameters = plugin.GetParameters();
        foreach (var (name, value) in assignments)
        {
            var p = parameters.FirstOrDefault(x => string.Equals(x.Title, name, StringComparison.OrdinalIgnoreCase))
                ?? parameters.FirstOrDefault(x => string.Equals(x.ShortTitle, name, StringComparison.OrdinalIgnoreCase))
                ?? (uint.TryParse(name, out uint id) ? parameters.FirstOrDefault(x => x.Id == id) : null)
                ?? throw new OptionException($"No parameter '{name}'. Use --list to see the parameters.");
            if (p.IsReadOnly) throw new OptionException($"Parameter '{p.Title}' is read-only.");

            double? normalized = plugin.StringToValue(p.Id, value);
            if (normalized == null && double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double plain))
                normalized = plugin.PlainToNormalized(p.Id, plain);
            if (normalized is not { } n || !double.IsFinite(n))
                throw new OptionException($"The plugin cannot parse '{value}' for '{p.Title}'.");
            n = Math.Clamp(n, 0, 1);
            plugin.SetParamNormalized(p.Id, n);
            string shown = plugin.ValueToString(p.Id, n) ?? value;
            // Some plugins print the unit themselves ("-6.0 dB"), others leave it to the host.
            if (p.Units.Length > 0 && !shown.EndsWith(p.Units, StringComparison.OrdinalIgnoreCase)) shown = $"{shown} {p.Units}";
            result.Add((p, n, shown));
        }

        return result;
    }
}

/// <summary>Locates the repository (for default paths) from the working directory or the program's location.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find(Directory.GetCurrentDirectory()) ?? Find(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NPlug.Buffers.sln"))) return dir.FullName;
        return null;
    }
}

/// <summary>Bus facts the renderer needs, read once after bus activation.</summary>
public sealed record PluginBuses(IReadOnlyList<BusDescription> AudioIn, IReadOnlyList<BusDescription> AudioOut, IReadOnlyList<BusDescription> EventIn)
{
    public static PluginBuses Read(HostedPlugin plugin) => new(
        plugin.GetBuses(MediaTypes.Audio, BusDirections.Input),
        plugin.GetBuses(MediaTypes.Audio, BusDirections.Output),
        plugin.GetBuses(MediaTypes.Event, BusDirections.Input));

    public int MainInputChannels => AudioIn.Count > 0 ? AudioIn[0].ChannelCount : 0;

    public int MainOutputChannels => AudioOut.Count > 0 ? AudioOut[0].ChannelCount : 0;

    /// <summary>No audio input channels but an output: it makes sound from events.</summary>
    public bool IsInstrument => MainInputChannels == 0 && MainOutputChannels > 0;
}
