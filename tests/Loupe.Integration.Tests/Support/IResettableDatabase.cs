using System.Diagnostics;
using System.Globalization;

namespace Loupe.Integration.Tests.Support;

/// <summary>A class fixture whose database the tests of a class share, and which can be emptied between them.</summary>
public interface IResettableDatabase
{
    /// <summary>Takes the database back to its just-cloned state (ADR 0036).</summary>
    Task ResetAsync();
}

/// <summary>
/// The base of a test class whose tests share their class fixture's database: before each test, the
/// database is reset, so a test sees only the rows it wrote (ADR 0036). A fixture that seeds rows once
/// for the whole class does not implement <see cref="IResettableDatabase"/>, and its tests do not derive
/// from this class.
/// </summary>
public abstract class ResetBeforeEachTest(IResettableDatabase database) : IAsyncLifetime
{
    public virtual async ValueTask InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        await database.ResetAsync();

        // The reset's cost, kept with the test's output (the TRX files) for whoever measures it.
        TestContext.Current.TestOutputHelper?.WriteLine(
            string.Create(CultureInfo.InvariantCulture, $"database reset: {watch.Elapsed.TotalMilliseconds:F1} ms"));
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
