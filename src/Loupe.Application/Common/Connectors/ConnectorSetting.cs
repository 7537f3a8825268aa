namespace Loupe.Application.Common.Connectors;

/// <summary>The JSON type of a connector setting, as the API takes it: a string or an integer.</summary>
public enum ConnectorSettingType
{
    Text,
    WholeNumber,
}

/// <summary>
/// One setting a connector takes in <c>settings</c> when a data source is created or changed: its wire
/// name, JSON type, whether it must be given, its default, whether it is a secret (sent, never
/// answered), and its bounds (allowed values, length or range). Each connector declares its own, next
/// to the code that reads them, and <c>GET /datasources/types</c> answers them.
/// </summary>
public sealed record ConnectorSetting(
    string Name,
    ConnectorSettingType Type,
    bool Required,
    string Description,
    object? Default = null,
    bool Secret = false,
    IReadOnlyList<string>? AllowedValues = null,
    int? MaxLength = null,
    int? Minimum = null,
    int? Maximum = null);
