using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using NPlug.Buffers.Hosting;
using NPlug.Buffers.Hosting.Conformance;
using NPlug.Buffers.Interop.Abi;
using NPlug.Buffers.Tests.Conformance;

namespace NPlug.Buffers.Tests.Templates;

/// <summary>
/// The way a .NET developer starts a plugin, end to end: install NPlug.Buffers.Templates from artifacts/packages
/// (./build.sh test packs first), `dotnet new nplug-effect` and `dotnet new nplug-instrument` in a temporary folder,
/// `dotnet publish -c Release -r linux-x64` of each against the local packages, then load each &lt;Name&gt;.vst3 from
/// the publish folder through the host shim and run the plain validator suite and the hostile modes at 32/64 bits.
/// </summary>
/// <remarks>
/// Isolation: a custom template hive (the user's templates are untouched) and a temporary NuGet config whose sources
/// are the local folder feed plus the machine's configured sources, with a fresh global-packages folder (so the
/// packages just packed are used, never an older copy with the same version) and, as a read-only fallback, links to
/// every package of the machine's global-packages folder except NPlug.Buffers.* (so the NativeAOT compiler and the
/// rest are not downloaded again). Skipped, with the reason, where it cannot run: not linux-x64, no packages, or a
/// package source that cannot be reached.
/// </remarks>
public sealed class TemplateTests(TemplateProjects projects) : IClassFixture<TemplateProjects>
{
    [SkippableTheory]
    [InlineData("nplug-effect", "TplEffect")]
    [InlineData("nplug-instrument", "TplSynth")]
    public void A_project_from_the_template_publishes_a_bundle_that_passes_the_plain_suite_and_the_hostile_modes(string template, string name)
    {
        string bundle = projects.BundleFor(template, name);
        Assert.True(File.Exists(Path.Combine(bundle, "Contents", "Resources", "moduleinfo.json")), "moduleinfo.json was generated");
        string moduleInfo = File.ReadAllText(Path.Combine(bundle, "Contents", "Resources", "moduleinfo.json"));

        using var module = PluginModule.Load(bundle);
        var cls = module.ProcessorClasses.Single();
        Assert.Equal(name, cls.Name);
        Assert.Contains(cls.ClassIdString, moduleInfo, StringComparison.Ordinal);
        // Fresh class ids per instantiation, not the ids written in the template.
        Assert.DoesNotContain(cls.ClassIdString, new[] { "3F1E6B2A5C7D4E8F9A0B1C2D3E4F5A01", "7C4D2E1F8A9B4C0D8E1F2A3B4C5D6E01" });

        var results = ConformanceSuite.For(module, cls, extended: false).RunAll();
        Assert.NotEmpty(results);
        var failures = results.Where(r => !r.Passed).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        foreach (int size in new[] { SymbolicSampleSizes.Sample32, SymbolicSampleSizes.Sample64 })
        {
            using var plugin = module.CreatePlugin(cls);
            plugin.StartProcessing(48000, 1024, size);
            Assert.All(HostileModeRunner.Run(plugin, HostileModes.All), r => Assert.True(r.Passed, $"{size}: {r.Mode}: {r.Message}"));
            plugin.StopProcessing();
        }
    }
}

