using Loupe.Application.Common.Persistence;
using Loupe.Application.Common.Security;
using Loupe.Application.Organizations;
using Loupe.Domain.Canvases;

namespace Loupe.Application.Canvases;

/// <summary>
/// The moment and the time zone a request resolves canvas presets at, read once per request (one
/// query for the organization's zone, whatever the number of canvases answered), so that every
/// canvas of an answer shows its <c>time_window</c> as of the same instant.
/// </summary>
internal sealed record CanvasWindows(DateTimeOffset Now, TimeZoneInfo Zone)
{
    /// <summary>The windows at <paramref name="now"/> in the current organization's zone.</summary>
    public static async Task<CanvasWindows> AtAsync(
        DateTimeOffset now, ITenantScope tenant, IReadStore store, IQueryExecutor executor, CancellationToken cancellationToken) =>
        new(now, await OrganizationTimeZone.ReadAsync(tenant, store, executor, cancellationToken).ConfigureAwait(false));

    /// <summary>The window <paramref name="preset"/> gives now.</summary>
    public TimeWindowDto Of(CanvasTimePreset preset)
    {
        var window = preset.Resolve(Now, Zone);
        return new TimeWindowDto(window.Start, window.End);
    }

    /// <summary>The window of a preset read as its three columns (a custom one has its start before its end, as the table's check keeps it).</summary>
    public TimeWindowDto Of(TimePresetKind kind, DateTimeOffset? start, DateTimeOffset? end) =>
        Of(kind == TimePresetKind.Custom ? CanvasTimePreset.Custom(start!.Value, end!.Value) : CanvasTimePreset.Relative(kind));
}
