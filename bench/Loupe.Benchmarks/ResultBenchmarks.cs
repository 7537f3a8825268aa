using System.Diagnostics;
using System.Globalization;
using Loupe.Application.Common.Results;
using Npgsql;
using static Loupe.Benchmarks.Figures;

namespace Loupe.Benchmarks;

/// <summary>
/// Stored results (docs/quality-targets.md): P5 CSV export against <c>psql \copy … to stdout csv</c>, P6 peak memory of a
/// run and export of N rows against one of N/10 rows, P7 page latency against OFFSET/LIMIT on the
/// source table, the write path against the connector alone, and the chunk codecs side by side.
/// </summary>
internal static class ResultBenchmarks
{
    private const int ExportRepeats = 5;
    private const int MemoryRepeats = 5;
    private const int PageSize = 1_000;
    private const int PageSamples = 200;
    private const int PageWarmUp = 20;

    public static async Task<int> RunAsync(BenchSettings settings)
    {
        var rows = settings.Rows;
        Console.WriteLine($"== results: stored results (ADR 0022), {rows:N0} rows x 6 columns (int, bigint, numeric, text, timestamptz, bool) ==");
        var database = await BenchDatabase.CreateAsync(settings, rows);
        try
        {
            await using var services = LoupeServices.For(database);
            var runId = await database.NewRunAsync();
            await MeasureStoreAsync(services, runId, rows);
            await MeasureCsvExportAsync(services, database, runId, rows);
            await MeasurePeakMemoryAsync(database, rows);
            await MeasurePagesAsync(services, database, runId, rows);
            await CodecComparison.RunAsync(database, Math.Min(rows, 200_000));
        }
        finally
        {
            await database.DropAsync();
        }

        return 0;
    }

    /// <summary>P6's child: one fresh process that stores and exports <paramref name="rows"/> rows, then reports its peak working set.</summary>
    public static async Task<int> RunMemoryChildAsync(BenchSettings settings, string databaseName, Guid organizationId, Guid dataSourceId, int rows)
    {
        var database = BenchDatabase.Existing(settings, databaseName, organizationId, dataSourceId);
        await using var services = LoupeServices.For(database);
        var runId = await database.NewRunAsync();
        await StoreAsync(services, runId, rows);
        var exported = await ExportAsync(services, runId, ResultFormat.Csv);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak_working_set={process.PeakWorkingSet64} exported_bytes={exported}"));
        return 0;
    }

    private static async Task MeasureStoreAsync(LoupeServices services, Guid runId, int rows)
    {
        var baseline = Stopwatch.StartNew();
        var counted = await services.Connector.ExecuteAsync(services.Target, LoupeServices.SourceRows(rows), DiscardingSink.Instance, CancellationToken.None);
        baseline.Stop();

        var (stored, elapsed) = await StoreAsync(services, runId, rows);
        Console.WriteLine(
            $"store   Loupe writer fed by the connector: {Seconds(elapsed)} ({stored.ChunkCount:N0} chunks, {Megabytes(stored.StoredBytes)} stored)" +
            $" | baseline: the connector into a no-op sink {Seconds(baseline.Elapsed)} ({counted.RowCount:N0} rows)" +
            $" | overhead ratio {Ratio(elapsed, baseline.Elapsed)}");
    }

    private static async Task MeasureCsvExportAsync(LoupeServices services, BenchDatabase database, Guid runId, int rows)
    {
        await ExportAsync(services, runId, ResultFormat.Csv);
        var loupe = new List<TimeSpan>();
        long loupeBytes = 0;
        for (var i = 0; i < ExportRepeats; i++)
        {
            var watch = Stopwatch.StartNew();
            loupeBytes = await ExportAsync(services, runId, ResultFormat.Csv);
            loupe.Add(watch.Elapsed);
        }

        var copy = $"\\copy (SELECT {BenchDatabase.SourceColumns} FROM bench_source WHERE id <= {rows} ORDER BY id) to stdout with (format csv, header)";
        await Psql.RunAsync(database, copy);
        var psql = new List<TimeSpan>();
        for (var i = 0; i < ExportRepeats; i++)
        {
            psql.Add(await Psql.RunAsync(database, copy));
        }

        var psqlBytes = await Psql.CountOutputBytesAsync(database, copy);
        var json = Stopwatch.StartNew();
        var jsonBytes = await ExportAsync(services, runId, ResultFormat.Json);
        json.Stop();

        var loupeMedian = Median(loupe);
        var psqlMedian = Median(psql);
        Console.WriteLine(
            $"P5      CSV export: Loupe {Seconds(loupeMedian)} (median of {ExportRepeats}, {Megabytes(loupeBytes)})" +
            $" | baseline psql \\copy to stdout csv > /dev/null {Seconds(psqlMedian)} (median of {ExportRepeats}, {Megabytes(psqlBytes)})" +
            $" | speed ratio {Ratio(psqlMedian, loupeMedian)} (target >= 0.50)");
        Console.WriteLine($"        JSON export (for reference): {Seconds(json.Elapsed)} ({Megabytes(jsonBytes)})");
    }

