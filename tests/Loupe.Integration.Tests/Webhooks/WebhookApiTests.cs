using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Webhooks;

/// <summary>/api/v1/webhooks: admins only; the signing secret is answered on create and rotation, and nowhere else.</summary>
public sealed class WebhookApiTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private const string Url = "/api/v1/webhooks";
    private static readonly string[] BothRunEvents = ["run.failed", "run.succeeded"];
    private static readonly string[] RunFailed = ["run.failed"];
    private static readonly string[] AlertTriggered = ["alert.triggered"];
    private static readonly string[] Unknown = ["run.exploded"];
    private readonly IdentityDriver _identity = api.Identity;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_AnswersTheSecretOnce_StoresItEncrypted_AndNeverShowsItAgain()
    {
        var admin = await _identity.RegisterAsync();

        var created = await IdentityApi.PostCreatedAsync(admin, Url, new { name = "Ops", url = "https://hooks.example.com/loupe", events = BothRunEvents });

        var secret = created.GetProperty("secret").GetString()!;
        secret.ShouldStartWith("whsec_");
        var webhook = created.GetProperty("webhook");
        var id = webhook.GetProperty("id").GetGuid();
        webhook.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ShouldBe(["run.succeeded", "run.failed"]);
        webhook.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        webhook.GetProperty("consecutive_failures").GetInt32().ShouldBe(0);

        var read = await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}");
        var listed = await IdentityApi.GetRowsAsync(admin.Client, Url);
        var audit = await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?per_page=100");
        foreach (var text in new[] { read.GetRawText(), JsonSerializer.Serialize(listed), JsonSerializer.Serialize(audit) })
        {
            text.ShouldNotContain(secret);
            text.ShouldNotContain("whsec_");
        }

        audit.Select(e => e.GetProperty("action").GetString()).ShouldContain("webhook.created");
        System.Text.Encoding.Latin1.GetString(await StoredCipherAsync(id)).ShouldNotContain(secret[6..]);
        api.Factory.Logs.Lines.ShouldAllBe(line => !line.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotateSecret_AnswersANewSecret_Once()
    {
        var admin = await _identity.RegisterAsync();
        var created = await IdentityApi.PostCreatedAsync(admin, Url, new { name = "Ops", url = "https://hooks.example.com/loupe", events = RunFailed });
        var id = created.GetProperty("webhook").GetProperty("id").GetGuid();

        using var rotate = await admin.Client.PostAsync($"{Url}/{id}/rotate-secret", null, Ct);
        rotate.StatusCode.ShouldBe(HttpStatusCode.OK, await rotate.Content.ReadAsStringAsync(Ct));
        var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>(Ct);

        var secret = rotated.GetProperty("secret").GetString()!;
        secret.ShouldNotBe(created.GetProperty("secret").GetString());
        (await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}")).GetRawText().ShouldNotContain(secret);
        (await IdentityApi.GetRowsAsync(admin.Client, "/api/v1/audit-events?action=webhook.secret_rotated")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task EditorsAndViewers_CannotSeeOrChangeWebhooks()
    {
        var admin = await _identity.RegisterAsync();
        var editor = await _identity.AddMemberAsync(admin, "editor");
        var created = await IdentityApi.PostCreatedAsync(admin, Url, new { name = "Ops", url = "https://hooks.example.com/loupe", events = RunFailed });
        var id = created.GetProperty("webhook").GetProperty("id").GetGuid();

        using var list = await editor.Client.GetAsync(Url, Ct);
        await list.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var read = await editor.Client.GetAsync($"{Url}/{id}", Ct);
        await read.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        using var create = await editor.Client.PostAsJsonAsync(Url, new { name = "Mine", url = "https://hooks.example.com/x", events = RunFailed }, Ct);
        await create.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        (await IdentityApi.GetRowsAsync(admin.Client, Url)).ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("http://hooks.example.com/loupe", 400, "webhook.url_not_https")]
    [InlineData("https://hooks.example.com@127.0.0.1/", 400, "webhook.url_invalid")]
    [InlineData("https://127.0.0.1/hook", 422, "webhook.url_forbidden")]
    [InlineData("https://2130706433/hook", 422, "webhook.url_forbidden")]
    [InlineData("https://[::ffff:10.0.0.1]/hook", 422, "webhook.url_forbidden")]
    [InlineData("https://169.254.169.254/latest/meta-data", 422, "webhook.url_forbidden")]
    [InlineData("https://localhost/hook", 422, "webhook.url_forbidden")]
    [InlineData("https://[::]/hook", 422, "webhook.url_forbidden")]
    public async Task ARefusedUrl_IsRefusedOnCreateAndOnPatch_WithItsCode(string url, int status, string code)
    {
        var admin = await _identity.RegisterAsync();

        using var create = await admin.Client.PostAsJsonAsync(Url, new { name = "Bad", url, events = RunFailed }, Ct);
        (await create.ShouldBeProblemAsync((HttpStatusCode)status)).GetProperty("code").GetString().ShouldBe(code);

        var created = await IdentityApi.PostCreatedAsync(admin, Url, new { name = "Good", url = "https://hooks.example.com/loupe", events = RunFailed });
        var id = created.GetProperty("webhook").GetProperty("id").GetGuid();
        using var patch = await admin.Client.PatchAsJsonAsync($"{Url}/{id}", new { url }, Ct);
        (await patch.ShouldBeProblemAsync((HttpStatusCode)status)).GetProperty("code").GetString().ShouldBe(code);
        (await IdentityApi.GetOkAsync(admin.Client, $"{Url}/{id}")).GetProperty("url").GetString().ShouldBe("https://hooks.example.com/loupe");
    }

    [Fact]
    public async Task Patch_ChangesWhatIsSent_HonoursIfMatch_AndDeleteRemovesIt()
    {
        var admin = await _identity.RegisterAsync();
        var created = await IdentityApi.PostCreatedAsync(admin, Url, new { name = "Ops", url = "https://hooks.example.com/loupe", events = RunFailed });
        var id = created.GetProperty("webhook").GetProperty("id").GetGuid();

        using var patch = await admin.Client.PatchAsJsonAsync($"{Url}/{id}", new { name = "Ops 2", events = AlertTriggered, enabled = false }, Ct);
        patch.StatusCode.ShouldBe(HttpStatusCode.OK, await patch.Content.ReadAsStringAsync(Ct));
        var changed = await patch.Content.ReadFromJsonAsync<JsonElement>(Ct);
        changed.GetProperty("name").GetString().ShouldBe("Ops 2");
        changed.GetProperty("enabled").GetBoolean().ShouldBeFalse();
        changed.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ShouldBe(["alert.triggered"]);

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"{Url}/{id}") { Content = JsonContent.Create(new { name = "Stale" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        using var refused = await admin.Client.SendAsync(stale, Ct);
        (await refused.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed)).GetProperty("code").GetString().ShouldBe("precondition_failed");

        using var unknownEvent = await admin.Client.PatchAsJsonAsync($"{Url}/{id}", new { events = Unknown }, Ct);
        await unknownEvent.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        using var delete = await admin.Client.DeleteAsync($"{Url}/{id}", Ct);
        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await IdentityApi.GetRowsAsync(admin.Client, Url)).ShouldBeEmpty();
    }

    private async Task<byte[]> StoredCipherAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(api.OwnerConnection);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT secret_cipher FROM webhooks WHERE id = $1", connection) { Parameters = { new() { Value = id } } };
        return (byte[])(await command.ExecuteScalarAsync(Ct))!;
    }
}
