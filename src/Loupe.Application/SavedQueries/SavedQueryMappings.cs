using Loupe.Application.Common;
using Loupe.Domain.Queries;
using Mapster;

namespace Loupe.Application.SavedQueries;

/// <summary>
/// How a saved query is listed: without its SQL or parameters (the list DTO has neither), with the
/// wire names <c>datasource_id</c> and <c>version</c>, and its status from whether it is archived.
/// The detail and its versions keep their explicit mapping (<see cref="SavedQueryDto.From"/>):
/// parameters are turned into JSON values, which is computation, not mapping.
/// </summary>
internal sealed class SavedQueryMappings : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<SavedQuery, SavedQuerySummaryDto>()
            .Map(d => d.DatasourceId, s => s.DataSourceId)
            .Map(d => d.Version, s => s.LatestVersion)
            .Map(d => d.Status, s => s.ArchivedAt == null ? ItemStatuses.Active : ItemStatuses.Archived);
}
