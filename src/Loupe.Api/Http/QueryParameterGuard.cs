using System.Reflection;
using Loupe.Application.Common.Exceptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Loupe.Api.Http;

/// <summary>
/// The query parameters an endpoint that reads its query string whole (<see cref="RawQuery"/>) accepts,
/// declared with <see cref="QueryParameterGuard.AcceptsQuery{TBuilder}"/>.
/// </summary>
internal sealed record AcceptedQueryParameters(IReadOnlyCollection<string> Names);

/// <summary>
/// Query parameters whose names start with a prefix an endpoint accepts besides its named ones, declared with
/// <see cref="QueryParameterGuard.AcceptsQueryPrefix{TBuilder}"/> (a dashboard's <c>p_&lt;name&gt;</c> values):
/// the endpoint checks them itself.
/// </summary>
internal sealed record AcceptedQueryPrefix(string Prefix);

/// <summary>
/// Refuses a request whose query string names a parameter its endpoint does not read (<c>?tag=</c>
/// for <c>tags</c>) with a 400 naming each one, instead of ignoring it and answering as if no filter had
/// been asked for. Applied once, to the whole API: an endpoint's parameters come from its handler's
/// signature, plus what it declares with <see cref="AcceptsQuery{TBuilder}"/> when it reads the query
/// string whole; such an endpoint that declares nothing fails when it is built, so none is forgotten.
/// </summary>
internal static class QueryParameterGuard
{
    public static TBuilder AcceptsQuery<TBuilder>(this TBuilder builder, params string[] names)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new AcceptedQueryParameters(names));
    }

    /// <summary>Accepts every query parameter whose name starts with <paramref name="prefix"/>; the endpoint validates them.</summary>
    public static TBuilder AcceptsQueryPrefix<TBuilder>(this TBuilder builder, string prefix)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return builder.WithMetadata(new AcceptedQueryPrefix(prefix));
    }

    /// <summary>The endpoint filter factory for the API's root group.</summary>
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (fromSignature, readsWholeQuery) = FromSignature(context.MethodInfo);
        return invocation =>
        {
            var http = invocation.HttpContext;
            var endpoint = http.GetEndpoint();
            var declared = endpoint?.Metadata.GetOrderedMetadata<AcceptedQueryParameters>().SelectMany(m => m.Names).ToList() ?? [];
            if (readsWholeQuery && declared.Count == 0)
            {
                throw new InvalidOperationException(
                    $"The endpoint {endpoint?.DisplayName} reads the query string whole: declare the parameters it accepts with AcceptsQuery(...).");
            }

            var route = (endpoint as RouteEndpoint)?.RoutePattern;
            var allowed = fromSignature.Where(name => route?.GetParameter(name) is null).Concat(declared).ToList();
            var prefixes = endpoint?.Metadata.GetOrderedMetadata<AcceptedQueryPrefix>() ?? [];
            var unknown = http.Request.Query.Keys
                .Where(key => !allowed.Contains(key, StringComparer.OrdinalIgnoreCase)
                    && !prefixes.Any(p => key.StartsWith(p.Prefix, StringComparison.Ordinal)))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (unknown.Count > 0)
            {
                throw new ValidationFailedException(unknown.ToDictionary(name => name, name => new[] { Message(name, allowed) }, StringComparer.Ordinal))
                {
                    Code = ErrorCodes.UnknownQueryParameter,
                };
            }

            return next(invocation);
        };
    }

    internal static string Message(string name, IReadOnlyCollection<string> accepted) =>
        accepted.Count == 0
            ? $"{name}: not a parameter of this endpoint, which takes none in its query string."
            : $"{name}: not a parameter of this endpoint; it accepts {string.Join(", ", accepted.Order(StringComparer.Ordinal))}.";

    /// <summary>The query parameters the handler's signature reads, and whether it reads the query string whole.</summary>
    private static (List<string> Names, bool ReadsWholeQuery) FromSignature(MethodInfo method)
    {
        var names = new List<string>();
        var readsWholeQuery = false;
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.ParameterType == typeof(RawQuery))
            {
                readsWholeQuery = true;
            }
            else if (parameter.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery)
            {
                names.Add(fromQuery.Name ?? parameter.Name!);
            }
            else if (IsImplicitQueryOrRoute(parameter))
            {
                names.Add(parameter.Name!);
            }
        }

        return (names, readsWholeQuery);
    }

    /// <summary>A simple value with no binding attribute is a route value or a query parameter (route values are told apart per request).</summary>
    private static bool IsImplicitQueryOrRoute(ParameterInfo parameter)
    {
        if (parameter.GetCustomAttributes().Any(a => a is IBindingSourceMetadata or AsParametersAttribute))
        {
            return false;
        }

        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Guid) || type == typeof(decimal)
            || type == typeof(DateTimeOffset) || type == typeof(DateTime);
    }
}
