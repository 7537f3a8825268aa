using System.Runtime.InteropServices;
using Loupe.Application.Common.Connectors;
using Loupe.Domain.DataSources;

namespace Loupe.Infrastructure.Connectors.Sqlite;

/// <summary>
/// Finds a SQLite data source's file: its relative path inside the configured data folder, followed
/// the way the kernel follows it, symbolic link by symbolic link, to a real path that holds no link.
/// Only a regular file whose real path lies inside the folder's real path is accepted, so neither
/// <c>..</c> nor a link (to a file or to a directory, at any depth) leads out of the folder; a link
/// that stays inside it is followed. SQLite is then given the real path, never the one typed.
/// Every refusal is a <see cref="QueryExecutionException"/> whose message names the relative path
/// only, never the folder.
/// </summary>
internal static partial class SqliteFiles
{
    /// <summary>As Linux's <c>MAXSYMLINKS</c>: more links than this on one path is a loop.</summary>
    private const int MaxLinkHops = 40;

    /// <summary>The real path of the data source's file, ready to open, and the folder's.</summary>
    /// <param name="folder">The configured <c>DataSources:SqliteFolder</c>, an absolute path, or none.</param>
    /// <param name="relativePath">The data source's <see cref="ConnectionSettings.Path"/>.</param>
    /// <exception cref="QueryExecutionException">SQLite is not enabled, or the path is refused (see <see cref="SqliteErrors"/>).</exception>
    public static SqliteFile Resolve(string? folder, string? relativePath)
    {
        if (string.IsNullOrEmpty(folder))
        {
            throw SqliteErrors.NotEnabled();
        }

        // The domain refuses such paths already; settings read back from storage are checked again.
        if (relativePath is null || ConnectionSettings.CheckSqlite(relativePath).Count > 0)
        {
            throw SqliteErrors.PathNotRelative();
        }

        string realFolder;
        string realFile;
        try
        {
            realFolder = RealPath(folder);
            if (!Directory.Exists(realFolder))
            {
                throw SqliteErrors.FolderMissing();
            }

            realFile = RealPath(Path.Join(realFolder, relativePath));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A link loop, or a component that may not be read: the file cannot be reached.
            throw SqliteErrors.FileMissing(relativePath);
        }

        if (!IsInside(realFile, realFolder))
        {
            throw SqliteErrors.PathOutsideFolder(relativePath);
        }

        return Kind(realFile) switch
        {
            FileKind.Regular => new SqliteFile(relativePath, realFile, realFolder),
            FileKind.Missing => throw SqliteErrors.FileMissing(relativePath),
            _ => throw SqliteErrors.NotAFile(relativePath),
        };
    }

    /// <summary>
    /// <paramref name="path"/> (absolute) with every symbolic link replaced by its target, component by
    /// component from the root, as <c>realpath(3)</c> does: <c>..</c> after a link climbs from the link's
    /// target, not from the link. Components that do not exist are kept as they are.
    /// </summary>
    /// <exception cref="IOException">More than 40 links, or a link that could not be read.</exception>
    internal static string RealPath(string path)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException("The path must be absolute.", nameof(path));
        }

        var root = Path.GetPathRoot(path)!;
        var pending = new Stack<string>();
        Push(pending, path[root.Length..]);
        var resolved = root;
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? root;
                continue;
            }

            var next = Path.Join(resolved, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                resolved = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException("Too many levels of symbolic links.");
            }

            if (Path.IsPathRooted(target))
            {
                resolved = Path.GetPathRoot(target)!;
                target = target[resolved.Length..];
            }

            // A relative target is read from the link's folder, which is `resolved` still.
            Push(pending, target);
        }

        return resolved;
    }

    internal static bool IsInside(string realPath, string realFolder)
    {
        var prefix = Path.EndsInDirectorySeparator(realFolder) ? realFolder : realFolder + Path.DirectorySeparatorChar;
        return realPath.Length > prefix.Length && realPath.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static void Push(Stack<string> pending, string relative)
    {
        var parts = relative.Split(
            [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }

    private static FileKind Kind(string realPath)
    {
        if (Directory.Exists(realPath))
        {
            return FileKind.Other;
        }

        if (!File.Exists(realPath))
        {
            return FileKind.Missing;
        }

        // .NET tells a directory from anything else only; a FIFO or a device would block or mislead SQLite.
        return OperatingSystem.IsLinux() ? LinuxKind(realPath) : FileKind.Regular;
    }

    private static FileKind LinuxKind(string realPath)
    {
        const int AtCurrentDirectory = -100;
        const int AtSymlinkNoFollow = 0x100;
        const uint StatxType = 0x1;
        const int ModeOffset = 28;
        const int TypeMask = 0xF000;
        const int RegularFile = 0x8000;

        Span<byte> buffer = stackalloc byte[256];
        try
        {
            if (Statx(AtCurrentDirectory, realPath, AtSymlinkNoFollow, StatxType, buffer) != 0)
            {
                return FileKind.Missing;
            }
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without statx (musl before 1.2.5): what .NET tells is all there is.
            return FileKind.Regular;
        }

        var mode = MemoryMarshal.Read<ushort>(buffer[ModeOffset..]);
        return (mode & TypeMask) == RegularFile ? FileKind.Regular : FileKind.Other;
    }

    /// <summary>
    /// <c>int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)</c>
    /// (Linux 4.11, glibc 2.28): <c>struct statx</c> has one layout on every architecture, 256 bytes,
    /// with the 16-bit <c>stx_mode</c> at byte 28.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, Span<byte> buffer);

    private enum FileKind
    {
        Missing,
        Regular,
        Other,
    }
}

/// <summary>A data source's file: the path it was given as, and the real paths of the file and its folder (never shown).</summary>
internal sealed record SqliteFile(string RelativePath, string RealPath, string RealFolder)
{
    /// <summary>The relative path only.</summary>
    public override string ToString() => RelativePath;
}
