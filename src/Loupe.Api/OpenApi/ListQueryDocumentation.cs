using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using Loupe.Api.Http;
using Loupe.Application.Common.Paging;
using MediatR;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Loupe.Api.OpenApi;

/// <summary>
/// The query parameters of an endpoint that reads its query string whole (a list), from what it already
/// declares for the unknown-parameter guard (<see cref="QueryParameterGuard.AcceptsQuery{TBuilder}"/>), typed
/// by the conventions of docs/api-conventions.md: <c>page</c> and <c>per_page</c> whole numbers within their
/// bounds, <c>sort</c> a comma list of the list's sort keys (each field, or <c>-field</c> for descending),
/// <c>q</c> and <c>tags</c> with their limits, <c>…_after</c>/<c>…_before</c> RFC 3339 timestamps, <c>…_id</c>
/// UUIDs, <c>status</c> (or <c>type</c>, for a list whose closed-set filter is a type) one of the list's statuses,
/// <c>archived</c> a boolean. The sort fields, the statuses and a page size other than
/// the default come from the list's request handler (the one whose answer is the endpoint's): its static
/// <see cref="SortWhitelist{T}"/>, its static list of statuses, and its <c>DefaultPerPage</c>/<c>MaxPerPage</c>
/// constants.
/// </summary>
internal static class ListQueryDocumentation
{
    private static readonly ConcurrentDictionary<Type, ListContract?> Contracts = new();

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var accepted = context.Description.ActionDescriptor.EndpointMetadata.OfType<AcceptedQueryParameters>().SelectMany(m => m.Names).ToList();
        if (accepted.Count == 0)
        {
            return Task.CompletedTask;
        }

        var answer = context.Description.SupportedResponseTypes.FirstOrDefault(r => r.StatusCode == StatusCodes.Status200OK)?.Type;
        var contract = answer is null ? null : Contracts.GetOrAdd(answer, ListContract.Of);
        operation.Parameters ??= [];
        foreach (var name in accepted.Where(name => !operation.Parameters.Any(p => p.Name == name && p.In == ParameterLocation.Query)))
        {
            operation.Parameters.Add(Parameter(name, contract));
        }

        return Task.CompletedTask;
    }

    private static OpenApiParameter Parameter(string name, ListContract? contract)
    {
        var parameter = new OpenApiParameter { Name = name, In = ParameterLocation.Query };
        switch (name)
        {
            case ListQueryParameters.Page:
                parameter.Description = "The page, from 1.";
                parameter.Schema = Integer(1, null, PageRequest.DefaultPage);
                break;
            case ListQueryParameters.PerPage:
                parameter.Description = "Rows per page.";
                parameter.Schema = Integer(1, contract?.MaxPerPage ?? PageRequest.MaxPerPage, contract?.DefaultPerPage ?? PageRequest.DefaultPerPage);
                break;
            case ListQueryParameters.Sort:
                parameter.Description = "Sort keys, most significant first: a field ascending, or -field descending (sort=-updated_at,name).";
                parameter.Style = ParameterStyle.Form;
                parameter.Explode = false;
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Enum = [.. (contract?.SortFields ?? []).SelectMany(f => new[] { f, "-" + f }).Select(key => (JsonNode)JsonValue.Create(key))],
                    },
                };
                break;
            case ListQueryParameters.Text:
                parameter.Description = "Text the name (or description) contains, ignoring case.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = ListFilter.MaxTextLength };
                break;
            case ListQueryParameters.Tags:
                parameter.Description = "Tags a row carries every one of (tags=a,b or tags=a&tags=b).";
                parameter.Style = ParameterStyle.Form;
                parameter.Explode = false;
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    MaxItems = ListFilter.MaxTags,
                    Items = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = ListFilter.MaxTagLength },
                };
                break;
            case ListQueryParameters.Status:
                parameter.Description = "Only rows with this status.";
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. (contract?.Statuses ?? []).Select(s => (JsonNode)JsonValue.Create(s))],
                };
                break;
            case ListQueryParameters.Type when contract?.Types is { Count: > 0 } types:
                parameter.Description = "Only rows of this type.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. types.Select(t => (JsonNode)JsonValue.Create(t))] };
                break;
            case var _ when name.EndsWith("_after", StringComparison.Ordinal) || name.EndsWith("_before", StringComparison.Ordinal):
                parameter.Description = "A bound, inclusive, as an RFC 3339 timestamp with an offset.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" };
                break;
            case var _ when name.EndsWith("_id", StringComparison.Ordinal):
                parameter.Description = "Only rows referring to this id.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" };
                break;
            default:
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = ListFilter.MaxTextLength };
                break;
        }

        return parameter;
    }

    private static OpenApiSchema Integer(int minimum, int? maximum, int fallback) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int32",
        Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = maximum?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Default = JsonValue.Create(fallback),
    };

    /// <summary>What the handler answering <c>TResponse</c> declares about its list.</summary>
    /// <summary>
    /// Read from the handler's static fields: its <see cref="SortWhitelist{T}"/>, its statuses (the
    /// closed set of strings it holds, other than one named <c>Types</c>), the values of its <c>type</c>
    /// filter (a closed set named <c>Types</c>) and its paging constants.
    /// </summary>
    private sealed record ListContract(
        IReadOnlyList<string> SortFields, IReadOnlyList<string> Statuses, IReadOnlyList<string> Types, int? DefaultPerPage, int? MaxPerPage)
    {
        private const BindingFlags Static = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        private const string TypesField = "Types";

        public static ListContract? Of(Type answer)
        {
            var handlers = typeof(ListParameters).Assembly.GetTypes()
                .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetInterfaces().Any(i =>
                    i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequestHandler<,>) && i.GetGenericArguments()[1] == answer))
                .ToList();
            if (handlers.Count != 1)
            {
                return null;
            }

            var fields = handlers[0].GetFields(Static);
            var sorts = fields
                .Where(f => f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition() == typeof(SortWhitelist<>))
                .Select(f => f.FieldType.GetProperty(nameof(SortWhitelist<object>.FieldNames))!.GetValue(f.GetValue(null)) as IReadOnlyList<string>)
                .FirstOrDefault() ?? [];
            var sets = fields.Where(f => !f.IsLiteral && f.FieldType.IsAssignableTo(typeof(IReadOnlyCollection<string>))).ToList();
            var statuses = sets.Where(f => f.Name != TypesField).Select(f => f.GetValue(null) as IReadOnlyCollection<string>).FirstOrDefault() ?? [];
            var types = sets.Where(f => f.Name == TypesField).Select(f => f.GetValue(null) as IReadOnlyCollection<string>).FirstOrDefault() ?? [];
            return new ListContract(sorts, [.. statuses], [.. types], Constant(fields, "DefaultPerPage"), Constant(fields, "MaxPerPage"));
        }

        private static int? Constant(FieldInfo[] fields, string name) =>
            fields.FirstOrDefault(f => f.IsLiteral && f.Name == name && f.FieldType == typeof(int))?.GetRawConstantValue() as int?;
    }
}
