namespace Loupe.Infrastructure.Security.Secrets;

/// <summary>The <c>secrets rotate</c> command of the hosts.</summary>
public static class SecretsCli
{
    public const string Usage = "usage: secrets rotate";

    /// <returns>The process exit code: 0 when every secret is under the active key, 1 when some could not be opened.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, SecretRotation rotation, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentNullException.ThrowIfNull(output);
        if (args is not ["rotate"])
        {
            await output.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var outcome = await rotation.RotateAsync(cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync(
            $"Re-encrypted {outcome.Reencrypted}; already under the active key {outcome.AlreadyCurrent}; could not open {outcome.Unreadable}.").ConfigureAwait(false);
        return outcome.Unreadable == 0 ? 0 : 1;
    }
}
