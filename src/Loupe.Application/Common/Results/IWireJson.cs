namespace Loupe.Application.Common.Results;

/// <summary>
/// Writes a response body as the API writes every answer (snake_case, UTC timestamps, enums as
/// names), for answers kept ready as bytes: a cached dashboard is served without serializing again.
/// </summary>
public interface IWireJson
{
    byte[] SerializeToUtf8Bytes<T>(T value);
}
