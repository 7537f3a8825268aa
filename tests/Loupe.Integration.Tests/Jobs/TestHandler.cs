using Loupe.Application.Common.Jobs;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>A job handler made of a delegate, registered as a singleton so a test can watch what it did.</summary>
internal sealed class TestHandler(string kind, Func<JobContext, CancellationToken, Task> handle) : IJobHandler
{
    public string Kind { get; } = kind;

    public Task HandleAsync(JobContext context, CancellationToken ct) => handle(context, ct);
}
