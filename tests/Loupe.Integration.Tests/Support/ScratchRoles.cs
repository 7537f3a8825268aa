using Npgsql;

namespace Loupe.Integration.Tests.Support;

/// <summary>
/// Login roles a single test creates on the test server (named <c>loupe_role_…</c>, which the guard
/// corpus snapshot leaves out as other classes create them meanwhile), all dropped when the test ends.
/// </summary>
public sealed class ScratchRoles : IAsyncDisposable
{
    private readonly List<string> _names = [];

    /// <summary>A LOGIN role with a password and <paramref name="options"/> (e.g. <c>IN ROLE pg_read_server_files</c>).</summary>
    public async Task<(string Name, string Password)> CreateAsync(string options = "")
    {
        var name = $"loupe_role_{Guid.NewGuid():N}";
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await TestPostgres.ExecuteAdminAsync($"CREATE ROLE {name} LOGIN PASSWORD '{password}' {options}");
        _names.Add(name);
        return (name, password);
    }

    /// <summary>A connection string for <paramref name="role"/> to <paramref name="database"/> on the test server.</summary>
    public static string ConnectionFor((string Name, string Password) role, string database) =>
        new NpgsqlConnectionStringBuilder(TestPostgres.AdminConnection) { Database = database, Username = role.Name, Password = role.Password }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in _names)
        {
            await TestPostgres.ExecuteAdminAsync($"DROP ROLE IF EXISTS {name}");
        }
    }
}
