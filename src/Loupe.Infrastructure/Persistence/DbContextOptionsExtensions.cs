using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Persistence;

internal static class DbContextOptionsExtensions
{
    /// <summary>
    /// EF Core logs every failed command as an error, with its SQL, before the exception reaches
    /// the code that handles it (probing a missing history table is one). The exception carries
    /// the failure; the duplicate log line is kept at debug level.
    /// </summary>
    public static DbContextOptionsBuilder QuietCommandErrors(this DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug)));

    public static DbContextOptionsBuilder<T> QuietCommandErrors<T>(this DbContextOptionsBuilder<T> options)
        where T : DbContext =>
        (DbContextOptionsBuilder<T>)((DbContextOptionsBuilder)options).QuietCommandErrors();
}
