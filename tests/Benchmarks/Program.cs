using BenchmarkDotNet.Running;
using NPlug.Buffers.Benchmarks.Plugin;

if (args.Length > 0 && args[0] is "--rt-probe" or "--rt-probe-child") return RealTimeProbe.Run(args);
if (args.Length > 0 && args[0] == "--spin") return Spin.Run(args);

// The plugin-level benchmarks load published bundles: build what is missing here, once, before any benchmark process
// starts (a build that fails ends the run with exit code 1 and its log).
bool plugins = args.Length == 0 || args.Any(a => a.Contains("Plugin", StringComparison.OrdinalIgnoreCase) || a == "*" || a.Contains("'*'"));
if (plugins) PluginBundles.EnsureBuilt();

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
// A benchmark that throws (e.g. a missing bundle) or fails validation must fail the run, not just print an error.
bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
if (failed) Console.Error.WriteLine("// One or more benchmarks failed (see above).");
return failed ? 1 : 0;
