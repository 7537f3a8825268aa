using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Loupe.Infrastructure.Configuration;

/// <summary>Reads every file named by a <c>Section__Key_FILE</c> variable once, when configuration is built.</summary>
public sealed class SecretFilesConfigurationProvider(IDictionary variables) : ConfigurationProvider
{
    public const string Suffix = "_FILE";

    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is not string variable || !IsSecretFileVariable(variable))
            {
                continue;
            }

            var key = variable[..^Suffix.Length].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            data[key] = ReadSecret(variable, entry.Value as string);
        }

        Data = data;
    }

    /// <summary>
    /// <c>Section__Key_FILE</c> only: the machine's own <c>X_FILE</c> variables (<c>SSL_CERT_FILE</c>
    /// and the like) name no section and are none of Loupe's business. Every Loupe secret lives in a section.
    /// </summary>
    public static bool IsSecretFileVariable(string variable) =>
        variable.EndsWith(Suffix, StringComparison.Ordinal)
        && variable.IndexOf("__", StringComparison.Ordinal) is > 0 and var separator
        && separator + 2 < variable.Length - Suffix.Length;

    private static string ReadSecret(string variable, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new SecretFileException(variable, "it names no file");
        }

        try
        {
            return TrimFinalNewline(File.ReadAllText(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // The reason names the path at most, never the content.
            throw new SecretFileException(variable, $"{path} cannot be read ({exception.GetType().Name})");
        }
    }

    /// <summary><c>echo secret &gt; file</c> adds one newline; anything else in the file is the secret.</summary>
    private static string TrimFinalNewline(string content)
    {
        if (content.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return content[..^2];
        }

        return content.EndsWith('\n') ? content[..^1] : content;
    }
}

/// <summary>A secret file that cannot be used: the host must not start without the setting.</summary>
public sealed class SecretFileException(string variable, string reason)
    : InvalidOperationException($"Loupe cannot start: the secret file of {variable} is unusable: {reason}.")
{
    public string Variable { get; } = variable;
}
