using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Loupe.Application.Common.Connectors;
using Loupe.Infrastructure.Results;
using Npgsql;

namespace Loupe.Benchmarks;

/// <summary>
/// The codecs ADR 0022 chose between, on real chunks (cells of the bench rows, 2,000 rows a chunk): size,
/// compression and decompression throughput, one chunk at a time as the store works.
/// </summary>
internal static class CodecComparison
{
    private const int Repeats = 3;

    public static async Task RunAsync(BenchDatabase database, int rows)
    {
        var chunks = await ChunksAsync(database, rows);
        var raw = chunks.Sum(c => (long)c.Length);
        Console.WriteLine($"codec   {chunks.Count} chunks of {rows:N0} bench rows, {raw / 1_000_000.0:0.0} MB of cells; compression one chunk at a time, best of {Repeats}:");
        Measure("deflate, CompressionLevel.Fastest (chosen)", chunks, raw, s => new DeflateStream(s, CompressionLevel.Fastest, true), s => new DeflateStream(s, CompressionMode.Decompress, true));
        Measure("zlib, CompressionLevel.Fastest", chunks, raw, s => new ZLibStream(s, CompressionLevel.Fastest, true), s => new ZLibStream(s, CompressionMode.Decompress, true));
        Measure("brotli, quality 1", chunks, raw, s => new BrotliStream(s, new BrotliCompressionOptions { Quality = 1 }, true), s => new BrotliStream(s, CompressionMode.Decompress, true));
        Measure("deflate, CompressionLevel.Optimal", chunks, raw, s => new DeflateStream(s, CompressionLevel.Optimal, true), s => new DeflateStream(s, CompressionMode.Decompress, true));
    }

    private static void Measure(string name, List<byte[]> chunks, long raw, Func<Stream, Stream> compressor, Func<Stream, Stream> decompressor)
    {
        var compressed = new List<byte[]>(chunks.Count);
        var bestCompress = TimeSpan.MaxValue;
        var bestDecompress = TimeSpan.MaxValue;
        var output = new MemoryStream();
        var buffer = new byte[chunks.Max(c => c.Length)];
        for (var repeat = 0; repeat < Repeats; repeat++)
        {
            compressed.Clear();
            var watch = Stopwatch.StartNew();
            foreach (var chunk in chunks)
            {
                output.SetLength(0);
                using (var stream = compressor(output))
                {
                    stream.Write(chunk);
                }

                compressed.Add(output.ToArray());
            }

            bestCompress = Min(bestCompress, watch.Elapsed);
            watch.Restart();
            for (var i = 0; i < compressed.Count; i++)
            {
                using var stream = decompressor(new MemoryStream(compressed[i]));
                stream.ReadExactly(buffer, 0, chunks[i].Length);
            }

            bestDecompress = Min(bestDecompress, watch.Elapsed);
        }

        var size = compressed.Sum(c => (long)c.Length);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"        {name,-45} size {100.0 * size / raw,5:0.0} % | compress {raw / 1_000_000.0 / bestCompress.TotalSeconds,6:0} MB/s | decompress {raw / 1_000_000.0 / bestDecompress.TotalSeconds,6:0} MB/s"));
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The bench rows as the writer encodes them, chunk by chunk.</summary>
    private static async Task<List<byte[]>> ChunksAsync(BenchDatabase database, int rows)
    {
        var chunks = new List<byte[]>();
        var builder = new ChunkBuilder();
        await using var connection = new NpgsqlConnection(database.OwnerConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {BenchDatabase.SourceColumns} FROM bench_source WHERE id <= {rows} ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        builder.UseColumns(Enumerable.Range(0, reader.FieldCount).Select(i => new QueryColumn(reader.GetName(i), reader.GetDataTypeName(i))).ToList());
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            builder.Add(row);
            if (builder.IsFull)
            {
                chunks.Add(builder.Cells.ToArray());
                builder.Clear();
            }
        }

        if (builder.RowCount > 0)
        {
            chunks.Add(builder.Cells.ToArray());
        }

        return chunks;
    }
}
