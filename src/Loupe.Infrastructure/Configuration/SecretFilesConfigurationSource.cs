using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Loupe.Infrastructure.Configuration;

/// <summary>
/// Settings given as files (Docker secrets): an environment variable <c>X_FILE</c> names a file whose
/// content becomes the setting <c>X</c>, with <c>__</c> read as the section separator, so
/// <c>Auth__SigningKey_FILE=/run/secrets/jwt</c> sets <c>Auth:SigningKey</c>. Only names with a
/// section count (see <see cref="SecretFilesConfigurationProvider.IsSecretFileVariable"/>).
/// </summary>
public sealed class SecretFilesConfigurationSource : IConfigurationSource
{
    /// <summary>The variables to read; the process environment when null (tests pass their own).</summary>
    public IDictionary? Variables { get; init; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) =>
        new SecretFilesConfigurationProvider(Variables ?? Environment.GetEnvironmentVariables());
}
