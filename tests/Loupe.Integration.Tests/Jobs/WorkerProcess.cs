using System.Diagnostics;
using System.Text;
using Loupe.Infrastructure.Tests;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>
/// A real <c>Loupe.Worker</c> process (the one built beside these tests, as <c>build/test.sh</c> builds
/// the whole solution) on a migrated database, with its default engine settings, for the tests that
/// signal or kill it. Its output is collected for a failing test's message.
/// </summary>
internal static class WorkerProcess
{
    public static Process Start(string appConnection, string ownerConnection, string nodeId, StringBuilder output, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = WorkerDll();
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Loupe"] = appConnection;
        start.Environment["ConnectionStrings__LoupeOwner"] = ownerConnection;
        start.Environment["Database__MigrateOnStartup"] = "false";
        start.Environment["Auth__SigningKey"] = LoupeApiFactory.TestSigningKey;
        start.Environment["Secrets__ActiveKeyId"] = LoupeApiFactory.TestSecretsKeyId;
        start.Environment[$"Secrets__Keys__{LoupeApiFactory.TestSecretsKeyId}"] = LoupeApiFactory.TestSecretsKey;
        start.Environment["Jobs__NodeId"] = nodeId;
        foreach (var (key, value) in TestDataSourceHosts.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string WorkerDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(Repository.Root, "src", "Loupe.Worker", "bin", configuration, "net10.0", "Loupe.Worker.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"Build the solution first: {dll} is missing.", dll);
    }
}
