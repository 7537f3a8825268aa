using Loupe.Application.Common.Exceptions;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Persistence;

namespace Loupe.Application.Tests.Common.Paging;

/// <summary>Runs queries with LINQ to objects, standing in for EF Core.</summary>
internal sealed class InMemoryQueryExecutor : IQueryExecutor
{
    public int Queries { get; private set; }

    public Task<List<T>> ToListAsync<T>(IQueryable<T> query, CancellationToken cancellationToken)
    {
        Queries++;
        return Task.FromResult(query.ToList());
    }

    public Task<int> CountAsync<T>(IQueryable<T> query, CancellationToken cancellationToken)
    {
        Queries++;
        return Task.FromResult(query.Count());
    }

    public Task<T?> FirstOrDefaultAsync<T>(IQueryable<T> query, CancellationToken cancellationToken)
    {
        Queries++;
        return Task.FromResult(query.FirstOrDefault());
    }
}

internal sealed record Row(
    Guid Id,
    string Name,
    string? Description,
    int Priority,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Guid OwnerId,
    string Status,
    string[] Tags);

internal static class PagingTestSupport
{
    public static SortWhitelist<Row> Sorts { get; } = SortWhitelist<Row>.For()
        .Field("name", r => r.Name)
        .Field("priority", r => r.Priority)
        .Field("created_at", r => r.CreatedAt)
        .Field("updated_at", r => r.UpdatedAt)
        .TieBreaker(r => r.Id)
        .Default("-updated_at");

    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Dictionary<string, string?> Query(params (string Name, string? Value)[] parameters) =>
        parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    public static Row NewRow(
        string name = "report",
        string? description = null,
        int priority = 0,
        int createdDay = 0,
        int updatedDay = 0,
        Guid? ownerId = null,
        string status = "active",
        string[]? tags = null) =>
        new(
            Guid.NewGuid(),
            name,
            description,
            priority,
            Epoch.AddDays(createdDay),
            Epoch.AddDays(updatedDay),
            ownerId ?? Guid.Empty,
            status,
            tags ?? []);

    public static ValidationFailedException ShouldFailValidation(Action action) =>
        Should.Throw<ValidationFailedException>(action);
}
