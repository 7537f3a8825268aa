using System.Text.Json;
using Loupe.Api;
using Loupe.Application.ApiKeys.Queries.ListApiKeys;
using Loupe.Application.Organizations.Queries.ListInvitations;
using Loupe.Domain.Invitations;
using Loupe.Domain.Organizations;

namespace Loupe.Integration.Tests.Pipeline;

/// <summary>DTO members typed as enums go out by their snake_case name with the API's JSON options, never as numbers.</summary>
public class EnumsOnTheWireTests
{
    private static readonly JsonSerializerOptions Wire = CreateWireOptions();

    [Fact]
    public void EnumMembers_AreWrittenByName()
    {
        var key = new ApiKeyDto(Guid.CreateVersion7(), "ci", Role.Editor, "lk_abc", Guid.CreateVersion7(), DateTimeOffset.UnixEpoch, null, null);
        var invitation = new InvitationDto(Guid.CreateVersion7(), "ann@example.com", Role.Admin, InvitationStatus.Expired, Guid.CreateVersion7(), DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        JsonSerializer.Serialize(key, Wire).ShouldContain("\"role\":\"editor\"");
        JsonSerializer.Serialize(invitation, Wire).ShouldSatisfyAllConditions(
            json => json.ShouldContain("\"role\":\"admin\""),
            json => json.ShouldContain("\"status\":\"expired\""));
    }

    private static JsonSerializerOptions CreateWireOptions()
    {
        var options = new JsonSerializerOptions();
        ApiServices.ConfigureJson(options);
        return options;
    }
}
