using System.Text.Json;
using NPlug.Buffers.Plugin;
using NPlug.Buffers.Tests.Conformance;

namespace NPlug.Buffers.Tests.Model;

public class ModuleInfoTests
{
    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NPlug.Buffers.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>
    /// moduleinfo.json is generated at publish (src/Interop/build/NPlug.Buffers.Interop.targets runs src/ModuleInfo on
    /// the published binary); the generated file must list exactly what <see cref="PluginClasses"/> registers.
    /// </summary>
    [BundleFact]
    public void Generated_moduleinfo_json_lists_exactly_the_registered_classes()
    {
        string path = Path.Combine(PluginSources.BundlePath, "Contents", "Resources", "moduleinfo.json");
        Assert.True(File.Exists(path), $"no moduleinfo.json in the published bundle ({path})");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal("NPlug.Buffers", doc.RootElement.GetProperty("Name").GetString());
        Assert.Equal(PluginClasses.Version, doc.RootElement.GetProperty("Version").GetString());
        var factory = doc.RootElement.GetProperty("Factory Info");
        Assert.Equal(PluginClasses.Vendor, factory.GetProperty("Vendor").GetString());
        Assert.True(factory.GetProperty("Flags").GetProperty("Unicode").GetBoolean());
        var classes = doc.RootElement.GetProperty("Classes").EnumerateArray().ToList();
        var description = PluginClasses.CreateDescription();
        Assert.Equal(description.Classes.Count, classes.Count);
        foreach (var c in description.Classes)
        {
            // moduleinfo stores the class id as the 32 hex digits of l1..l4.
            string cid = c.ClassId.ToString("N").ToUpperInvariant();
            var entry = classes.Single(e => e.GetProperty("CID").GetString() == cid);
            Assert.Equal(c.Name, entry.GetProperty("Name").GetString());
            Assert.Equal(c.Category, entry.GetProperty("Category").GetString());
            string subs = string.Join("|", entry.GetProperty("Sub Categories").EnumerateArray().Select(s => s.GetString()));
            Assert.Equal(c.SubCategories, subs);
            Assert.Equal(c.Version, entry.GetProperty("Version").GetString());
            Assert.Equal(c.SdkVersion, entry.GetProperty("SDKVersion").GetString());
        }
    }
}
