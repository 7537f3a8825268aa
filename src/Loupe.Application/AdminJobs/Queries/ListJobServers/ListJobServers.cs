using Loupe.Application.Common.Jobs;
using Loupe.Application.Common.Security;
using MediatR;

namespace Loupe.Application.AdminJobs.Queries.ListJobServers;

/// <summary>The engine's nodes, by name, the lost ones marked (instance admins).</summary>
[Authorize(InstanceAdminOnly = true)]
public sealed record ListJobServersQuery : IRequest<JobServersDto>;

internal sealed class ListJobServersQueryHandler(IJobsReadModel readModel, TimeProvider clock) : IRequestHandler<ListJobServersQuery, JobServersDto>
{
    public async Task<JobServersDto> Handle(ListJobServersQuery request, CancellationToken cancellationToken)
    {
        var nodes = await readModel.NodesAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetUtcNow();
        return new JobServersDto(now, [.. nodes.Select(n => new JobServerDto(
            n.Node, n.Host, n.Machine, n.ProcessId, n.StartedAt, n.HeartbeatAt, Math.Max(0, (now - n.HeartbeatAt).TotalSeconds),
            n.Slots, n.SlotsUsed, n.Queues, n.Lost))]);
    }
}
