using System.Net;
using System.Text.Json;

namespace Loupe.Integration.Tests.Support;

internal static class HttpAssertions
{
    /// <summary>Asserts an RFC 7807 answer with the given status and a code docs/errors.md lists, and returns its body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("status").GetInt32().ShouldBe((int)status);
        body.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("type").GetString().ShouldNotBeNullOrWhiteSpace();
        body.GetProperty("instance").GetString().ShouldNotBeNullOrWhiteSpace();
        var errorId = body.GetProperty("error_id").GetString();
        errorId.ShouldNotBeNullOrWhiteSpace();
        response.Headers.GetValues("X-Request-Id").Single().ShouldBe(errorId);
        var code = body.GetProperty("code").GetString();
        code.ShouldNotBeNullOrWhiteSpace();
        Pipeline.ErrorCodeCatalog.IsDocumented(code).ShouldBeTrue($"the problem code {code} is not listed in docs/errors.md");
        return body;
    }
}
