using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Loupe.Benchmarks;

/// <summary>CPU used between two readings: by this process, by the bench's PostgreSQL, and by the whole machine.</summary>
internal sealed record CpuUse(TimeSpan Wall, TimeSpan Loupe, TimeSpan Postgres, TimeSpan MachineBusy, int Cores)
{
    /// <summary>Everything else on the machine (other users of a shared machine, the kernel's own work).</summary>
    public TimeSpan Others => MachineBusy - Loupe - Postgres is var rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero;

    /// <summary>"CPU per item: this process … ms, PostgreSQL … ms; machine busy … of N cores (other processes …)".</summary>
    public string Describe(int items, string item) =>
        $"CPU per {item}: this process {PerItem(Loupe, items)}, PostgreSQL {PerItem(Postgres, items)}; " +
        $"machine busy {Figures.Percent(MachineBusy / (Wall * Cores))} of {Cores} cores (other processes {Figures.Percent(Others / (Wall * Cores))})";

    private static string PerItem(TimeSpan total, int items) =>
        (total.TotalMilliseconds / items).ToString("0.00 ms", CultureInfo.InvariantCulture);
}

/// <summary>
/// Reads CPU times from /proc (Linux): this process's, the PostgreSQL server's (its postmaster, the
/// children it already reaped, and its live backends), and the machine's busy time. Elsewhere it
/// reads nothing and the benchmarks print no CPU line.
/// </summary>
internal sealed class CpuMeter
{
    /// <summary>USER_HZ: the unit of /proc's CPU times, 100 on every Linux build this runs on.</summary>
    private const double TicksPerSecond = 100;

    private readonly int _postmaster;

    /// <summary>The CPUs /proc/stat counts (those the machine's busy time is spread over).</summary>
    private readonly int _cores = File.ReadLines("/proc/stat").Count(l => l.Length > 3 && l.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(l[3]));

    private CpuMeter(int postmaster) => _postmaster = postmaster;

    /// <summary>A meter for the server <paramref name="connectionString"/> reaches; null when /proc cannot tell.</summary>
    public static async Task<CpuMeter?> ForServerAsync(string connectionString)
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        return Stat(backend) is { } stat ? new CpuMeter(stat.ParentId) : null;
    }

    public Reading Read()
    {
        using var self = Process.GetCurrentProcess();
        var postgres = 0L;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Stat(pid) is { } stat && (pid == _postmaster || stat.ParentId == _postmaster))
            {
                postgres += stat.OwnTicks + stat.ReapedChildrenTicks;
            }
        }

        return new Reading(Stopwatch.GetTimestamp(), self.TotalProcessorTime, Ticks(postgres), MachineBusy(), _cores);
    }

    public static CpuUse Between(Reading start, Reading end) => new(
        Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp),
        end.Loupe - start.Loupe,
        end.Postgres - start.Postgres,
        end.MachineBusy - start.MachineBusy,
        end.Cores);

    private static TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);

    /// <summary>Busy time of all CPUs: the first line of /proc/stat without idle and iowait.</summary>
    private static TimeSpan MachineBusy()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return Ticks(ticks.Sum() - ticks[3] - ticks[4]);
    }

    /// <summary>/proc/PID/stat: parent, own user + system ticks, and those of reaped children; null when the process is gone.</summary>
    private static ProcessStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcessStat((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }

    public readonly record struct Reading(long Timestamp, TimeSpan Loupe, TimeSpan Postgres, TimeSpan MachineBusy, int Cores);

    private sealed record ProcessStat(int ParentId, long OwnTicks, long ReapedChildrenTicks);
}
