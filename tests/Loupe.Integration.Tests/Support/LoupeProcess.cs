using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Loupe.Infrastructure.Tests;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// A host of Loupe as its own process (the one built beside these tests, as <c>build/test.sh</c> builds
/// the whole solution), for what a host shares with every other host of a process and so cannot be
/// seen in one of many test hosts: signals, a kill, the process-wide meters. It runs in the Testing
/// environment on a migrated database, with the keys the in-process test hosts get; its output is
/// collected for a failing test's message.
/// </summary>
internal static class LoupeProcess
{
    /// <param name="project">The host's project: <c>Loupe.Api</c> or <c>Loupe.Worker</c>.</param>
    /// <param name="environment">More environment variables (<c>Section__Key</c>), winning over the defaults.</param>
    public static Process Start(string project, string appConnection, string ownerConnection, StringBuilder output, IReadOnlyDictionary<string, string> environment)
    {
        var dll = HostDll(project);
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ConnectionStrings__Loupe"] = appConnection;
        start.Environment["ConnectionStrings__LoupeOwner"] = ownerConnection;
        start.Environment["Database__MigrateOnStartup"] = "false";
        start.Environment["Auth__SigningKey"] = LoupeApiFactory.TestSigningKey;
        start.Environment["Secrets__ActiveKeyId"] = LoupeApiFactory.TestSecretsKeyId;
        start.Environment[$"Secrets__Keys__{LoupeApiFactory.TestSecretsKeyId}"] = LoupeApiFactory.TestSecretsKey;
        foreach (var (key, value) in TestDataSourceHosts.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in LoupeApiFactory.GenerousLimits)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start.");
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A loopback port free at the moment of asking, for a host to listen on.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string HostDll(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(Repository.Root, "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"Build the solution first: {dll} is missing.", dll);
    }
}
