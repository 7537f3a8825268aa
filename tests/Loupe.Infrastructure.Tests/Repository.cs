namespace Loupe.Infrastructure.Tests;

/// <summary>The checked-out repository the tests were built from, for the files they read (migrations, docs, scripts).</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Loupe.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Loupe.sln not found above the test binaries.");
    }
}
