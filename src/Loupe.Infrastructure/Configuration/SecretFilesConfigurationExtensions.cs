using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Loupe.Infrastructure.Configuration;

public static class SecretFilesConfigurationExtensions
{
    /// <summary>
    /// Adds the settings given as <c>X_FILE</c> variables. Call it after the other sources: a secret
    /// file wins over the same key set any other way.
    /// </summary>
    public static IConfigurationBuilder AddSecretFiles(this IConfigurationBuilder builder, IDictionary? variables = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new SecretFilesConfigurationSource { Variables = variables });
    }
}
