using System.Globalization;

namespace Loupe.Infrastructure.Persistence.Migrations;

/// <summary>The <c>migrate up | down N | status</c> command of the hosts.</summary>
public static class MigrationCli
{
    public const string Usage = "usage: migrate up | migrate down N | migrate status";

    /// <returns>The process exit code.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, MigrationRunner runner, TextWriter output, CancellationToken cancellationToken)
    {
        switch (args)
        {
            case ["up"]:
                var applied = await runner.UpAsync(cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(applied.Count == 0 ? "Nothing to apply." : $"Applied: {string.Join(", ", applied)}").ConfigureAwait(false);
                return 0;
            case ["down", var text] when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0:
                var rolledBack = await runner.DownAsync(count, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(rolledBack.Count == 0 ? "Nothing to roll back." : $"Rolled back: {string.Join(", ", rolledBack)}").ConfigureAwait(false);
                return 0;
            case ["status"]:
                foreach (var state in await runner.StatusAsync(cancellationToken).ConfigureAwait(false))
                {
                    var mark = (state.Applied, state.KnownToThisBuild) switch
                    {
                        (true, true) => "applied",
                        (false, _) => "pending",
                        (true, false) => "applied, unknown to this build",
                    };
                    await output.WriteLineAsync($"{state.Id}  {mark}").ConfigureAwait(false);
                }

                return 0;
            default:
                await output.WriteLineAsync(Usage).ConfigureAwait(false);
                return 2;
        }
    }
}
