using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Loupe.Application.Common.Security;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Security.Tokens;

/// <summary>
/// <c>{prefix}_{HMAC-SHA256(k, presented) in base64url}</c>, where <c>k</c> is derived from
/// <c>Auth:SigningKey</c> for this purpose only. The result has the form and the 256 bits of an
/// <see cref="OpaqueTokens"/> token; only someone holding both the presented token and the signing
/// key (who could sign access tokens anyway) can compute it.
/// </summary>
internal sealed class RefreshTokenSuccessors(IOptions<AuthOptions> options, IOpaqueTokens opaqueTokens) : IRefreshTokenSuccessors
{
    private static readonly byte[] Purpose = Encoding.UTF8.GetBytes("loupe/refresh-token-successor/v1");

    private readonly byte[] _key = HMACSHA256.HashData(options.Value.SigningKeyBytes(), Purpose);

    public OpaqueToken SuccessorOf(string prefix, string presentedToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentNullException.ThrowIfNull(presentedToken);
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(presentedToken));
        var value = $"{prefix}_{Base64Url.EncodeToString(mac)}";
        CryptographicOperations.ZeroMemory(mac);
        return new OpaqueToken(value, opaqueTokens.HashOf(value));
    }
}
