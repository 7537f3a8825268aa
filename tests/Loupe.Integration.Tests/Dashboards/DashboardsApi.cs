using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Loupe.Domain.Visualizations;
using Loupe.Integration.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Loupe.Integration.Tests.Dashboards;

/// <summary>
/// What dashboard tests need around them: a saved query with parameters of several types and
/// visualizations of it (written straight to the database, as the visualization endpoints are
/// another feature's), and requests with conditional headers.
/// </summary>
internal static class DashboardsApi
{
    public const string Url = "/api/v1/dashboards";

    private static readonly string[] Countries = ["CH", "FR", "DE"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// A saved query with the parameters <c>country</c> (enum CH, FR, DE), <c>period</c> (date range)
    /// and <c>top</c> (number), made by <paramref name="editor"/> on <paramref name="dataSourceId"/>.
    /// </summary>
    public static async Task<Guid> CreateQueryAsync(Member editor, Guid dataSourceId)
    {
        using var response = await editor.Client.PostAsJsonAsync(
            "/api/v1/queries",
            new
            {
                name = $"orders {Guid.NewGuid():N}",
                sql = "SELECT * FROM orders WHERE country = {{ country }} AND day BETWEEN {{ period.start }} AND {{ period.end }} LIMIT {{ top }}",
                datasource_id = dataSourceId,
                parameters = new object[]
                {
                    new { name = "country", type = "enum", options = Countries },
                    new { name = "period", type = "date_range" },
                    new { name = "top", type = "number", @default = 10 },
                },
            },
            Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>A counter visualization of the query <paramref name="queryId"/>, owned by <paramref name="owner"/>.</summary>
    public static async Task<Guid> CreateVisualizationAsync(string appConnection, Member owner, Guid queryId)
    {
        await using var context = TenantData.Context(appConnection, owner.OrganizationId);
        var query = await context.SavedQueries.SingleAsync(q => q.Id == queryId, Ct);
        var visualization = Visualization.Create(
            Guid.CreateVersion7(), query, owner.UserId, $"Orders {Guid.NewGuid():N}", null, new CounterOptions("amount"), null, DateTimeOffset.UtcNow);
        context.Visualizations.Add(visualization);
        await context.SaveChangesAsync(Ct);
        return visualization.Id;
    }

    public static object VisualizationTile(string id, Guid visualizationId, int x, int y, int w, int h) =>
        new { id, kind = "visualization", visualization_id = visualizationId, x, y, w, h };

    public static object TextTile(string id, string text, int x, int y, int w, int h) =>
        new { id, kind = "text", text, x, y, w, h };

    public static async Task<(JsonElement Body, string ETag)> CreateAsync(Member member, object body)
    {
        using var response = await member.Client.PostAsJsonAsync(Url, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        return (JsonDocument.Parse(text).RootElement, response.Headers.ETag!.Tag);
    }

    public static async Task<HttpResponseMessage> SendAsync(Member member, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await member.Client.SendAsync(request, Ct);
    }

    /// <summary>Asserts 200 and returns the body with the answer's ETag.</summary>
    public static async Task<(JsonElement Body, string ETag)> OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            return (JsonDocument.Parse(text).RootElement, response.Headers.ETag?.Tag ?? string.Empty);
        }
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            return await response.ShouldBeProblemAsync(status);
        }
    }
}
