using System.Net;
using System.Net.Http.Json;
using System.Text;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Pipeline;

/// <summary>
/// Text Loupe cannot store (a NUL character, an unpaired UTF-16 surrogate) is refused with 400 and
/// the field's name before any handler runs, wherever it comes in. Each of these answered 500 before
/// (PostgreSQL 22021, or a string with no UTF-8 form).
/// </summary>
public sealed class TextInputTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const string NulCode = "text.nul_character";
    private const string SurrogateCode = "text.lone_surrogate";

    public static TheoryData<string, string> NulQueries() => new()
    {
        { "/api/v1/queries?q=%00", "q" },
        { "/api/v1/datasources?q=%00", "q" },
        { "/api/v1/organization/users?q=a%00", "q" },
        { "/api/v1/audit-events?action=%00", "action" },
        { "/api/v1/queries?tags=a%00b", "tags" },
        { "/api/v1/api-keys?q=%00x", "q" },
        { "/api/v1/runs?status=%00", "status" },
    };

    [Theory]
    [MemberData(nameof(NulQueries))]
    public async Task NulInAQueryString_Is400NamingTheParameter(string url, string field)
    {
        var admin = await api.Identity.RegisterAsync();

        using var response = await admin.Client.GetAsync(url, TestContext.Current.CancellationToken);

        await ShouldBeRefusedAsync(response, NulCode, field);
    }

    [Fact]
    public async Task NulInAQueryParameterName_Is400()
    {
        var admin = await api.Identity.RegisterAsync();

        using var response = await admin.Client.GetAsync("/api/v1/queries?a%00=1", TestContext.Current.CancellationToken);

        await ShouldBeRefusedAsync(response, NulCode, "query");
    }

    [Fact]
    public async Task NulInProfileName_Is400_AndTheNameStays()
    {
        var admin = await api.Identity.RegisterAsync();

        using var response = await SendJsonAsync(admin.Client, HttpMethod.Patch, "/api/v1/me", """{"name":"Eve\u0000"}""");

        await ShouldBeRefusedAsync(response, NulCode, "name");
        var me = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/me");
        me.GetProperty("name").GetString().ShouldBe("Test Admin");
    }

    public static TheoryData<string, string, string, string> NulBodies() => new()
    {
        { "PATCH", "/api/v1/organization", """{"name":"Org\u0000"}""", "name" },
        { "POST", "/api/v1/datasources", """{"name":"a\u0000","type":"postgresql","settings":{"host":"localhost","database":"d","username":"u"}}""", "name" },
        { "POST", "/api/v1/datasources", """{"name":"a","type":"postgresql","settings":{"host":"local\u0000host","database":"d","username":"u"}}""", "settings.host" },
        { "POST", "/api/v1/api-keys", """{"name":"key\u0000","role":"viewer"}""", "name" },
        { "POST", "/api/v1/runs", """{"datasource_id":"00000000-0000-0000-0000-000000000001","sql":"select '\u0000'"}""", "sql" },
        { "POST", "/api/v1/organization/invitations", """{"email":"a\u0000@example.com","role":"viewer"}""", "email" },
    };

    [Theory]
    [MemberData(nameof(NulBodies))]
    public async Task NulInABody_Is400NamingTheJsonPath(string method, string url, string body, string field)
    {
        var admin = await api.Identity.RegisterAsync();

        using var response = await SendJsonAsync(admin.Client, new HttpMethod(method), url, body);

        await ShouldBeRefusedAsync(response, NulCode, field);
    }

    [Fact]
    public async Task NulInARegisterName_Is400_AndNoAccountIsMade()
    {
        var email = IdentityApi.NewEmail("nul");
        using var anonymous = api.Identity.Anonymous();

        using var response = await SendJsonAsync(
            anonymous,
            HttpMethod.Post,
            "/api/v1/auth/register",
            $$"""{"email":"{{email}}","password":"{{IdentityDriver.Password}}","name":"N\u0000"}""");

        await ShouldBeRefusedAsync(response, NulCode, "name");
        using var login = await anonymous.PostAsJsonAsync(
            "/api/v1/auth/login", new { email, password = IdentityDriver.Password }, TestContext.Current.CancellationToken);
        login.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task LoneSurrogateInARunParameter_Is400NamingIt()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();
        var query = (await IdentityApi.CreateSavedQueryAsync(admin, source)).GetProperty("id").GetGuid();

        using var response = await SendJsonAsync(
            admin.Client, HttpMethod.Post, $"/api/v1/queries/{query}/runs", """{"parameters":{"country":"x\ud800"}}""");

        await ShouldBeRefusedAsync(response, SurrogateCode, "parameters.country");
    }

    [Fact]
    public async Task InvalidUtf8InARunParameter_Is400NamingIt()
    {
        var admin = await api.Identity.RegisterAsync();
        var source = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();
        var query = (await IdentityApi.CreateSavedQueryAsync(admin, source)).GetProperty("id").GetGuid();

        // A surrogate written as UTF-8 bytes (CESU-8), which no UTF-8 decoder accepts.
        byte[] body = [.. "{\"parameters\":{\"country\":\"x"u8, 0xED, 0xA0, 0x80, .. "\"}}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await admin.Client.PostAsync($"/api/v1/queries/{query}/runs", content, TestContext.Current.CancellationToken);

        await ShouldBeRefusedAsync(response, "text.invalid_utf8", "parameters.country");
    }

    [Theory]
    [InlineData("""\udc00""")]
    [InlineData("""\ud800a""")]
    [InlineData("""\ud800\ud800""")]
    [InlineData("""\ud800\n""")]
    public async Task LoneSurrogateInAParameterDefault_Is400NamingItsPath(string escaped)
    {
        var admin = await api.Identity.RegisterAsync();
        var source = (await IdentityApi.CreateDataSourceAsync(admin)).GetProperty("id").GetGuid();
        const string placeholder = "{{ c }}";

        using var response = await SendJsonAsync(
            admin.Client,
            HttpMethod.Post,
            "/api/v1/queries",
            $$"""{"name":"q","sql":"select {{placeholder}}","datasource_id":"{{source}}","parameters":[{"name":"c","type":"text","default":"{{escaped}}"}]}""");

        await ShouldBeRefusedAsync(response, SurrogateCode, "parameters[0].default");
    }

    [Fact]
    public async Task SurrogatePairsAndOtherEscapes_AreAccepted()
    {
        var admin = await api.Identity.RegisterAsync();

        using var response = await SendJsonAsync(admin.Client, HttpMethod.Patch, "/api/v1/me", """{"name":"Zo\u00eb \ud83d\ude00 \"q\" \\u0000"}""");

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var me = await IdentityApi.GetOkAsync(admin.Client, "/api/v1/me");
        me.GetProperty("name").GetString().ShouldBe("Zoë \U0001F600 \"q\" \\u0000");
    }

    [Fact]
    public async Task MalformedJson_IsStillTheEndpointsOwn400()
    {
        var admin = await api.Identity.RegisterAsync();

        using var response = await SendJsonAsync(admin.Client, HttpMethod.Patch, "/api/v1/me", "{\"name\":\"a\0\"}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("invalid_body");
        problem.GetProperty("errors").GetProperty("body")[0].GetString().ShouldBe("The request body is not valid JSON.");
    }

    private static async Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string url, string json)
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task ShouldBeRefusedAsync(HttpResponseMessage response, string code, string field)
    {
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe(code);
        problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(problem.ToString());
        messages.GetArrayLength().ShouldBe(1);
    }
}
