namespace Loupe.Architecture.Tests.Analysis;

internal static class Violations
{
    /// <summary>Fails with every violation on its own line, so one run lists everything to fix.</summary>
    public static void ShouldBeNone(this IReadOnlyList<string> violations, string rule) =>
        violations.ShouldBeEmpty(
            $"{rule} is broken {violations.Count} time(s):{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", violations));
}
