using System.Diagnostics;
using System.Xml.Linq;
using NPlug.Buffers.Plugin;

namespace NPlug.Buffers.Tests.Conformance;

/// <summary>A real host's scanner — Ardour's ardour-vst3-scanner (Debian package <c>ardour</c>) — lists both classes with the right buses.</summary>
public sealed class ArdourScannerTests
{
    public const string Scanner = "/usr/lib/ardour7/ardour-vst3-scanner";

    public sealed class ScannerFactAttribute : FactAttribute
    {
        public ScannerFactAttribute()
        {
            if (!File.Exists(Scanner)) Skip = $"Ardour's scanner is not installed at {Scanner} (Debian package 'ardour').";
            else if (!PluginSources.BundleExists) Skip = PluginSources.BundleSkipReason;
        }
    }

    [ScannerFact]
    public void Ardour_scanner_lists_both_classes_with_their_buses()
    {
        // The scanner writes its cache under $HOME/.cache/ardour7; keep it in a scratch home.
        string home = Path.Combine(Path.GetTempPath(), "nplug-ardour-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            var psi = new ProcessStartInfo(Scanner) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-f");
            psi.ArgumentList.Add("-v");
            psi.ArgumentList.Add(PluginSources.BundlePath);
            psi.Environment["HOME"] = home;
            // The scanner's own libraries (libpbd, ...) live next to it rather than on the loader path.
            psi.Environment["LD_LIBRARY_PATH"] = Path.GetDirectoryName(Scanner)!;
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(120_000), "scanner timed out");
            string log = stdout + stderr.Result;
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{log}");

            // The scanner prints the cache it saved; read the per-class summary from it.
            int start = log.IndexOf("<VST3Cache", StringComparison.Ordinal);
            int end = log.IndexOf("</VST3Cache>", StringComparison.Ordinal);
            Assert.True(start >= 0 && end > start, log);
            var cache = XElement.Parse(log[start..(end + "</VST3Cache>".Length)]);
            var infos = cache.Elements("VST3Info").ToDictionary(e => (string)e.Attribute("name")!);
            Assert.Equal(2, infos.Count);

            var gain = infos[PluginClasses.GainEqName];
            Assert.Equal("Fx|EQ", (string?)gain.Attribute("category"));
            Assert.Equal("6B0E2F3A91C44D2BA7E13C5D9F10A201", (string?)gain.Attribute("uid"));
            Assert.Equal(2, (int)gain.Attribute("n_inputs")!);
            Assert.Equal(2, (int)gain.Attribute("n_outputs")!);
            Assert.Equal(2, (int)gain.Attribute("n_aux_inputs")!);
            Assert.Equal(0, (int)gain.Attribute("n_midi_inputs")!);

            var sampler = infos[PluginClasses.SamplerName];
            Assert.Equal("Instrument|Sampler", (string?)sampler.Attribute("category"));
            Assert.Equal(0, (int)sampler.Attribute("n_inputs")!);
            Assert.Equal(2, (int)sampler.Attribute("n_outputs")!);
            Assert.Equal(0, (int)sampler.Attribute("n_aux_inputs")!);
            Assert.Equal(1, (int)sampler.Attribute("n_midi_inputs")!);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
