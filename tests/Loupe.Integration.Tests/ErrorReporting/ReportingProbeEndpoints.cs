using System.Text.Json;
using Loupe.Api;
using Loupe.Api.Http;
using Loupe.Domain.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Loupe.Integration.Tests.ErrorReporting;

/// <summary>Endpoints only the error-reporting tests add to their host: one fails as a bug would, one refuses as a rule would.</summary>
internal sealed class ReportingProbeEndpoints : IEndpointModule
{
    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        var probe = api.MapGroup("/_reporting");
        probe.MapPost("/lookup", async (HttpRequest request, IConfiguration configuration) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            await LeakyFailure.ThrowAsync(
                configuration.GetConnectionString("Loupe")!, request.Query["email"].ToString(), body.RootElement.GetProperty("password").GetString()!);
            return Results.NoContent();
        }).AcceptsQuery("email");
        probe.MapGet("/taken", string () => throw new DomainException(DomainError.Conflict("probe.taken", "That name is taken.")));
    }
}
