using System.Globalization;
using Loupe.Api.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Loupe.Api.OpenApi;

/// <summary>
/// The answers every operation can give beyond the ones its endpoint declares, derived from what it is:
/// 401 (with <c>WWW-Authenticate</c>) and 403 unless it is anonymous, 404 when its route names a resource,
/// 409 when it changes something, 412 when it takes <c>If-Match</c>, 413 and 415 when it reads a body,
/// 429 and 503 (with <c>Retry-After</c>) always; each a problem (the <c>ProblemDetails</c> schema). Every
/// answer carries the <c>RateLimit-*</c> headers; a 201, and a 202 with a body, carry <c>Location</c>; the
/// 200 or 201 of an operation on a resource with an entity tag carries <c>ETag</c>. A response declared with
/// a content type but no body type (an export) gets that content type with a string or object schema.
/// </summary>
internal static class OperationResponses
{
    public const string ProblemSchemaId = "ProblemDetails";
    public const string ProblemContentType = "application/problem+json";

    private static readonly string[] RateLimitHeaders = ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"];

    private static readonly Dictionary<string, (string Description, JsonSchemaType Type)> Headers = new(StringComparer.Ordinal)
    {
        ["RateLimit-Limit"] = ("The requests the caller's budget allows in a window.", JsonSchemaType.Integer),
        ["RateLimit-Remaining"] = ("The requests left in the current window.", JsonSchemaType.Integer),
        ["RateLimit-Reset"] = ("Seconds until the window ends.", JsonSchemaType.Integer),
        ["Retry-After"] = ("Seconds to wait before trying again.", JsonSchemaType.Integer),
        ["ETag"] = ("The resource's version; send it back as If-Match (to change it) or If-None-Match (to read it again).", JsonSchemaType.String),
        ["Location"] = ("The address of the resource created or started.", JsonSchemaType.String),
        ["WWW-Authenticate"] = ("How to authenticate; error=\"invalid_token\" with error_description=\"The token expired\" tells an expired access token (refresh it) from a missing or invalid one.", JsonSchemaType.String),
    };

    private static readonly (int Status, string Description)[] Always =
    [
        (StatusCodes.Status429TooManyRequests, "Too many requests (code rate_limited, or run.queue_full when starting a run): wait Retry-After seconds."),
        (StatusCodes.Status503ServiceUnavailable, "Loupe's own database is out of reach for a moment (code database.unavailable): retry after Retry-After seconds."),
    ];

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var document = context.Document!;
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = description.HttpMethod?.ToUpperInvariant() ?? "GET";
        var anonymous = OperationSecurity.IsAnonymous(metadata);
        var takesIfMatch = operation.Parameters?.Any(p => p.In == ParameterLocation.Header && p.Name == EntityTags.IfMatchHeader) == true;
        var takesIfNoneMatch = operation.Parameters?.Any(p => p.In == ParameterLocation.Header && p.Name == EntityTags.IfNoneMatchHeader) == true;
        operation.Responses ??= [];

        AddContentOfExports(operation, metadata);

        var problems = new List<(int Status, string Description)> { (StatusCodes.Status400BadRequest, "Bad request.") };
        if (!anonymous)
        {
            problems.Add((StatusCodes.Status401Unauthorized, "Not signed in: no credential, or an invalid or expired one (code and WWW-Authenticate say which; an expired access token is refreshed)."));
            problems.Add((StatusCodes.Status403Forbidden, "The caller's role does not allow this."));
        }

