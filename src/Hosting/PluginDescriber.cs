using System.Globalization;
using System.Text;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Hosting;

/// <summary>
/// A plain-text listing of a bundle: factory, classes, and for every processor class its buses (direction, media
/// type, channels, main/aux, default active) and parameters (id, title, units, default, flags). Used by
/// <c>OfflineRender --list</c>.
/// </summary>
public static class PluginDescriber
{
    /// <summary>Loads the bundle, describes it, and unloads it.</summary>
    public static string Describe(string bundlePath)
    {
        using var module = PluginModule.Load(bundlePath);
        return Describe(module);
    }

    public static string Describe(PluginModule module)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"Module: {module.BinaryPath ?? "(in-process factory)"}");
        var f = module.FactoryInfo;
        sb.AppendLine(inv, $"Factory: vendor '{f.Vendor}', url '{f.Url}', email '{f.Email}', flags 0x{f.Flags:X}, IPluginFactory{(module.FactoryVersion > 1 ? module.FactoryVersion.ToString(inv) : "")}");
        sb.AppendLine(inv, $"Classes ({module.Classes.Count}):");
        foreach (var c in module.Classes)
        {
            sb.AppendLine(inv, $"  [{c.Index}] {c.Name}  cid {c.ClassIdString}");
            sb.AppendLine(inv, $"      category '{c.Category}', subcategories '{c.SubCategories}', vendor '{c.Vendor}', version '{c.Version}', sdk '{c.SdkVersion}', flags 0x{c.ClassFlags:X}");
        }
        foreach (var c in module.ProcessorClasses)
        {
            sb.AppendLine();
            sb.AppendLine(inv, $"Processor '{c.Name}':");
            try
            {
                using var plugin = module.CreatePlugin(c);
                DescribeInstance(plugin, sb);
            }
            catch (Exception e)
            {
                sb.AppendLine(inv, $"  could not instantiate: {e.Message}");
            }
        }
        return sb.ToString();
    }

    private static void DescribeInstance(HostedPlugin plugin, StringBuilder sb)
    {
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine(inv, $"  controller: {(plugin.HasController ? plugin.IsSingleComponent ? "single component" : "separate, connected through host proxies" : "none")}");
        sb.AppendLine(inv, $"  latency {plugin.LatencySamples} samples, tail {TailText(plugin.TailSamples)}, 64-bit {(plugin.CanProcessSampleSize(SymbolicSampleSizes.Sample64) == TResult.ResultOk ? "yes" : "no")}");
        sb.AppendLine("  Buses:");
        int total = 0;
        for (int dir = 0; dir <= 1; dir++)
            for (int media = 0; media < MediaTypes.NumMediaTypes; media++)
                foreach (var b in plugin.GetBuses(media, dir))
                {
                    total++;
                    string arrangement = "";
                    if (b.IsAudio && plugin.GetBusArrangement(dir, b.Index, out ulong arr) == TResult.ResultOk)
                        arrangement = $", arrangement 0x{arr:X}";
                    sb.AppendLine(inv,
                        $"    {(dir == BusDirections.Input ? "in " : "out")} {(b.IsAudio ? "audio" : "event")} #{b.Index} '{b.Name}': {b.ChannelCount} ch, {(b.IsMain ? "main" : "aux")}{(b.IsDefaultActive ? ", default active" : "")}{arrangement}");
                }
        if (total == 0) sb.AppendLine("    (none)");
        var parameters = plugin.GetParameters();
        sb.AppendLine(inv, $"  Parameters ({parameters.Count}):");
        foreach (var p in parameters)
        {
            string plain = plugin.NormalizedToPlain(p.Id, p.DefaultNormalized).ToString("0.####", inv);
            string text = plugin.ValueToString(p.Id, p.DefaultNormalized) ?? "?";
            sb.AppendLine(inv,
                $"    id {p.Id,-10} '{p.Title}' units '{p.Units}' default {p.DefaultNormalized.ToString("0.####", inv)} (plain {plain}, \"{text}\"), steps {p.StepCount}, unit {p.UnitId}, flags {p.FlagNames}");
        }
    }

    private static string TailText(uint tail) => tail switch
    {
        TailSamples.NoTail => "none",
        TailSamples.InfiniteTail => "infinite",
        _ => tail + " samples",
    };
}