/// <summary>The temporary workspace, created once for the class: template hive, NuGet config, the published projects.</summary>
public sealed class TemplateProjects : IDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(20);
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _bundles = new();
    private string? _root;
    private string? _hive;
    private string? _skip;

    public static string PackagesDir =>
        Environment.GetEnvironmentVariable("NPLUG_BUFFERS_PACKAGES") is { Length: > 0 } env
            ? env
            : Path.Combine(PluginSources.RepoRoot, "artifacts", "packages");

    /// <summary>Creates, publishes (first call per template) and returns the bundle directory; skips with the reason where it cannot run.</summary>
    public string BundleFor(string template, string name)
    {
        lock (_gate)
        {
            EnsureWorkspace();
            Skip.If(_skip is not null, _skip);
            if (_bundles.TryGetValue(name, out var done)) return done;
            string project = Path.Combine(_root!, name);
            Run("dotnet", $"new {template} -n {name} -o \"{project}\" --debug:custom-hive \"{_hive}\"", _root!);
            var (code, log) = TryRun("dotnet", "publish -c Release -r linux-x64 -nologo", project);
            if (code != 0 && IsUnreachableSource(log))
                Skip.If(true, $"a package source cannot be reached, so the template project cannot be restored:\n{Tail(log)}");
            Assert.True(code == 0, $"dotnet publish of the {template} project failed ({code}):\n{log}");
            string bundle = Path.Combine(project, "bin", "Release", "net10.0", "linux-x64", "publish", name + ".vst3");
            Assert.True(Directory.Exists(bundle), $"no bundle at {bundle}:\n{log}");
            _bundles[name] = bundle;
            return bundle;
        }
    }

    private void EnsureWorkspace()
    {
        if (_root is not null || _skip is not null) return;
        if (!OperatingSystem.IsLinux() || RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            _skip = "the template test publishes for linux-x64 and runs only there";
            return;
        }
        var templates = Directory.Exists(PackagesDir) ? Directory.GetFiles(PackagesDir, "NPlug.Buffers.Templates.*.nupkg") : [];
        bool hasInterop = Directory.Exists(PackagesDir) && Directory.GetFiles(PackagesDir, "NPlug.Buffers.Interop.*.nupkg").Length > 0;
        if (templates.Length != 1 || !hasInterop)
        {
            _skip = $"no NPlug.Buffers.Templates/Interop packages (exactly one Templates package) in {PackagesDir}; run ./build.sh pack";
            return;
        }

        _root = Path.Combine(Path.GetTempPath(), "nplug-templates-" + Guid.NewGuid().ToString("N")[..8]);
        _hive = Path.Combine(_root, ".hive");
        string globalPackages = Path.Combine(_root, ".packages");
        string fallback = Path.Combine(_root, ".machine-packages");
        Directory.CreateDirectory(globalPackages);
        Directory.CreateDirectory(fallback);
        string? machine = MachineGlobalPackages();
        if (machine is not null && Directory.Exists(machine))
            foreach (var dir in Directory.GetDirectories(machine))
            {
                string id = Path.GetFileName(dir);
                if (!id.StartsWith("nplug.buffers", StringComparison.OrdinalIgnoreCase))
                    Directory.CreateSymbolicLink(Path.Combine(fallback, id), dir);
            }
        // Sources: the local feed added to the machine's own (NuGet merges this file with the user and machine configs).
        File.WriteAllText(Path.Combine(_root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{globalPackages}" />
              </config>
              <packageSources>
                <add key="nplug-buffers-local" value="{Path.GetFullPath(PackagesDir)}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="machine" value="{fallback}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        Run("dotnet", $"new install \"{templates[0]}\" --debug:custom-hive \"{_hive}\"", _root);
    }

    private static string? MachineGlobalPackages()
    {
        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env) return env;
        var (code, output) = TryRun("dotnet", "nuget locals global-packages --list", Path.GetTempPath());
        const string prefix = "global-packages:";
        var line = output.Split('\n').FirstOrDefault(l => l.Trim().StartsWith(prefix, StringComparison.Ordinal));
        return code == 0 && line is not null ? line.Trim()[prefix.Length..].Trim() : null;
    }

    private static bool IsUnreachableSource(string log) =>
        log.Contains("NU1301", StringComparison.Ordinal) || log.Contains("Unable to load the service index", StringComparison.Ordinal);

    private static string Tail(string log) => log.Length > 3000 ? log[^3000..] : log;

    private static void Run(string file, string arguments, string workingDirectory)
    {
        var (code, output) = TryRun(file, arguments, workingDirectory);
        Assert.True(code == 0, $"{file} {arguments} failed ({code}):\n{output}");
    }

    private static (int Code, string Output) TryRun(string file, string arguments, string workingDirectory)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(StepTimeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {StepTimeout}:\n{output}");
        }
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    public void Dispose()
    {
        // The native libraries stay mapped (a NativeAOT module cannot be unloaded); deleting the files is still fine on Linux.
        if (_root is null) return;
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
