using System.Runtime.CompilerServices;
using System.Text.Json;
using FluentValidation;

namespace Loupe.Application.Common.Patching;

/// <summary>
/// The body of a PATCH, read as a JSON Merge Patch (RFC 7396): a member left out leaves its field as
/// it is; a member sent as <c>null</c> resets an optional field to its default; a required field
/// cannot be reset, so <c>null</c> there is a 400 naming it. The JSON reader sets only the members
/// the body holds, so each property's <c>init</c> accessor notes that it was sent
/// (<see cref="Sent{T}"/>) and <see cref="IsReset"/> tells a <c>null</c> sent from one left out.
/// The request's command carries the required fields sent as <c>null</c>
/// (<see cref="RequiredReset"/>) to its validator, so the caller's right to send it is checked first.
/// </summary>
public abstract class MergePatchBody
{
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);

    /// <summary>Whether the member named <paramref name="property"/> (its C# name) was sent as <c>null</c>.</summary>
    public bool IsReset(string property, object? value) => value is null && _sent.Contains(property);

    /// <summary>Called by a property's <c>init</c> accessor: notes that the member was in the body.</summary>
    protected T Sent<T>(T value, [CallerMemberName] string property = "")
    {
        _sent.Add(property);
        return value;
    }

    /// <summary>The wire names (after <paramref name="prefix"/>) of the required members among <paramref name="properties"/> sent as <c>null</c>.</summary>
    protected IReadOnlyList<string> RequiredReset(string prefix, params (string Property, object? Value)[] properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        return [.. properties.Where(p => IsReset(p.Property, p.Value)).Select(p => prefix + JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Property))];
    }
}

/// <summary>The validation rule every PATCH command shares.</summary>
public static class MergePatchRules
{
    /// <summary>Each required field sent as <c>null</c> is a 400 naming it.</summary>
    public static void RefuseRequiredResets<T>(this AbstractValidator<T> validator, Func<T, IReadOnlyList<string>?> requiredResets)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(requiredResets);
        validator.RuleFor(c => c).Custom((command, context) =>
        {
            foreach (var field in requiredResets(command) ?? [])
            {
                context.AddFailure(field, $"{field}: required; null cannot reset it. Leave it out to keep it.");
            }
        });
    }
}