        if (description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path))
        {
            problems.Add((StatusCodes.Status404NotFound, "Nothing exists at this address for this caller."));
        }

        if (method is "POST" or "PUT" or "PATCH" or "DELETE")
        {
            problems.Add((StatusCodes.Status409Conflict, "The change conflicts with the resource's state or another resource (see code)."));
        }

        if (takesIfMatch)
        {
            problems.Add((StatusCodes.Status412PreconditionFailed, "If-Match no longer matches the resource's ETag: reload it."));
        }

        if (takesIfMatch && metadata.OfType<IfMatchRequired>().Any())
        {
            foreach (var header in operation.Parameters!.OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Header && p.Name == EntityTags.IfMatchHeader))
            {
                header.Required = true;
                header.Description = "The ETag the resource was read at: every change of it is conditional (428 without it, 412 when stale).";
            }

            problems.Add((StatusCodes.Status428PreconditionRequired, "No If-Match (or If-Match: *): every change of this resource names the ETag it was read at."));
        }

        if (operation.RequestBody is not null)
        {
            problems.Add((StatusCodes.Status413PayloadTooLarge, "The body is larger than this endpoint accepts."));
            problems.Add((StatusCodes.Status415UnsupportedMediaType, "The body is not application/json."));
        }

        problems.AddRange(Always);
        foreach (var (status, text) in problems)
        {
            var key = status.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses.TryGetValue(key, out var existing) || existing is not OpenApiResponse response)
            {
                response = new OpenApiResponse { Description = text };
                operation.Responses[key] = response;
            }

            response.Content ??= new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
            response.Content.Clear();
            response.Content[ProblemContentType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchemaId, document) };
        }

        foreach (var (key, answer) in operation.Responses)
        {
            if (answer is not OpenApiResponse response)
            {
                continue;
            }

            response.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
            foreach (var header in RateLimitHeaders)
            {
                response.Headers[header] = Header(document, header);
            }

            if (key is "429" or "503")
            {
                response.Headers["Retry-After"] = Header(document, "Retry-After");
            }

            if (key == "401")
            {
                response.Headers["WWW-Authenticate"] = Header(document, "WWW-Authenticate");
            }

            if (key == "201" || (key == "202" && response.Content is { Count: > 0 }))
            {
                response.Headers["Location"] = Header(document, "Location");
            }

            if ((key is "200" or "201") && (takesIfMatch || takesIfNoneMatch))
            {
                response.Headers["ETag"] = Header(document, "ETag");
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The headers the operations refer to, once in <c>components</c>.</summary>
    public static Task DescribeHeadersAsync(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
        foreach (var (name, (text, type)) in Headers)
        {
            document.Components.Headers[name] = new OpenApiHeader { Description = text, Schema = new OpenApiSchema { Type = type } };
        }

        return Task.CompletedTask;
    }

    private static OpenApiHeaderReference Header(OpenApiDocument document, string name) => new(name, document);

    /// <summary>
    /// The 201 of creating a resource whose GET answers with an ETag (a saved query, a data source) carries
    /// its ETag too; run once every operation is in the document.
    /// </summary>
    public static Task DescribeCreatedEntityTagsAsync(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var operations = document.Paths.Values.Where(p => p.Operations is not null).SelectMany(p => p.Operations!.Values).ToList();
        var tagged = operations
            .Where(op => op.Parameters?.Any(p => p.In == ParameterLocation.Header && p.Name == EntityTags.IfNoneMatchHeader) == true)
            .Select(op => SchemaId(op.Responses?.GetValueOrDefault("200")))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        foreach (var created in operations.Select(op => op.Responses?.GetValueOrDefault("201")).OfType<OpenApiResponse>())
        {
            if (SchemaId(created) is { } id && tagged.Contains(id))
            {
                created.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                created.Headers["ETag"] = Header(document, "ETag");
            }
        }

        return Task.CompletedTask;
    }

    private static string? SchemaId(IOpenApiResponse? response) =>
        response?.Content?.Values.FirstOrDefault()?.Schema is OpenApiSchemaReference reference ? reference.Reference.Id : null;

    /// <summary>An export declares its content types without a body type; say what the body is.</summary>
    private static void AddContentOfExports(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var produces in metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.Type is null || p.Type == typeof(void)))
        {
            var key = produces.StatusCode.ToString(CultureInfo.InvariantCulture);
            if (operation.Responses?.TryGetValue(key, out var existing) != true || existing is not OpenApiResponse response || response.Content is { Count: > 0 })
            {
                continue;
            }

            var types = produces.ContentTypes.ToList();
            if (types.Count == 0)
            {
                continue;
            }

            response.Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal);
            foreach (var contentType in types)
            {
                response.Content[contentType] = new OpenApiMediaType
                {
                    Schema = contentType.StartsWith("text/", StringComparison.Ordinal)
                        ? new OpenApiSchema { Type = JsonSchemaType.String }
                        : new OpenApiSchema { Type = JsonSchemaType.Object },
                };
            }
        }
    }
}
