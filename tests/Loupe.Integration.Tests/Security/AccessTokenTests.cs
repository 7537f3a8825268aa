using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Api.Security;
using Loupe.Application.Common.Security;
using Loupe.Domain.Organizations;
using Loupe.Integration.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Loupe.Integration.Tests.Security;

public sealed class AccessTokenTests(DatabaseFixture database) : ResetBeforeEachTest(database), IClassFixture<DatabaseFixture>
{
    private static readonly string[] RegisteredClaims = ["jti", "iat", "nbf", "exp", "iss", "aud"];

    private LoupeApiFactory _factory = null!;
    private HttpClient _client = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        _factory = LoupeApiFactory.For(database, withProbes: true);
        _client = _factory.CreateClient();
    }

    public override async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
        await base.DisposeAsync();
    }

    [Property]
    public Property IssuedTokens_ValidateUnderTheApiParameters_AndCarryExactlyTheirClaims()
    {
        var issuer = _factory.Services.GetRequiredService<IAccessTokenIssuer>();
        var parameters = _factory.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>()
            .Get(LoupeAuthenticationSchemes.Bearer).TokenValidationParameters;
        var handler = new JsonWebTokenHandler();
        var claims = Gen.Elements(Role.Viewer, Role.Editor, Role.Admin)
            .SelectMany(role => Gen.Elements(true, false).Select(admin => TestTokens.Claims(role, admin)));

        return Prop.ForAll(claims.ToArbitrary(), wanted =>
        {
            var issued = issuer.Issue(wanted);
            var result = handler.ValidateTokenAsync(issued.Token, parameters).GetAwaiter().GetResult();
            var token = new JsonWebToken(issued.Token);
            string[] expectedNames = ["sub", "org", "role", "sid", .. RegisteredClaims, .. wanted.IsInstanceAdmin ? ["instance_admin"] : Array.Empty<string>()];

            result.IsValid.ShouldBeTrue(result.Exception?.Message);
            token.Alg.ShouldBe("HS256");
            token.Claims.Select(c => c.Type).Order(StringComparer.Ordinal).ShouldBe(expectedNames.Order(StringComparer.Ordinal));
            token.GetClaim("sub").Value.ShouldBe(wanted.UserId.ToString());
            token.GetClaim("org").Value.ShouldBe(wanted.OrganizationId.ToString());
            token.GetClaim("role").Value.ShouldBe(wanted.Role.ToString().ToLowerInvariant());
            token.GetClaim("sid").Value.ShouldBe(wanted.SessionId.ToString());
            token.Issuer.ShouldBe("loupe");
            token.Audiences.ShouldBe(["loupe-api"]);
            token.ValidTo.ShouldBe(issued.ExpiresAt.UtcDateTime);
            (token.ValidTo - token.IssuedAt).ShouldBe(TimeSpan.FromMinutes(15));
            issued.ExpiresInSeconds.ShouldBe(900);
        });
    }

    [Fact]
    public async Task ValidToken_OnAProtectedEndpoint_Is200WithTheCallersUserOrganizationAndSession()
    {
        var claims = await RealClaimsAsync(Role.Admin);

        using var response = await GetMeAsync(TestTokens.Issue(claims));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var me = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        me.GetProperty("is_authenticated").GetBoolean().ShouldBeTrue();
        me.GetProperty("user_id").GetGuid().ShouldBe(claims.UserId);
        me.GetProperty("organization_id").GetGuid().ShouldBe(claims.OrganizationId);
        me.GetProperty("role").GetString().ShouldBe("admin");
        me.GetProperty("session_id").GetGuid().ShouldBe(claims.SessionId);
    }

    [Fact]
    public async Task TokenClaimingMoreThanTheDatabaseSays_ActsWithWhatTheDatabaseSays()
    {
        var viewer = await RealClaimsAsync(Role.Viewer);
        var inflated = viewer with { Role = Role.Admin, IsInstanceAdmin = true };

        using var me = await GetMeAsync(TestTokens.Issue(inflated));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/admins");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue(inflated));
        using var admins = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        body.GetProperty("role").GetString().ShouldBe("viewer");
        body.GetProperty("is_instance_admin").GetBoolean().ShouldBeFalse();
        await admins.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task MissingToken_Is401ProblemWithBearerChallenge()
    {
        using var response = await _client.GetAsync("/api/v1/_probe/me", TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().ShouldBe("Authentication is required.");
        problem.GetProperty("code").GetString().ShouldBe("unauthorized");
        var challenge = response.Headers.WwwAuthenticate.Single();
        challenge.Scheme.ShouldBe("Bearer");
        challenge.Parameter.ShouldBeNull("without a token there is no error to name (RFC 6750, section 3.1)");
    }

    [Theory]
    [InlineData("alg-none")]
    [InlineData("other-key")]
    [InlineData("other-key-expired")]
    [InlineData("wrong-issuer")]
    [InlineData("wrong-audience")]
    [InlineData("not-a-jwt")]
    public async Task BadToken_Is401ProblemThatRevealsNothing(string kind)
    {
        var claims = TestTokens.Claims();
        var inAQuarterHour = DateTime.UtcNow.AddMinutes(15);
        var token = kind switch
        {
            "alg-none" => TestTokens.Unsigned(claims),
            "other-key" => TestTokens.Handmade(claims, "another-key-of-enough-length-0123456789abcdef", "loupe", "loupe-api", inAQuarterHour),
            "wrong-issuer" => TestTokens.Handmade(claims, LoupeApiFactory.TestSigningKey, "someone-else", "loupe-api", inAQuarterHour),
            "wrong-audience" => TestTokens.Handmade(claims, LoupeApiFactory.TestSigningKey, "loupe", "another-api", inAQuarterHour),
            "other-key-expired" => TestTokens.Handmade(claims, "another-key-of-enough-length-0123456789abcdef", "loupe", "loupe-api", DateTime.UtcNow.AddHours(-1)),
            _ => "lp_rt_not-a-jwt-at-all",
        };

        using var response = await GetMeAsync(token);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().ShouldBe("The access token is invalid.");
        problem.GetProperty("code").GetString().ShouldBe("auth.token_invalid", "a token not signed by Loupe is never called expired");
        var challenge = response.Headers.WwwAuthenticate.Single();
        challenge.Scheme.ShouldBe("Bearer");
        challenge.Parameter.ShouldBe("error=\"invalid_token\", error_description=\"The access token is invalid\"");
        var everything = problem.GetRawText() + response.Headers + response.Content.Headers;
        everything.ShouldNotContain(token);
        everything.ShouldNotContain(token.Split('.')[0]);
        everything.ShouldNotContain("IDX", Case.Sensitive);
    }

    [Fact]
    public async Task ValidTokenWithoutTheRequiredRole_Is403Problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/admins");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue(await RealClaimsAsync(Role.Viewer)));

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TheRightRole_PassesARoleRequirement()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/admins");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Issue(await RealClaimsAsync(Role.Admin)));

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task UnknownApiKeys_InEitherHeader_AreRefusedWith401Problem()
    {
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/me");
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "lp_ak_0123456789abcdef");
        using var header = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/me");
        header.Headers.Add("X-API-Key", "lp_ak_0123456789abcdef");

        using var viaBearer = await _client.SendAsync(bearer, TestContext.Current.CancellationToken);
        using var viaHeader = await _client.SendAsync(header, TestContext.Current.CancellationToken);

        await viaBearer.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await viaHeader.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task EndpointsWithoutARequirement_StayOpen_EvenToABadToken()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/ping");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Unsigned(TestTokens.Claims()));

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task WellSignedToken_OfASessionThatDoesNotExist_Is401()
    {
        using var response = await GetMeAsync(TestTokens.Issue(TestTokens.Claims(Role.Admin)));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("detail").GetString().ShouldBe("The access token is invalid.");
        problem.GetProperty("code").GetString().ShouldBe("auth.token_invalid");
    }

    [Fact]
    public async Task ExpiredToken_OfLoupesOwn_Is401SayingItExpired_SoTheClientRefreshes()
    {
        var token = TestTokens.Issue(await RealClaimsAsync(Role.Admin), clock: new FixedClock(DateTimeOffset.UtcNow.AddHours(-1)));

        using var response = await GetMeAsync(token);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        problem.GetProperty("code").GetString().ShouldBe("auth.token_expired");
        problem.GetProperty("detail").GetString().ShouldBe("The access token expired: refresh it.");
        var challenge = response.Headers.WwwAuthenticate.Single();
        challenge.Scheme.ShouldBe("Bearer");
        challenge.Parameter.ShouldBe("error=\"invalid_token\", error_description=\"The access token expired\"");
        (problem.GetRawText() + response.Headers).ShouldNotContain(token);
    }

    [Theory]
    [InlineData("/api/v1/me")]
    [InlineData("/api/v1/runs")]
    [InlineData("/api/v1/queries")]
    public async Task AnEndpointThatAuthorizesInItsHandler_TellsTheSame401sApart(string path)
    {
        var expired = TestTokens.Issue(await RealClaimsAsync(Role.Admin), clock: new FixedClock(DateTimeOffset.UtcNow.AddHours(-1)));
        var cases = new (string? Authorization, string Code, string? Challenge)[]
        {
            (null, "unauthorized", null),
            ($"Bearer {expired}", "auth.token_expired", "error=\"invalid_token\", error_description=\"The access token expired\""),
            ("Bearer not-a-jwt", "auth.token_invalid", "error=\"invalid_token\", error_description=\"The access token is invalid\""),
            ("Bearer lp_ak_unknown0000000000000000000000000000", "auth.api_key_invalid", "error=\"invalid_token\", error_description=\"The API key is invalid or revoked\""),
        };

        foreach (var (authorization, code, parameter) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

            var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
            problem.GetProperty("code").GetString().ShouldBe(code, authorization);
            var challenge = response.Headers.WwwAuthenticate.Single();
            challenge.Scheme.ShouldBe("Bearer");
            challenge.Parameter.ShouldBe(parameter, authorization);
        }
    }

    [Fact]
    public async Task AccessToken_AfterItsSessionSignedOut_Is401AtOnce()
    {
        var member = await new IdentityDriver(_factory).RegisterAsync();
        (await member.Client.PostAsync("/api/v1/auth/logout", null, TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var response = await GetMeAsync(member.AccessToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// Claims of a real, signed-in person with <paramref name="role"/> (the host checks the session
    /// and reads the role from the database), as the issuer would sign them.
    /// </summary>
    private async Task<AccessTokenClaims> RealClaimsAsync(Role role, bool instanceAdmin = false)
    {
        var driver = new IdentityDriver(_factory);
        var member = await driver.RegisterAsync();
        if (role != Role.Admin)
        {
            member = await driver.AddMemberAsync(member, role.ToString().ToLowerInvariant());
        }

        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(member.AccessToken);
        return new AccessTokenClaims(
            Guid.Parse(token.GetClaim("sub").Value),
            Guid.Parse(token.GetClaim("org").Value),
            role,
            Guid.Parse(token.GetClaim("sid").Value),
            instanceAdmin);
    }

    private async Task<HttpResponseMessage> GetMeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/_probe/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
