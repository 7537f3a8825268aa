using System.Diagnostics;
using System.Text;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>
/// A real <c>Loupe.Worker</c> process on a migrated database, with its default engine settings, for the
/// tests that signal or kill it. Its output is collected for a failing test's message.
/// </summary>
internal static class WorkerProcess
{
    public static Process Start(string appConnection, string ownerConnection, string nodeId, StringBuilder output, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string> { ["Jobs__NodeId"] = nodeId };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return LoupeProcess.Start("Loupe.Worker", appConnection, ownerConnection, output, environment);
    }
}
