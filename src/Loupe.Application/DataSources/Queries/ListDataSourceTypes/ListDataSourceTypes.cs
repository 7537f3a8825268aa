using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Paging;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.DataSources.Queries.ListDataSourceTypes;

/// <summary>
/// The kinds of database this instance connects to, each with the settings its connector takes, for a
/// "new data source" form. Read from the registered connectors themselves, so the answer is what the
/// server accepts (one page holding every type).
/// </summary>
[Authorize]
public sealed record ListDataSourceTypesQuery : IRequest<PagedResult<DataSourceTypeDto>>;

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
    int? Maximum);

internal sealed class ListDataSourceTypesQueryHandler(IDataSourceConnectors connectors)
    : IRequestHandler<ListDataSourceTypesQuery, PagedResult<DataSourceTypeDto>>
{
    public Task<PagedResult<DataSourceTypeDto>> Handle(ListDataSourceTypesQuery request, CancellationToken cancellationToken)
    {
        var types = connectors.All
            .Select(connector => new DataSourceTypeDto(DataSourceTypes.ToName(connector.Type), [.. connector.Settings.Select(ToDto)]))
            .ToList();
        var page = PageRequest.Create(PageRequest.DefaultPage, Math.Clamp(types.Count, 1, PageRequest.MaxPerPage));
        return Task.FromResult(new PagedResult<DataSourceTypeDto>(types, Pagination.Create(page, types.Count)));
    }

    private static DataSourceSettingDto ToDto(ConnectorSetting setting) => new(
        setting.Name,
        setting.Type == ConnectorSettingType.WholeNumber ? "integer" : "string",
        setting.Required,
        setting.Description,
        setting.Default,
        setting.Secret,
        setting.AllowedValues,
        setting.MaxLength,
        setting.Minimum,
        setting.Maximum);
}
