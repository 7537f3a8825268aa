namespace Loupe.Integration.Tests.Support;

/// <summary>A migrated database of the test class's own, dropped when the class is done.</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public string Name { get; private set; } = string.Empty;

    public string AppConnection => TestPostgres.AppConnection(Name);

    public string OwnerConnection => TestPostgres.OwnerConnection(Name);

    public async ValueTask InitializeAsync() => Name = await TestPostgres.CreateMigratedDatabaseAsync();

    public async ValueTask DisposeAsync() => await TestPostgres.DropDatabaseAsync(Name);
}
