namespace NPlug.Buffers.Tests;

/// <summary>Finding external tools for tests that skip, with the reason, when one is missing. Linked into each test project.</summary>
internal static class ToolPaths
{
    /// <summary>The full path of an executable on PATH (on Windows also NAME.exe), or null.</summary>
    public static string? FindOnPath(string name)
    {
        string[] names = OperatingSystem.IsWindows() && !name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? [name, name + ".exe"] : [name];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length == 0) continue;
            foreach (var n in names)
            {
                var candidate = Path.Combine(dir, n);
                if (File.Exists(candidate)) return candidate;
            }
        }

        return null;
    }
}
