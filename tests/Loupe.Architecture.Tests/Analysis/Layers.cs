using System.Reflection;

namespace Loupe.Architecture.Tests.Analysis;

/// <summary>
/// The assemblies under test. Domain and Application are reached through a type they must hold,
/// the others by name; <c>LayerGuardTests</c> checks each is the real one, so no rule can pass by
/// looking at the wrong assembly.
/// </summary>
internal static class Layers
{
    public static Assembly Domain { get; } = typeof(Loupe.Domain.Common.Entity).Assembly;

    public static Assembly Application { get; } = typeof(Loupe.Application.DependencyInjection).Assembly;

    public static Assembly Infrastructure { get; } = Assembly.Load("Loupe.Infrastructure");

    public static Assembly Api { get; } = Assembly.Load("Loupe.Api");

    public static Assembly Worker { get; } = Assembly.Load("Loupe.Worker");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ProjectFile(string projectName) =>
        Path.Combine(RepositoryRoot, "src", projectName, projectName + ".csproj");

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Loupe.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Loupe.sln above {AppContext.BaseDirectory}.");
    }
}
