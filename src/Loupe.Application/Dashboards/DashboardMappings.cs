using Loupe.Application.Common;
using Loupe.Domain.Dashboards;
using Mapster;

namespace Loupe.Application.Dashboards;

/// <summary>
/// How a dashboard is listed: without its tiles, parameters or mappings (the list DTO has none),
/// with <c>version</c> its latest and its status from whether it is archived. The document and its
/// versions keep their explicit mapping (<see cref="DashboardDto.From"/>): text tiles are rendered,
/// which is computation, not mapping.
/// </summary>
internal sealed class DashboardMappings : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<Dashboard, DashboardSummaryDto>()
            .Map(d => d.Version, s => s.LatestVersion)
            .Map(d => d.Status, s => s.ArchivedAt == null ? ItemStatuses.Active : ItemStatuses.Archived);
}
