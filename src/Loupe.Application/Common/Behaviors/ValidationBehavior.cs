using FluentValidation;
using Loupe.Application.Common.Exceptions;
using MediatR;

namespace Loupe.Application.Common.Behaviors;

/// <summary>
/// Runs every validator of the request and reports all failures at once, keyed by the
/// snake_case name the client sent.
/// </summary>
internal sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(
        TRequest request,
        CancellationToken cancellationToken,
        RequestHandlerDelegate<TResponse> next)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        var context = new ValidationContext<TRequest>(request);
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(context, cancellationToken).ConfigureAwait(false);
            failures.AddRange(result.Errors);
        }

        if (failures.Count > 0)
        {
            var errors = failures
                .GroupBy(f => ToSnakeCasePath(f.PropertyName), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(MessageOf).Distinct().ToArray(), StringComparer.Ordinal);
            throw new ValidationFailedException(errors);
        }

        return await next().ConfigureAwait(false);
    }

    /// <summary>"Tiles[0].VisualizationId" becomes "tiles[0].visualization_id".</summary>
    internal static string ToSnakeCasePath(string propertyPath) => ValidationMessages.ToSnakeCasePath(propertyPath);

    /// <summary>An id that is all zeros is "present" to the rule, but names nothing: say exactly that.</summary>
    private static string MessageOf(FluentValidation.Results.ValidationFailure failure) =>
        failure is { ErrorCode: "NotEmptyValidator", AttemptedValue: Guid id } && id == Guid.Empty
            ? ValidationMessages.NilUuid(ToSnakeCasePath(failure.PropertyName))
            : failure.ErrorMessage;
}
