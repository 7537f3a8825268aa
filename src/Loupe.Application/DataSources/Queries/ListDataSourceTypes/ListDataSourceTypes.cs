using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.DataSources.Queries.ListDataSourceTypes;

/// <summary>
/// The kinds of database this instance connects to, each with the settings its connector takes, for a
/// "new data source" form. Read from the registered connectors themselves, so the answer is what the
/// server accepts. Paged and sorted like every list (all of them fit the first page).
/// </summary>
[Authorize]
public sealed record ListDataSourceTypesQuery(IReadOnlyDictionary<string, string?> Query) : IRequest<PagedResult<DataSourceTypeDto>>;

/// <summary>A connector type (<c>postgresql</c>, <c>sqlite</c>) and its settings, in form order.</summary>
public sealed record DataSourceTypeDto(string Type, IReadOnlyList<DataSourceSettingDto> Settings);

/// <summary>
/// One setting of <c>settings</c>: its name and JSON type (<c>string</c>, <c>integer</c>), whether it
/// must be given, its default, whether it is a secret (written, never read back), and its bounds.
/// </summary>
public sealed record DataSourceSettingDto(
    string Name,
    string Type,
    bool Required,
    string Description,
    object? Default,
    bool Secret,
    IReadOnlyList<string>? AllowedValues,
    int? MaxLength,
    int? Minimum,
    int? Maximum)
{
    public const string Text = "string";
    public const string WholeNumber = "integer";

    /// <summary>Every <see cref="Type"/> a setting may have.</summary>
    public static IReadOnlyList<string> Types { get; } = [Text, WholeNumber];
}

internal sealed class ListDataSourceTypesQueryHandler(IDataSourceConnectors connectors)
    : IRequestHandler<ListDataSourceTypesQuery, PagedResult<DataSourceTypeDto>>
{
    private static readonly SortWhitelist<DataSourceTypeDto> Sorts = SortWhitelist<DataSourceTypeDto>.For()
        .Field("type", t => t.Type)
        .TieBreaker("type")
        .Default("type");

    public Task<PagedResult<DataSourceTypeDto>> Handle(ListDataSourceTypesQuery request, CancellationToken cancellationToken)
    {
        var parameters = ListParameters.Parse(request.Query, Sorts);
        var types = connectors.All
            .Select(connector => new DataSourceTypeDto(DataSourceTypes.ToName(connector.Type), [.. connector.Settings.Select(ToDto)]));
        return Task.FromResult(types.ToPage(parameters));
    }

    private static DataSourceSettingDto ToDto(ConnectorSetting setting) => new(
        setting.Name,
        setting.Type == ConnectorSettingType.WholeNumber ? DataSourceSettingDto.WholeNumber : DataSourceSettingDto.Text,
        setting.Required,
        setting.Description,
        setting.Default,
        setting.Secret,
        setting.AllowedValues,
        setting.MaxLength,
        setting.Minimum,
        setting.Maximum);
}
