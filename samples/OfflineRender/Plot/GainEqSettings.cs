using System.Globalization;
using NPlug.Buffers.Dsp;
using NPlug.Buffers.Hosting;

namespace OfflineRender.Plot;

/// <summary>
/// Reads GainEQ's band settings out of a hosted plugin through its own controller (titles "Band N Type",
/// "Band N Frequency", "Band N Gain", "Band N Q", "Band N On" and "Output Gain"; plain values via
/// <c>normalizedParamToPlain</c>, the type via its value string), so the plot shows what the plugin is set to.
/// </summary>
public static class GainEqSettings
{
    public static bool LooksLikeGainEq(IReadOnlyList<ParameterDescription> parameters) =>
        parameters.Any(p => p.Title == "Band 1 Frequency") && parameters.Any(p => p.Title == "Band 1 Type");

    public static (List<EqBand> Bands, double OutputGainDb) Read(HostedPlugin plugin)
    {
        var byTitle = plugin.GetParameters().ToDictionary(p => p.Title, StringComparer.Ordinal);
        if (!LooksLikeGainEq(byTitle.Values.ToList()))
            throw new InvalidOperationException("The plugin has no GainEQ band parameters ('Band 1 Frequency', 'Band 1 Type'); --plot needs GainEQ.");

        double Plain(ParameterDescription p) => plugin.NormalizedToPlain(p.Id, plugin.GetParamNormalized(p.Id));

        var bands = new List<EqBand>();
        for (int n = 1; byTitle.ContainsKey($"Band {n} Frequency"); n++)
        {
            var typeParam = byTitle[$"Band {n} Type"];
            string typeText = plugin.ValueToString(typeParam.Id, plugin.GetParamNormalized(typeParam.Id)) ?? "";
            if (!Enum.TryParse(typeText.Replace(" ", "", StringComparison.Ordinal), ignoreCase: true, out FilterType type))
                throw new InvalidOperationException($"Band {n} type '{typeText}' is not a known filter type.");
            bands.Add(new EqBand(
                type,
                Plain(byTitle[$"Band {n} Frequency"]),
                byTitle.TryGetValue($"Band {n} Gain", out var gain) ? Plain(gain) : 0,
                byTitle.TryGetValue($"Band {n} Q", out var q) ? Plain(q) : 0.7071,
                !byTitle.TryGetValue($"Band {n} On", out var on) || Plain(on) >= 0.5));
        }

        double output = byTitle.TryGetValue("Output Gain", out var outputGain) ? Plain(outputGain) : 0;
        return (bands, output);
    }

    public static string Describe(IReadOnlyList<EqBand> bands, double outputGainDb) =>
        string.Join(", ", bands.Where(b => b.Enabled).Select(b => b.ToString()))
        + (outputGainDb != 0 ? string.Create(CultureInfo.InvariantCulture, $", output {outputGainDb:+0.#;-0.#} dB") : "");
}
