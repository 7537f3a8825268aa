using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Loupe.Api.Problems;

/// <summary>
/// The OpenAPI schema of a problem as Loupe writes it: the RFC 7807 members plus <c>error_id</c>
/// and <c>code</c> (always: docs/errors.md lists them) and
/// <c>errors</c> (validation); <c>code</c> lists every code (<see cref="ProblemCodes"/>). The generated schema would otherwise forbid any member beyond the five
/// of <see cref="ProblemDetails"/>, because the wire format refuses unknown members on input.
/// </summary>
internal static class ProblemSchema
{
    /// <summary>What the 400 every operation declares covers.</summary>
    public static Task DescribeBadRequestAsync(OpenApiOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Responses?.TryGetValue("400", out var badRequest) == true && badRequest is OpenApiResponse response)
        {
            response.Description = "Bad request: invalid fields (errors), a body that is not valid JSON, or text holding a NUL character"
                + ", an unpaired UTF-16 surrogate or bytes that are not UTF-8 "
                + "(code text.nul_character, text.lone_surrogate or text.invalid_utf8, errors naming the field).";
        }

        return Task.CompletedTask;
    }

    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonTypeInfo.Type != typeof(ProblemDetails))
        {
            return Task.CompletedTask;
        }

        schema.Description = "An RFC 7807 problem (application/problem+json).";
        schema.AdditionalPropertiesAllowed = true;
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        schema.Properties[ProblemDetailsSetup.ErrorIdKey] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The request id, also on the server's log line of this failure.",
        };
        schema.Properties["code"] = new OpenApiSchema
        {
            Description = "Always present: the stable, machine-readable cause a client acts on (e.g. run.result_expired, validation_failed); "
                + "docs/errors.md lists every code. On a 502 it is the data source's SQLSTATE.",
            AnyOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. ProblemCodes.All.Keys.Order(StringComparer.Ordinal).Select(c => (JsonNode)JsonValue.Create(c))] },
                new OpenApiSchema { Type = JsonSchemaType.String, Pattern = ProblemCodes.SqlStatePattern, Description = "A data source's SQLSTATE (on a 502)." },
            ],
            Examples = [JsonValue.Create("run.result_expired")],
        };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Validation failures (400): the messages of each snake_case field.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };

        schema.Properties[ExceptionToProblemHandler.CurrentETagKey] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "On a 412 of a resource that keeps versions (a dashboard): its ETag now, to read it again or compare.",
        };
        schema.Properties[ExceptionToProblemHandler.CurrentVersionKey] = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Description = "On a 412 of a resource that keeps versions (a dashboard): the number of its current version, saved by someone else since it was read.",
        };

        // The problem details setup fills these on every problem Loupe writes.
        schema.Required = new HashSet<string>(["type", "title", "status", "instance", ProblemDetailsSetup.ErrorIdKey, "code"], StringComparer.Ordinal);
        return Task.CompletedTask;
    }
}
