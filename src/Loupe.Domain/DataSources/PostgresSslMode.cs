namespace Loupe.Domain.DataSources;

/// <summary>How a PostgreSQL connection uses TLS; the names on the wire are libpq's (<c>verify-full</c>).</summary>
public enum PostgresSslMode
{
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}
