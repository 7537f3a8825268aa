using Npgsql;

namespace Loupe.Integration.Tests.ErrorReporting;

/// <summary>
/// A failure as careless code would raise it: a real PostgreSQL error (its message quotes the SQL),
/// wrapped in an exception whose message holds an e-mail address, a password and the SQL text.
/// None of them may reach the error reporter.
/// </summary>
internal static class LeakyFailure
{
    public const string Email = "ann.leaky@example.com";
    public const string Password = "hunter2-leaky-password";
    public const string Column = "leaky_secret_column";
    public const string Sql = $"SELECT {Column} FROM users WHERE email = @email AND password_hash = @password";

    /// <summary>What every reported event is searched for: none of it may appear.</summary>
    public static readonly string[] Secrets = [Email, Uri.EscapeDataString(Email), Password, Column, "SELECT", "password_hash"];

    public static async Task ThrowAsync(string connectionString, string email, string password)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("password", password);
        try
        {
            await command.ExecuteScalarAsync();
        }
        catch (PostgresException postgres)
        {
            throw new InvalidOperationException($"Looking up {email} with password {password} failed: {Sql}", postgres);
        }

        throw new ShouldAssertException("The query was meant to fail.");
    }
}
