using System.Security.Claims;
using Loupe.Api.Security;
using Loupe.Infrastructure.Security.Tokens;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Loupe.Integration.Tests.Security;

/// <summary>
/// A client that goes away while its access token's session is read: the bearer events end the
/// authentication quietly instead of throwing, so the bearer handler has no exception to log as an
/// error (it would, for every disconnect of a load generator).
/// </summary>
public sealed class BearerProblemEventsTests
{
    [Fact]
    public async Task TokenValidated_WhenTheClientWentAwayDuringTheSessionRead_FailsTheAuthenticationWithoutThrowing()
    {
        using var aborted = new CancellationTokenSource();
        var context = ContextFor(new CancelsLikeTheDatabase(aborted), aborted.Token);

        await new BearerProblemEvents().TokenValidated(context);

        aborted.IsCancellationRequested.ShouldBeTrue("the session read saw the request go away");
        context.Result.ShouldNotBeNull().Failure.ShouldNotBeNull().Message.ShouldContain("aborted");
    }

    [Fact]
    public async Task TokenValidated_WhenTheReadIsCancelledButTheClientIsStillThere_LetsTheFailureThrough()
    {
        using var elsewhere = new CancellationTokenSource();
        var context = ContextFor(new CancelsLikeTheDatabase(elsewhere), CancellationToken.None);

        await Should.ThrowAsync<OperationCanceledException>(() => new BearerProblemEvents().TokenValidated(context));
    }

    private static TokenValidatedContext ContextFor(IMediator mediator, CancellationToken requestAborted)
    {
        var http = new DefaultHttpContext
        {
            RequestAborted = requestAborted,
            RequestServices = new ServiceCollection().AddSingleton(mediator).BuildServiceProvider(),
        };
        var claims = new ClaimsIdentity(
            [
                new Claim(AccessTokenClaimNames.Session, Guid.CreateVersion7().ToString()),
                new Claim(AccessTokenClaimNames.Subject, Guid.CreateVersion7().ToString()),
                new Claim(AccessTokenClaimNames.Organization, Guid.CreateVersion7().ToString()),
            ],
            JwtBearerDefaults.AuthenticationScheme);
        return new TokenValidatedContext(
            http,
            new AuthenticationScheme(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler)),
            new JwtBearerOptions())
        {
            Principal = new ClaimsPrincipal(claims),
        };
    }

    /// <summary>Cancels <paramref name="source"/> mid-read and throws what Npgsql throws then.</summary>
    private sealed class CancelsLikeTheDatabase(CancellationTokenSource source) : IMediator
    {
        public async Task<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default)
        {
            await source.CancelAsync();
            throw new OperationCanceledException(source.Token);
        }

        public Task Send(IRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task Publish(INotification notification, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task Publish<TNotification>(TNotification notification, CancellationToken cancellationToken = default)
            where TNotification : INotification => throw new NotSupportedException();
    }
}
