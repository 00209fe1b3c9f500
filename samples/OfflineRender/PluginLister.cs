using System.Globalization;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Interop.Hosting;
using Spectre.Console;

namespace OfflineRender;

/// <summary><c>--list</c>: classes, then buses and parameters of each audio processor class.</summary>
public static class PluginLister
{
    public static void Print(PluginModule module, string bundle, string? onlyClass)
    {
        var f = module.FactoryInfo;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(bundle)}[/]");
        AnsiConsole.MarkupLine($"Vendor: {Markup.Escape(f.Vendor)}  URL: {Markup.Escape(f.Url)}  factory v{module.FactoryVersion}  binary: {Markup.Escape(module.BinaryPath ?? "-")}");

        var classes = new Table().Title("Classes").AddColumns("#", "Name", "Category", "Sub-categories", "Class id", "Version", "SDK");
        foreach (var c in module.Classes)
            classes.AddRow(c.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Name), Markup.Escape(c.Category),
                Markup.Escape(c.SubCategories), c.ClassIdString, Markup.Escape(c.Version), Markup.Escape(c.SdkVersion));
        AnsiConsole.Write(classes);

        foreach (var cls in module.ProcessorClasses)
        {
            if (onlyClass != null && !ReferenceEquals(cls, PluginSession.ResolveClass(module, onlyClass))) continue;
            using var plugin = module.CreatePlugin(cls);
            AnsiConsole.WriteLine();
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(cls.Name)}[/] ({(plugin.IsSingleComponent ? "single component" : "component + controller")}, latency {plugin.LatencySamples} samples)");

            var buses = new Table().Title("Buses").AddColumns("Direction", "Media", "#", "Name", "Channels", "Type", "Default active");
            for (int media = 0; media < MediaTypes.NumMediaTypes; media++)
                for (int dir = 0; dir <= 1; dir++)
                    foreach (var b in plugin.GetBuses(media, dir))
                        buses.AddRow(dir == BusDirections.Input ? "in" : "out", media == MediaTypes.Audio ? "audio" : "event",
                            b.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(b.Name),
                            b.ChannelCount.ToString(CultureInfo.InvariantCulture), b.IsMain ? "main" : "aux", b.IsDefaultActive ? "yes" : "no");
            AnsiConsole.Write(buses);

            if (!plugin.HasController)
            {
                AnsiConsole.MarkupLine("(no edit controller: no parameters)");
                continue;
            }

            var parameters = new Table().Title("Parameters (set with --param \"Title=value\")")
                .AddColumns("Id", "Title", "Units", "Default", "Range", "Steps", "Flags");
            foreach (var p in plugin.GetParameters())
            {
                string Shown(double normalized) => plugin.ValueToString(p.Id, normalized) ?? normalized.ToString("0.###", CultureInfo.InvariantCulture);
                parameters.AddRow(p.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(p.Title), Markup.Escape(p.Units),
                    Markup.Escape(Shown(p.DefaultNormalized)), Markup.Escape($"{Shown(0)} .. {Shown(1)}"),
                    p.StepCount.ToString(CultureInfo.InvariantCulture), p.FlagNames);
            }

            AnsiConsole.Write(parameters);
        }
    }
}
