using Loupe.Application.Common.Connectors;

namespace Loupe.Integration.Tests.Connectors;

/// <summary>A sink that fails as Loupe's result store could: at the columns, or at a given row.</summary>
internal sealed class FailingSink(Exception failure, int failAtRow) : IRowSink
{
    /// <summary>Fail at the columns rather than at a row.</summary>
    public const int AtColumns = 0;

    private int _rows;

    public ValueTask ColumnsAsync(IReadOnlyList<QueryColumn> columns, CancellationToken ct) =>
        failAtRow == AtColumns ? throw failure : ValueTask.CompletedTask;

    public ValueTask RowAsync(object?[] row, CancellationToken ct) =>
        ++_rows == failAtRow ? throw failure : ValueTask.CompletedTask;

    /// <summary>Failures of Loupe's own database: a server error, a broken connection, a bug.</summary>
    public static TheoryData<string, int> Cases() => new()
    {
        { "postgres", AtColumns },
        { "postgres", 3 },
        { "network", 700 },
        { "bug", 1 },
    };

    public static Exception Failure(string kind) => kind switch
    {
        "postgres" => new Npgsql.PostgresException("permission denied for table run_result_chunks", "ERROR", "ERROR", "42501"),
        "network" => new Npgsql.NpgsqlException("Exception while writing to stream", new IOException("Connection reset")),
        _ => new InvalidOperationException("the result writer is completed"),
    };
}
