using System.Security.Cryptography;
using System.Text;

namespace Loupe.Application.Runs;

/// <summary>Runs answer the same question when they have the same data source, SQL text and parameter values.</summary>
public static class RunCacheKey
{
    public static string Of(Guid dataSourceId, string sql, string parameterValues)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(parameterValues);
        var text = $"{dataSourceId:N}\n{sql.Length}\n{sql}\n{parameterValues}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
