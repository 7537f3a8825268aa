using Loupe.Application.Common.Connectors;

namespace Loupe.Benchmarks;

/// <summary>Keeps no row: what reading through a connector costs on its own.</summary>
internal sealed class DiscardingSink : IRowSink
{
    public static DiscardingSink Instance { get; } = new();

    public ValueTask ColumnsAsync(IReadOnlyList<QueryColumn> columns, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask RowAsync(object?[] row, CancellationToken ct) => ValueTask.CompletedTask;
}
