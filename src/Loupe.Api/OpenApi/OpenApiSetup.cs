using Loupe.Api.Problems;
using Loupe.Api.Security;

namespace Loupe.Api.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, checked in as docs/openapi.json): generated from the
/// endpoints, then completed by transformers that derive what a client generator needs from what the
/// endpoints already declare, so that a new endpoint is described without per-endpoint annotations:
/// operation ids (<see cref="OperationIds"/>), security (<see cref="OperationSecurity"/>), list parameters
/// (<see cref="ListQueryDocumentation"/>), error answers and headers (<see cref="OperationResponses"/>),
/// types, closed sets and limits (<see cref="SchemaRules"/>), and the problem schema (<see cref="ProblemSchema"/>).
/// A test checks these properties on every operation (ADR 0049).
/// </summary>
internal static class OpenApiSetup
{
    public static IServiceCollection AddLoupeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(async (document, _, _) =>
            {
                document.Info.Title = "Loupe API";
                document.Info.Description = "Self-hosted BI and SQL analytics. JSON in and out is snake_case; errors are RFC 7807 problem+json "
                    + "(docs/errors.md). docs/api-conventions.md says how to generate a client from this document.";

                // The server address depends on who asked; the checked-in document must not.
                document.Servers = [];
                await OperationSecurity.DescribeSchemesAsync(document).ConfigureAwait(false);
                await OperationResponses.DescribeHeadersAsync(document).ConfigureAwait(false);
                await OperationResponses.DescribeCreatedEntityTagsAsync(document).ConfigureAwait(false);
                await SchemaRules.RemoveRefusedNullsAsync(document).ConfigureAwait(false);
            });
            options.AddOperationTransformer((operation, context, _) => OperationIds.DescribeAsync(operation, context));
            options.AddOperationTransformer((operation, context, _) => OperationSecurity.DescribeOperationAsync(operation, context));
            options.AddOperationTransformer((operation, context, _) => ApiKeyRefusal.DescribeOperationAsync(operation, context));
            options.AddOperationTransformer((operation, context, _) => ListQueryDocumentation.DescribeAsync(operation, context));
            options.AddOperationTransformer((operation, context, _) => OperationResponses.DescribeAsync(operation, context));
            options.AddOperationTransformer((operation, _, _) => ProblemSchema.DescribeBadRequestAsync(operation));
            options.AddSchemaTransformer((schema, context, _) => ProblemSchema.DescribeAsync(schema, context));
            options.AddSchemaTransformer((schema, context, _) => SchemaRules.DescribeAsync(schema, context));
        });
}
