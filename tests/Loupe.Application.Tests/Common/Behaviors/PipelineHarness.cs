using System.Collections.Concurrent;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Loupe.Application.Tests.Common.Behaviors;

/// <summary>The real mediator and behaviors, as AddApplication registers them, with a caller and a clock the test controls.</summary>
internal sealed class PipelineHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    public PipelineHarness(TestCaller? caller = null)
    {
        Caller = caller ?? TestCaller.Anonymous;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        services.AddApplication().AddRequestHandlersFrom(typeof(PipelineHarness).Assembly);
        services.AddSingleton<ICurrentUser>(_ => Caller);
        services.AddSingleton(Clock);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public ManualClock Clock { get; } = new();

    public TestCaller Caller { get; }

    public ListLogger Logs { get; } = new();

    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        using var scope = _provider.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request, TestContext.Current.CancellationToken);
    }

    public void Dispose() => _provider.Dispose();
}

internal sealed record TestCaller(bool IsAuthenticated, Guid? UserId, Guid? OrganizationId, Role? Role, bool IsInstanceAdmin, Guid? SessionId = null, Guid? ApiKeyId = null) : ICurrentUser
{
    public static TestCaller Anonymous => new(false, null, null, null, false);

    public static TestCaller Member(Role role) => new(true, Guid.CreateVersion7(), Guid.CreateVersion7(), role, false);

    public static TestCaller InstanceAdmin => new(true, Guid.CreateVersion7(), Guid.CreateVersion7(), Domain.Organizations.Role.Viewer, true);
}

/// <summary>A clock that moves only when the test says so.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

internal sealed class ListLogger : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Message)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<(LogLevel, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
