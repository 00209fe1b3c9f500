using System.Reflection;
using NPlug.Buffers.Interop.Abi;

namespace NPlug.Buffers.Tests.Layering;

/// <summary>
/// Dependencies point down (docs/ARCHITECTURE.md): <c>src/Core</c> ← <c>src/Interop</c> (Abi ← Api ← Bridge) ←
/// <c>src/Plugin</c>, with the host shim <c>src/Hosting</c> beside the plugin. These tests fail when the ABI layer names
/// anything above it, when Core references Interop, Hosting or the plugin, when Interop references Hosting, when the
/// host shim uses the plugin-side API, or when the plugin references the host shim.
/// </summary>
public sealed class LayerTests
{
    private static readonly string Root = LayerRules.RepoRoot();

    private static Assembly CoreAssembly => typeof(global::NPlug.Buffers.AudioBlock<float>).Assembly;

    private static Assembly InteropAssembly => typeof(TResult).Assembly;

    [Fact]
    public void Abi_sources_name_nothing_above_the_abi()
    {
        string abi = Path.Combine(Root, "src", "Interop", "Abi");
        var files = LayerRules.SourceFiles(abi).ToList();
        Assert.True(files.Count >= 15, $"expected the ABI sources under {abi}, found {files.Count}");

        var violations = files
            .SelectMany(f => LayerRules.FindReferences(File.ReadAllText(f), LayerRules.AbiNamespace, LayerRules.AboveAbi)
                .Select(hit => $"{Path.GetRelativePath(Root, f)}:{hit}"))
            .ToList();
        Assert.True(violations.Count == 0, "src/Interop/Abi must not import layers above it:\n" + string.Join('\n', violations));
    }

    [Theory]
    [InlineData("Api", "NPlug.Buffers.Interop.Api", new[] { "NPlug.Buffers.Interop.Framework", "NPlug.Buffers.Interop.Bridge", "NPlug.Buffers.Hosting", "NPlug.Buffers.Plugin" })]
    [InlineData("Framework", "NPlug.Buffers.Interop.Framework", new[] { "NPlug.Buffers.Interop.Bridge", "NPlug.Buffers.Hosting", "NPlug.Buffers.Plugin" })]
    public void Authoring_layers_name_nothing_above_them(string folder, string ns, string[] above)
    {
        string dir = Path.Combine(Root, "src", "Interop", folder);
        var files = LayerRules.SourceFiles(dir).ToList();
        Assert.True(files.Count >= 5, $"expected sources under {dir}, found {files.Count}");
        var violations = files
            .SelectMany(f => LayerRules.FindReferences(File.ReadAllText(f), ns, above).Select(hit => $"{Path.GetRelativePath(Root, f)}:{hit}"))
            .ToList();
        Assert.True(violations.Count == 0, $"src/Interop/{folder} must not import layers above it:\n" + string.Join('\n', violations));
        var hits = LayerRules.ForbiddenSignatureTypes(InteropAssembly, ns, above);
        Assert.True(hits.Count == 0, string.Join('\n', hits));
    }

    [Fact]
    public void No_global_using_brings_upper_layers_into_the_interop_project()
    {
        // A `global using NPlug.Buffers.Interop.Api;` anywhere in the project would reach every ABI file unseen.
        string interop = Path.Combine(Root, "src", "Interop");
        var violations = LayerRules.SourceFiles(interop)
            .SelectMany(f => File.ReadLines(f).Select((line, n) => (f, n, line)))
            .Where(x => x.line.TrimStart().StartsWith("global using", StringComparison.Ordinal)
                        && LayerRules.AboveAbi.Any(ns => x.line.Contains(ns, StringComparison.Ordinal)))
            .Select(x => $"{Path.GetRelativePath(Root, x.f)}:{x.n + 1}: {x.line.Trim()}")
            .ToList();
        string csproj = File.ReadAllText(Path.Combine(interop, "NPlug.Buffers.Interop.csproj"));
        violations.AddRange(LayerRules.AboveAbi.Where(ns => csproj.Contains($"<Using Include=\"{ns}", StringComparison.Ordinal)));
        Assert.Empty(violations);
    }

    [Fact]
    public void Compiled_abi_types_use_nothing_above_the_abi_in_their_signatures()
    {
        var hits = LayerRules.ForbiddenSignatureTypes(InteropAssembly, LayerRules.AbiNamespace, LayerRules.AboveAbi);
        Assert.True(hits.Count == 0, string.Join('\n', hits));
        // The scan sees the ABI types at all (a wrong namespace would make it pass vacuously).
        Assert.Contains(InteropAssembly.GetTypes(), t => t.Namespace == "NPlug.Buffers.Interop.Abi" && t.Name == nameof(ComObject));
    }

