using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Tests.Visualizations;
using Loupe.Domain.Visualizations;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;

namespace Loupe.Integration.Tests.Visualizations;

/// <summary>
/// Any valid options, of any type, come back from the API as they were sent: in the answer to the
/// create, on a later read and in the list, equal as JSON and as the settings they stand for.
/// </summary>
public sealed class VisualizationRoundTripPropertyTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private (Member Editor, Guid QueryId)? _organization;

    /// <summary>An editor and a query never run (so no column is checked): FsCheck calls the property once per case, this is made on the first.</summary>
    private (Member Editor, Guid QueryId) Organization => _organization ??= CreateOrganizationAsync().GetAwaiter().GetResult();

    private async Task<(Member Editor, Guid QueryId)> CreateOrganizationAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var source = await IdentityApi.CreateDataSourceAsync(admin);
        var query = await IdentityApi.CreateSavedQueryAsync(editor, source.GetProperty("id").GetGuid());
        return (editor, query.GetProperty("id").GetGuid());
    }

    [Property(MaxTest = 60)]
    public Property AnyValidOptions_RoundTripThroughTheApi_Unchanged()
    {
        var (editor, queryId) = Organization;

        return Prop.ForAll(VisualizationOptionsGenerators.AnyOptions.ToArbitrary(), options =>
        {
            var sent = JsonNode.Parse(options.ToJson())!;
            var body = new JsonObject { ["query_id"] = queryId, ["name"] = "Round trip", ["type"] = options.Type.WireName(), ["options"] = sent.DeepClone() };
            using var created = editor.Client.PostAsync(
                "/api/v1/visualizations", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken).GetAwaiter().GetResult();
            var text = created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
            created.StatusCode.ShouldBe(HttpStatusCode.Created, text);
            var answer = JsonDocument.Parse(text).RootElement;
            var id = answer.GetProperty("id").GetGuid();
            var read = editor.Client.GetFromJsonAsync<JsonElement>($"/api/v1/visualizations/{id}", TestContext.Current.CancellationToken).GetAwaiter().GetResult();

            return new[] { answer, read }.All(visualization =>
                visualization.GetProperty("type").GetString() == options.Type.WireName()
                && JsonNode.DeepEquals(JsonNode.Parse(visualization.GetProperty("options").GetRawText()), sent)
                && VisualizationOptionsParser.TryParse(options.Type, visualization.GetProperty("options"), out var parsed, out _)
                && parsed.Equals(options));
        });
    }
}
