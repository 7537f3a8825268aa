using System.Diagnostics;
using Npgsql;

namespace Loupe.Infrastructure.Telemetry;

/// <summary>
/// What Npgsql may put in a trace (ADR 0040). Npgsql records each command's SQL text as
/// <c>db.query.text</c>. Loupe's own commands keep their spans (timing, database, operation) only inside
/// a traced operation, so the engine's polls and heartbeats start no traces of their own, and without the
/// text unless the operator asks for it (<c>Database:TraceStatementText</c>). Users' commands against
/// their data sources make no span at all: their SQL, and the tables it names, never reach a trace.
/// </summary>
internal static class DatabaseTracing
{
    public const string QueryTextTag = "db.query.text";

    /// <summary>
    /// For Loupe's own pools; <paramref name="withText"/> keeps Npgsql's statement text on the spans, and
    /// <paramref name="everyCommand"/> traces commands outside a traced operation too.
    /// </summary>
    public static NpgsqlDataSourceBuilder TraceOwnCommands(this NpgsqlDataSourceBuilder builder, bool withText = false, bool everyCommand = false) =>
        builder.ConfigureTracing(tracing =>
        {
            // Inside a traced operation, or always when asked: the same answer for commands, batches and COPY.
            bool Traced() => everyCommand || Activity.Current is not null;
            tracing
                .ConfigureCommandFilter(_ => Traced())
                .ConfigureBatchFilter(_ => Traced())
                .ConfigureCopyOperationFilter(_ => Traced())
                .EnablePhysicalOpenTracing(false);
            if (!withText)
            {
                tracing
                    .ConfigureCommandEnrichmentCallback((activity, _) => activity.SetTag(QueryTextTag, null))
                    .ConfigureBatchEnrichmentCallback((activity, _) => activity.SetTag(QueryTextTag, null))
                    .ConfigureCopyOperationEnrichmentCallback((activity, _) => activity.SetTag(QueryTextTag, null));
            }
        });

    /// <summary>For the pools of users' data sources.</summary>
    public static NpgsqlDataSourceBuilder TraceNoCommands(this NpgsqlDataSourceBuilder builder) =>
        builder.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => false)
            .ConfigureBatchFilter(_ => false)
            .ConfigureCopyOperationFilter(_ => false)
            .EnablePhysicalOpenTracing(false));
}