    [Fact]
    public void Core_references_no_interop_hosting_or_plugin_assembly()
    {
        Assert.Equal("NPlug.Buffers.Core", CoreAssembly.GetName().Name);
        Assert.Empty(LayerRules.ForbiddenReferences(CoreAssembly, LayerRules.AboveCoreAssemblies));

        var references = LayerRules.ProjectReferences(Path.Combine(Root, "src", "Core", "NPlug.Buffers.Core.csproj"));
        Assert.DoesNotContain(references, r => r.Contains("Interop", StringComparison.OrdinalIgnoreCase)
                                               || r.Contains("Hosting", StringComparison.OrdinalIgnoreCase)
                                               || r.Contains("Plugin", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Interop_references_neither_hosting_nor_the_plugin()
    {
        Assert.Equal("NPlug.Buffers.Interop", InteropAssembly.GetName().Name);
        Assert.Empty(LayerRules.ForbiddenReferences(InteropAssembly, ["NPlug.Buffers.Hosting", "NPlug.Buffers.Plugin", "NPlug.Buffers"]));

        var references = LayerRules.ProjectReferences(Path.Combine(Root, "src", "Interop", "NPlug.Buffers.Interop.csproj"));
        Assert.Equal(["../Core/NPlug.Buffers.Core.csproj"], references);
    }

    [Fact]
    public void Hosting_is_its_own_assembly_above_interop()
    {
        var hosting = typeof(global::NPlug.Buffers.Hosting.PluginModule).Assembly;
        Assert.Equal("NPlug.Buffers.Hosting", hosting.GetName().Name);
        Assert.Contains(hosting.GetReferencedAssemblies(), a => a.Name == "NPlug.Buffers.Interop");
        Assert.DoesNotContain(InteropAssembly.GetTypes(), t => t.Namespace?.Contains("Hosting", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Hosting_sources_drive_plugins_through_the_abi_only()
    {
        // The host shim sees a plugin as any DAW does: through native pointers, never through the plugin-side API.
        string hosting = Path.Combine(Root, "src", "Hosting");
        string[] forbidden = ["NPlug.Buffers.Interop.Api", "NPlug.Buffers.Interop.Bridge", "NPlug.Buffers.Interop.Framework", "NPlug.Buffers.Plugin"];
        var files = LayerRules.SourceFiles(hosting).ToList();
        Assert.NotEmpty(files);
        var violations = files
            .SelectMany(f => LayerRules.FindReferences(File.ReadAllText(f), "NPlug.Buffers.Hosting", forbidden)
                .Select(hit => $"{Path.GetRelativePath(Root, f)}:{hit}"))
            .ToList();
        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Fact]
    public void The_plugin_does_not_reference_the_host_shim()
    {
        var references = LayerRules.ProjectReferences(Path.Combine(Root, "src", "Plugin", "NPlug.Buffers.Plugin.csproj"));
        Assert.DoesNotContain(references, r => r.Contains("Hosting", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(references, r => r.EndsWith("NPlug.Buffers.Interop.csproj", StringComparison.Ordinal));
    }

    // ---- the detection itself: each of these must be reported, or the tests above prove nothing ----------

    [Theory]
    [InlineData("using NPlug.Buffers.Interop.Api;")]
    [InlineData("using static NPlug.Buffers.Interop.Bridge.PluginExports;")]
    [InlineData("using Processor = NPlug.Buffers.Interop.Api.AudioProcessor;")]
    [InlineData("global using NPlug.Buffers.Hosting;")]
    [InlineData("class A { NPlug.Buffers.Interop.Api.AudioProcessor? p; }")]
    [InlineData("class A { global::NPlug.Buffers.Plugin.PluginClasses? p; }")]
    [InlineData("class A { Api.AudioProcessor? p; }")]                       // partially qualified from ...Interop.Abi
    [InlineData("class A { Interop.Bridge.ComponentObject? p; }")]
    [InlineData("class A { Framework.Something? p; }")]
    [InlineData("class A { Hosting.PluginModule? m; }")]                       // resolves through NPlug.Buffers
    [InlineData("class A { Buffers.Plugin.PluginClasses? p; }")]
    [InlineData("class A { object o = typeof(Api . EditController); }")]
    [InlineData("/// <see cref=\"Api.AudioProcessor\"/>\nclass A { }")]
    [InlineData("/// <see cref=\"NPlug.Buffers.Interop.Bridge\"/>\nclass A { }")]
    public void Detection_reports_every_form_of_reference(string sample)
    {
        string source = "namespace NPlug.Buffers.Interop.Abi;\n" + sample + "\n";
        Assert.NotEmpty(LayerRules.FindReferences(source, LayerRules.AbiNamespace, LayerRules.AboveAbi));
    }

    [Fact]
    public void Detection_ignores_prose_strings_and_lookalikes()
    {
        const string source = """"
            using System.Runtime.InteropServices;
            using NPlug.Buffers.Interop.Abi.Com;
            namespace NPlug.Buffers.Interop.Abi;
            // Api.AudioProcessor and NPlug.Buffers.Hosting are mentioned in a comment only.
            /* using NPlug.Buffers.Interop.Bridge; */
            /// <summary>Used by <c>Api.AudioProcessor</c>; see <see cref="IPluginBaseVtbl"/>.</summary>
            public struct IPluginBaseVtbl { public int Plugin; }
            static class S
            {
                const string A = "NPlug.Buffers.Interop.Api.AudioProcessor";
                const string B = @"Hosting.PluginModule ""quoted""";
                const char C = '"';
                static int Api => 0;
                static int F(IPluginBaseVtbl v) => v.Plugin + Api + MyApi.X + A.Length;
                static class MyApi { public const int X = 1; }
            }
            """";
        var hits = LayerRules.FindReferences(source, LayerRules.AbiNamespace, LayerRules.AboveAbi);
        Assert.True(hits.Count == 0, string.Join('\n', hits));
    }

    [Fact]
    public void Detection_gives_the_line_of_each_reference()
    {
        const string source = "namespace NPlug.Buffers.Interop.Abi;\n\n// fine\nclass A { Api.AudioProcessor? p; }\n";
        var hit = Assert.Single(LayerRules.FindReferences(source, LayerRules.AbiNamespace, LayerRules.AboveAbi));
        Assert.StartsWith("4: Api", hit);
    }
}
