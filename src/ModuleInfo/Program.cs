using System.Text;
using System.Text.Json;
using NPlug.Buffers.Hosting;

// nplug-moduleinfo <bundle.vst3 | binary> <moduleinfo.json> [--name <module name>] [--version <module version>]
// Loads the module through the host shim (ModuleEntry, GetPluginFactory, class infos, ModuleExit) and writes the
// VST3 SDK's moduleinfo.json: Name, Version, Factory Info {Vendor, URL, E-Mail, Flags}, Compatibility, Classes.
if (args.Length < 2 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: NPlug.Buffers.ModuleInfo <bundle.vst3|binary> <moduleinfo.json> [--name <module>] [--version <x.y.z>]");
    return 2;
}
string source = args[0], output = args[1];
string? name = null, version = null;
for (int i = 2; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--name") name = args[i + 1];
    else if (args[i] == "--version") version = args[i + 1];
    else { Console.Error.WriteLine($"unknown option {args[i]}"); return 2; }
}

try
{
    using var module = PluginModule.Load(source);
    name ??= BundleLayout.BundleStem(Directory.Exists(source) ? source : Path.GetFileNameWithoutExtension(source));
    version = string.IsNullOrEmpty(version) ? module.Classes.FirstOrDefault(c => c.IsAudioProcessor)?.Version ?? "1.0.0" : version;
    var json = NPlug.Buffers.ModuleInfo.ModuleInfoWriter.Write(module, name, version);
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    File.WriteAllText(output, json, new UTF8Encoding(false));
    Console.WriteLine($"moduleinfo.json: {module.Classes.Count} classes -> {output}");
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine($"error: cannot describe {source}: {e.Message}");
    return 1;
}

namespace NPlug.Buffers.ModuleInfo
{
    /// <summary>The SDK's moduleinfo.json (schema of VST 3.7.5+ <c>moduleinfo</c>) from a loaded module.</summary>
    public static class ModuleInfoWriter
    {
        // PFactoryInfo::FactoryFlags
        private const int ClassesDiscardable = 1 << 0, ComponentNonDiscardable = 1 << 3, Unicode = 1 << 4;

        public static string Write(PluginModule module, string name, string version)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                var f = module.FactoryInfo;
                w.WriteStartObject();
                w.WriteString("Name", name);
                w.WriteString("Version", version);
                w.WriteStartObject("Factory Info");
                w.WriteString("Vendor", f.Vendor);
                w.WriteString("URL", f.Url);
                w.WriteString("E-Mail", f.Email);
                w.WriteStartObject("Flags");
                w.WriteBoolean("Unicode", (f.Flags & Unicode) != 0);
                w.WriteBoolean("Classes Discardable", (f.Flags & ClassesDiscardable) != 0);
                w.WriteBoolean("Component Non Discardable", (f.Flags & ComponentNonDiscardable) != 0);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteStartArray("Compatibility");
                w.WriteEndArray();
                w.WriteStartArray("Classes");
                foreach (var c in module.Classes)
                {
                    w.WriteStartObject();
                    w.WriteString("CID", c.ClassIdString);
                    w.WriteString("Category", c.Category);
                    w.WriteString("Name", c.Name);
                    w.WriteString("Vendor", c.Vendor);
                    w.WriteString("Version", c.Version);
                    w.WriteString("SDKVersion", c.SdkVersion);
                    w.WriteStartArray("Sub Categories");
                    foreach (var s in c.SubCategories.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        w.WriteStringValue(s);
                    w.WriteEndArray();
                    w.WriteNumber("Class Flags", c.ClassFlags);
                    w.WriteNumber("Cardinality", c.Cardinality);
                    w.WriteStartArray("Snapshots");
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
        }
    }
}
