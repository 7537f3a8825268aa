using System.Data;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Architecture.Tests.Samples.Hosts;

/// <summary>Broken: an "endpoint" that builds a DbContext itself, inside a lambda.</summary>
internal static class ReportsEndpoint
{
    public static Func<object> ContextFactory() => () => new DbContext(new DbContextOptionsBuilder().Options);
}

/// <summary>Broken: a host type that talks in ADO.NET terms.</summary>
internal sealed class ExportJob(IsolationLevel isolationLevel)
{
    public IsolationLevel IsolationLevel { get; } = isolationLevel;
}

/// <summary>Broken: SQL in a string literal, hidden in an async state machine.</summary>
internal static class DashboardsEndpoint
{
    public static async Task<string> CommandTextAsync()
    {
        await Task.Yield();
        return "select id, name from dashboards where organization_id = @organization";
    }
}

/// <summary>Broken: schema change in a constant.</summary>
internal static class SchemaEndpoint
{
    public const string Upgrade = "ALTER TABLE dashboards ADD COLUMN archived_at timestamptz";
}

/// <summary>Fine: prose that mentions SQL verbs is not SQL.</summary>
internal static class ProseEndpoint
{
    public static string Message() => "Update the title, then select a colour. Deleted dashboards stay in the bin.";
}
