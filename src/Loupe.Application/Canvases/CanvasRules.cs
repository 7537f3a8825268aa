using FluentValidation;
using Loupe.Domain.Canvases;

namespace Loupe.Application.Canvases;

/// <summary>What the validators of canvas commands check before the domain does: a known time preset, and nodes and edges that are objects.</summary>
internal static class CanvasRules
{
    private static readonly string KindNames = string.Join(", ", TimePresetKinds.Names);

    /// <summary>
    /// <c>kind</c> is one of the presets; <c>start</c> and <c>end</c> are given for <c>custom</c> and
    /// only for it (that start is before end is the domain's rule).
    /// </summary>
    public static void TimePreset<T>(AbstractValidator<T> validator, Func<T, TimePresetInput?> preset)
    {
        validator.RuleFor(c => c).Custom((command, context) =>
        {
            if (preset(command) is not { } input)
            {
                return;
            }

            if (!TimePresetKinds.TryParse(input.Kind, out var kind))
            {
                context.AddFailure("time_preset.kind", $"time_preset.kind: one of {KindNames}.");
                return;
            }

            foreach (var (name, value) in new[] { ("start", input.Start), ("end", input.End) })
            {
                if (kind == TimePresetKind.Custom && value is null)
                {
                    context.AddFailure($"time_preset.{name}", $"time_preset.{name}: required for a custom time preset.");
                }
                else if (kind != TimePresetKind.Custom && value is not null)
                {
                    context.AddFailure($"time_preset.{name}", $"time_preset.{name}: only a custom time preset has one; leave it out.");
                }
            }
        });
    }

    /// <summary>Each node and edge is an object (the graph check names everything else by its path).</summary>
    public static void GraphItems<T>(AbstractValidator<T> validator, Func<T, IReadOnlyList<CanvasNodeInput?>?> nodes, Func<T, IReadOnlyList<CanvasEdgeInput?>?> edges)
    {
        validator.RuleFor(c => c).Custom((command, context) =>
        {
            foreach (var (name, items) in new (string, IReadOnlyList<object?>?)[] { ("nodes", nodes(command)), ("edges", edges(command)) })
            {
                for (var i = 0; i < (items?.Count ?? 0); i++)
                {
                    if (items![i] is null)
                    {
                        context.AddFailure($"{name}[{i}]", $"{name}[{i}]: an object, not null.");
                    }
                }
            }
        });
    }
}
