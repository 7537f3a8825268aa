using System.Globalization;
using System.Text;
using FluentValidation;
using FluentValidation.Resources;

namespace Loupe.Application.Common.Behaviors;

/// <summary>
/// How every validator's messages read, decided once instead of in each validator: they start with the
/// snake_case name the client sent ("max_age_seconds: from 0 to 2678400.") and say the rule plainly.
/// A validator that needs more words (a unit, a reason) still says them with <c>WithMessage</c>.
/// </summary>
internal static class ValidationMessages
{
    private static readonly Lock Gate = new();
    private static bool _configured;

    /// <summary>Makes FluentValidation's global options name fields and word rules the Loupe way; safe to call more than once.</summary>
    public static void Configure()
    {
        lock (Gate)
        {
            if (_configured)
            {
                return;
            }

            ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
                member is null ? null : ToSnakeCasePath(member.Name);
            ValidatorOptions.Global.LanguageManager = new PlainLanguage();
            _configured = true;
        }
    }

    /// <summary>The text a nil UUID (all zeros) gets, where an id is required.</summary>
    public static string NilUuid(string field) => $"{field}: the nil UUID (all zeros) is not an id; give the id of an existing resource.";

    /// <summary>"Tiles[0].VisualizationId" becomes "tiles[0].visualization_id".</summary>
    public static string ToSnakeCasePath(string propertyPath)
    {
        var builder = new StringBuilder(propertyPath.Length + 8);
        for (var i = 0; i < propertyPath.Length; i++)
        {
            var c = propertyPath[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? propertyPath[i - 1] : '.';
                if (previous is not '.' and not '[' && !char.IsUpper(previous))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>English (FluentValidation's texts for the invariant culture), whatever the request's culture, with Loupe's wording of the built-in rules; any other rule keeps FluentValidation's English text.</summary>
    private sealed class PlainLanguage : ILanguageManager
    {
        private static readonly CultureInfo English = CultureInfo.InvariantCulture;

        private static readonly Dictionary<string, string> Messages = new(StringComparer.Ordinal)
        {
            ["NotEmptyValidator"] = "{PropertyName}: required; it may not be empty.",
            ["NotNullValidator"] = "{PropertyName}: required.",
            ["MaximumLengthValidator"] = "{PropertyName}: at most {MaxLength} characters (this has {TotalLength}).",
            ["MinimumLengthValidator"] = "{PropertyName}: at least {MinLength} characters (this has {TotalLength}).",
            ["LengthValidator"] = "{PropertyName}: from {MinLength} to {MaxLength} characters (this has {TotalLength}).",
            ["InclusiveBetweenValidator"] = "{PropertyName}: from {From} to {To}.",
            ["ExclusiveBetweenValidator"] = "{PropertyName}: more than {From} and less than {To}.",
            ["GreaterThanOrEqualValidator"] = "{PropertyName}: at least {ComparisonValue}.",
            ["GreaterThanValidator"] = "{PropertyName}: more than {ComparisonValue}.",
            ["LessThanOrEqualValidator"] = "{PropertyName}: at most {ComparisonValue}.",
            ["LessThanValidator"] = "{PropertyName}: less than {ComparisonValue}.",
            ["EnumValidator"] = "{PropertyName}: not one of the accepted values.",
            ["PredicateValidator"] = "{PropertyName}: not a valid value.",
            ["AsyncPredicateValidator"] = "{PropertyName}: not a valid value.",
            ["EqualValidator"] = "{PropertyName}: must be {ComparisonValue}.",
            ["NotEqualValidator"] = "{PropertyName}: may not be {ComparisonValue}.",
            ["EmptyValidator"] = "{PropertyName}: must be left out or empty.",
            ["NullValidator"] = "{PropertyName}: must be left out.",
            ["RegularExpressionValidator"] = "{PropertyName}: not in the expected format.",
            ["EmailValidator"] = "{PropertyName}: not an email address.",
        };

        private readonly LanguageManager _fallback = new() { Culture = English };

        public bool Enabled { get; set; } = true;

        public CultureInfo Culture { get; set; } = English;

        public string GetString(string key, CultureInfo? culture = null) =>
            Messages.TryGetValue(key, out var message) ? message : _fallback.GetString(key, English);
    }
}
