namespace NPlug.Buffers.Tests.Hosting;

/// <summary>Locations shared by the hosting tests: the repository root and its artifacts directory.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Where test set-up builds native fixtures and published bundles (ignored by git).</summary>
    public static string ArtifactsTest => Path.Combine(RepoRoot, "artifacts", "test");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "NPlug.Buffers.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NPlug.Buffers.sln not found above " + AppContext.BaseDirectory);
    }
}