    private static async Task MeasurePeakMemoryAsync(BenchDatabase database, int rows)
    {
        // A process's peak working set moves by 10-20 MB from one start to the next (when the collector
        // happens to run): the median of several fresh processes of each size, started in turn.
        var small = rows / 10;
        var smallPeaks = new List<long>();
        var largePeaks = new List<long>();
        for (var i = 0; i < MemoryRepeats; i++)
        {
            smallPeaks.Add(await MemoryChildAsync(database, small));
            largePeaks.Add(await MemoryChildAsync(database, rows));
        }

        var smallPeak = Median(smallPeaks);
        var largePeak = Median(largePeaks);
        Console.WriteLine(
            $"P6      peak working set of a fresh process storing and exporting: {rows:N0} rows {Megabytes(largePeak)}" +
            $" | baseline {small:N0} rows {Megabytes(smallPeak)}" +
            $" | ratio {Ratio(largePeak, smallPeak)} (target <= 1.20; medians of {MemoryRepeats} processes each)");
        Console.WriteLine(
            $"        every process: {rows:N0} rows {string.Join(", ", largePeaks.Select(Megabytes))}; {small:N0} rows {string.Join(", ", smallPeaks.Select(Megabytes))}");
    }

    private static async Task MeasurePagesAsync(LoupeServices services, BenchDatabase database, Guid runId, int rows)
    {
        var random = new Random(7);
        var offsets = Enumerable.Range(0, PageWarmUp + PageSamples).Select(_ => (long)random.Next(0, Math.Max(1, rows - PageSize))).ToArray();

        var loupe = new List<TimeSpan>();
        foreach (var (offset, i) in offsets.Select((o, i) => (o, i)))
        {
            var watch = Stopwatch.StartNew();
            var page = await services.Store.ReadPageAsync(runId, 1, offset, PageSize, CancellationToken.None)
                ?? throw new InvalidOperationException("The stored result is missing.");
            watch.Stop();
            if (page.Rows.Count != Math.Min(PageSize, rows - offset))
            {
                throw new InvalidOperationException("A page came back short.");
            }

            if (i >= PageWarmUp)
            {
                loupe.Add(watch.Elapsed);
            }
        }

        var baseline = new List<TimeSpan>();
        await using var source = NpgsqlDataSource.Create(database.OwnerConnection);
        foreach (var (offset, i) in offsets.Select((o, i) => (o, i)))
        {
            var watch = Stopwatch.StartNew();
            await using (var connection = await source.OpenConnectionAsync())
            await using (var command = new NpgsqlCommand($"SELECT {BenchDatabase.SourceColumns} FROM bench_source ORDER BY id OFFSET $1 LIMIT {PageSize}", connection))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
                await using var reader = await command.ExecuteReaderAsync();
                var values = new object[reader.FieldCount];
                while (await reader.ReadAsync())
                {
                    reader.GetValues(values);
                }
            }

            watch.Stop();
            if (i >= PageWarmUp)
            {
                baseline.Add(watch.Elapsed);
            }
        }

        Console.WriteLine(
            $"P7      {PageSize:N0}-row page of the stored result, {PageSamples} random pages: {P50P99(loupe)}" +
            $" | baseline SELECT … ORDER BY id OFFSET … LIMIT {PageSize:N0} on the source table: {P50P99(baseline)}" +
            " | target p99 < 50 ms");
    }

    private static async Task<(StoredResult Stored, TimeSpan Elapsed)> StoreAsync(LoupeServices services, Guid runId, int rows)
    {
        var watch = Stopwatch.StartNew();
        await using var writer = await services.Store.BeginAsync(runId, 1, CancellationToken.None);
        var outcome = await services.Connector.ExecuteAsync(services.Target, LoupeServices.SourceRows(rows), writer, CancellationToken.None);
        var stored = await writer.CompleteAsync(outcome, CancellationToken.None);
        return (stored, watch.Elapsed);
    }

    private static async Task<long> ExportAsync(LoupeServices services, Guid runId, ResultFormat format)
    {
        await using var output = new CountingStream();
        if (!await services.Store.ExportAsync(runId, 1, format, ExportOptions.Default, output, CancellationToken.None))
        {
            throw new InvalidOperationException("The stored result is missing.");
        }

        return output.Length;
    }

    private static async Task<long> MemoryChildAsync(BenchDatabase database, int rows)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("No process path."))
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ResultBenchmarks).Assembly.Location);
        }

        foreach (var argument in new[] { "results-memory-child", database.Name, database.OrganizationId.ToString(), database.DataSourceId.ToString(), rows.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("The memory benchmark could not start its child process.");
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("peak_working_set=", StringComparison.Ordinal));
        if (child.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"The memory benchmark child failed (exit {child.ExitCode}).");
        }

        return long.Parse(line.Split(' ')[0]["peak_working_set=".Length..], CultureInfo.InvariantCulture);
    }
}
