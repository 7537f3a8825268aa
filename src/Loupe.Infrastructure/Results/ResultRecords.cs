using Loupe.Domain.Common;

namespace Loupe.Infrastructure.Results;

/// <summary>The summary row of one attempt's stored result (table <c>run_results</c>).</summary>
internal sealed class RunResultRecord : ITenantOwned
{
    public Guid RunId { get; set; }

    public int Attempt { get; set; }

    public Guid OrganizationId { get; set; }

    /// <summary>The columns as JSON: <c>[{"name":…,"type":…}]</c>.</summary>
    public string Columns { get; set; } = "[]";

    public long RowCount { get; set; }

    public bool Truncated { get; set; }

    public int ChunkCount { get; set; }

    public long StoredBytes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One compressed chunk of rows of one attempt's result (table <c>run_result_chunks</c>).</summary>
internal sealed class RunResultChunkRecord : ITenantOwned
{
    public Guid RunId { get; set; }

    public int Attempt { get; set; }

    public int ChunkNumber { get; set; }

    public Guid OrganizationId { get; set; }

    /// <summary>The row number (from 0) of the chunk's first row.</summary>
    public long FirstRow { get; set; }

    public int RowCount { get; set; }

    public byte[] Data { get; set; } = [];
}
