using System.Text.Json;
using Loupe.Application.Common;
using Loupe.Domain.Queries;
using Loupe.Domain.Queries.Parameters;

namespace Loupe.Application.SavedQueries;

/// <summary>
/// A saved query as answered. <c>version</c> is the number of its current SQL version (see
/// <c>/versions</c>); <c>timeout_seconds</c> null means the data source's timeout; <c>forked_from</c>
/// is set on a copy made by fork.
/// </summary>
public sealed record SavedQueryDto(
    Guid Id,
    string Name,
    string? Description,
    string Sql,
    Guid DatasourceId,
    IReadOnlyList<ParameterDefinitionDto> Parameters,
    IReadOnlyList<string> Tags,
    int? TimeoutSeconds,
    Guid? OwnerId,
    int Version,
    string Status,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ForkedFromDto? ForkedFrom = null)
{
    internal static SavedQueryDto From(SavedQuery query) => new(
        query.Id,
        query.Name,
        query.Description,
        query.Sql,
        query.DataSourceId,
        [.. query.Parameters.Select(ParameterDefinitionDto.From)],
        query.Tags,
        query.TimeoutSeconds,
        query.OwnerId,
        query.LatestVersion,
        ItemStatuses.Of(query.ArchivedAt),
        query.ArchivedAt,
        query.CreatedAt,
        query.UpdatedAt,
        query.ForkedFromQueryId is { } from ? new ForkedFromDto(from, query.ForkedFromVersion ?? 1) : null);
}

/// <summary>The query and version a fork was copied from (the query may since have changed or been archived).</summary>
public sealed record ForkedFromDto(Guid QueryId, int Version);

/// <summary>A saved query in a list: everything but its SQL and parameters.</summary>
public sealed record SavedQuerySummaryDto(
    Guid Id,
    string Name,
    string? Description,
    Guid DatasourceId,
    IReadOnlyList<string> Tags,
    Guid? OwnerId,
    int Version,
    string Status,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One kept state of a query's SQL and parameters; <c>creator_id</c> is null once that user has left.</summary>
public sealed record SavedQueryVersionDto(
    int Version,
    string Sql,
    IReadOnlyList<ParameterDefinitionDto> Parameters,
    DateTimeOffset CreatedAt,
    Guid? CreatorId)
{
    internal static SavedQueryVersionDto From(SavedQueryVersion version) => new(
        version.Number,
        version.Sql,
        [.. version.Parameters.Select(ParameterDefinitionDto.From)],
        version.CreatedAt,
        version.CreatedBy);
}

/// <summary>A parameter as answered; <c>options</c> only for enums.</summary>
public sealed record ParameterDefinitionDto(string Name, string Type, string? Title, bool Required, JsonElement? Default, IReadOnlyList<string>? Options)
{
    internal static ParameterDefinitionDto From(ParameterDefinition definition) => new(
        definition.Name,
        definition.Type.ToName(),
        definition.Title,
        definition.Required,
        ParameterJson.ToJson(definition.Default),
        definition.Type == ParameterType.Enum ? definition.Options : null);
}

/// <summary>
/// A parameter as sent: <c>name</c> (a letter or '_', then letters, digits or '_'; at most 64),
/// <c>type</c> (text, number, boolean, date, datetime, date_range, enum), optional <c>title</c>,
/// <c>required</c> (default true), <c>default</c> (a value of the type) and, for enums, <c>options</c>.
/// </summary>
public sealed record ParameterDefinitionInput(
    string? Name = null, string? Type = null, string? Title = null, bool? Required = null, JsonElement? Default = null, IReadOnlyList<string>? Options = null);

