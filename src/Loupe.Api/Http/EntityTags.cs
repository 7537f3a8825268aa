using System.Globalization;
using Loupe.Application.Common.Concurrency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Loupe.Api.Http;

/// <summary>
/// Conditional requests (docs/api-conventions.md), in one place for every resource that has a row version: a single
/// resource is answered with a strong <c>ETag</c> made from its version; a read whose
/// <c>If-None-Match</c> already holds it is a 304; an update or delete with <c>If-Match</c> carries a
/// <see cref="VersionPrecondition"/> to its command, which answers 412 when the resource has moved on.
/// An endpoint takes the headers as <c>[FromHeader(Name = EntityTags.IfMatchHeader)] string? ifMatch</c>
/// (so they are documented) and calls <see cref="Precondition"/>, <see cref="Read{T}"/> or <see cref="Tag{T}"/>.
/// </summary>
internal static class EntityTags
{
    public const string IfMatchHeader = "If-Match";
    public const string IfNoneMatchHeader = "If-None-Match";

    /// <summary>
    /// Marks an endpoint of a resource that is only ever changed conditionally: without <c>If-Match</c>
    /// (or with <c>*</c>) its command answers 428, and the document says the header is required.
    /// </summary>
    public static TBuilder RequiresIfMatch<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(IfMatchRequired.Instance);

    public static string Format(uint rowVersion) => string.Create(CultureInfo.InvariantCulture, $"\"{rowVersion}\"");

    /// <summary>
    /// The precondition of an <c>If-Match</c> header: null when there is none or it is <c>*</c> (the
    /// resource only has to exist); otherwise the versions of its strong tags. Weak or foreign tags
    /// can never match, so a header with only those always fails.
    /// </summary>
    public static VersionPrecondition? Precondition(string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return null;
        }

        return new VersionPrecondition([.. Parse(ifMatch).Where(tag => !tag.Weak).Select(tag => tag.RowVersion).OfType<uint>()]);
    }

    /// <summary>200 with the resource and its <c>ETag</c>, or 304 (no body) when <c>If-None-Match</c> already holds that tag.</summary>
    public static Results<Ok<T>, StatusCodeHttpResult> Read<T>(HttpContext context, Versioned<T> resource, string? ifNoneMatch)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var value = Tag(context, resource);
        var current = ifNoneMatch?.Trim() == "*" || Parse(ifNoneMatch).Any(tag => tag.RowVersion == resource.RowVersion);
        return current ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Ok(value);
    }

    /// <summary>
    /// Whether an <c>If-None-Match</c> header already holds <paramref name="tag"/> (or is <c>*</c>): weak comparison, as
    /// RFC 9110 has it for this header, so <c>W/"x"</c> matches <c>"x"</c>.
    /// </summary>
    public static bool NoneMatchHolds(string? ifNoneMatch, string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (string.IsNullOrWhiteSpace(ifNoneMatch))
        {
            return false;
        }

        foreach (var part in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (candidate == "*" || string.Equals(candidate, tag, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Puts the resource's <c>ETag</c> on the response and returns the resource for the body.</summary>
    public static T Tag<T>(HttpContext context, Versioned<T> resource)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(resource);
        context.Response.Headers.ETag = Format(resource.RowVersion);
        return resource.Value;
    }

    /// <summary>The tags of a header (<c>"12", W/"13"</c>); a tag that is not one of ours has no version. Parsing stops at the first malformed part.</summary>
    private static List<(bool Weak, uint? RowVersion)> Parse(string? header)
    {
        var tags = new List<(bool Weak, uint? RowVersion)>();
        var text = header ?? string.Empty;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] is ' ' or '\t' or ',')
            {
                i++;
                continue;
            }

            var weak = string.CompareOrdinal(text, i, "W/", 0, 2) == 0;
            var open = weak ? i + 2 : i;
            var close = open < text.Length && text[open] == '"' ? text.IndexOf('"', open + 1) : -1;
            if (close < 0)
            {
                break;
            }

            // A tag may carry more after its row version ("12-…": an answer built from more than its row, a dashboard with its
            // tiles' results); the row version is what a precondition compares.
            var opaque = text.AsSpan(open + 1, close - open - 1);
            var dash = opaque.IndexOf('-');
            var digits = dash > 0 ? opaque[..dash] : opaque;
            tags.Add((weak, uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null));
            i = close + 1;
        }

        return tags;
    }
}

/// <summary>The endpoint metadata of <see cref="EntityTags.RequiresIfMatch{TBuilder}"/>.</summary>
internal sealed class IfMatchRequired
{
    public static readonly IfMatchRequired Instance = new();

    private IfMatchRequired()
    {
    }
}
