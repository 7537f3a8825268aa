namespace Loupe.Integration.Tests.Support;

/// <summary>
/// A migrated database of the test class's own, dropped when the class is done. The class's tests
/// share it; a class deriving from <see cref="ResetBeforeEachTest"/> has it emptied before each test.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime, IResettableDatabase
{
    public string Name { get; private set; } = string.Empty;

    public string AppConnection => TestPostgres.AppConnection(Name);

    public string OwnerConnection => TestPostgres.OwnerConnection(Name);

    public async ValueTask InitializeAsync() => Name = await TestPostgres.CreateMigratedDatabaseAsync();

    public Task ResetAsync() => DatabaseReset.ResetAsync(OwnerConnection);

    public async ValueTask DisposeAsync() => await TestPostgres.DropDatabaseAsync(Name);
}
