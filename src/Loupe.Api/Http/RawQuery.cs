namespace Loupe.Api.Http;

/// <summary>
/// The raw query string of a list request, handed to <c>ListParameters.Parse</c>, which validates
/// page, sort and filters together. A key given twice (<c>tags=a&amp;tags=b</c>) reads as a comma list.
/// </summary>
internal sealed record RawQuery(IReadOnlyDictionary<string, string?> Values)
{
    public static ValueTask<RawQuery?> BindAsync(HttpContext context)
    {
        var values = context.Request.Query.ToDictionary(
            pair => pair.Key,
            pair => (string?)string.Join(',', pair.Value.Where(v => v is not null)),
            StringComparer.Ordinal);
        return ValueTask.FromResult<RawQuery?>(new RawQuery(values));
    }
}
