namespace Loupe.Integration.Tests.Support;

/// <summary>Databases a single test creates for itself (empty or migrated), all dropped when the test ends.</summary>
public sealed class ScratchDatabases : IAsyncDisposable
{
    private readonly List<string> _names = [];

    public Task<string> EmptyAsync() => TrackAsync(TestPostgres.CreateEmptyDatabaseAsync());

    public Task<string> MigratedAsync() => TrackAsync(TestPostgres.CreateMigratedDatabaseAsync());

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _names)
        {
            await TestPostgres.DropDatabaseAsync(name);
        }
    }

    private async Task<string> TrackAsync(Task<string> creating)
    {
        var name = await creating;
        _names.Add(name);
        return name;
    }
}
