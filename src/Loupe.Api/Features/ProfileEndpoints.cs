using Loupe.Api.Security;
using Loupe.Application.Profile.Commands.ChangePassword;
using Loupe.Application.Profile.Commands.UpdateMe;
using Loupe.Application.Profile.Queries.GetMe;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Loupe.Api.Features;

/// <summary>The signed-in user's own account.</summary>
internal sealed class ProfileEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");

        me.MapGet(string.Empty, async Task<Ok<MeDto>> (IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new GetMeQuery(), ct)));

        me.MapPatch(string.Empty, async Task<Ok<MeDto>> (UpdateMeRequest body, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(body.ToCommand(), ct);
            return TypedResults.Ok(await mediator.Send(new GetMeQuery(), ct));
        }).RefusesApiKeys();

        me.MapPost("/password", async Task<NoContent> (ChangePasswordCommand command, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(command, ct);
            return TypedResults.NoContent();
        }).WithName("changePassword").WithSummary("Change the password; other sessions are signed out").RefusesApiKeys();
    }
}
