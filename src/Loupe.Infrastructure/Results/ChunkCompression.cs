using System.IO.Compression;

namespace Loupe.Infrastructure.Results;

/// <summary>
/// A stored chunk (<c>run_result_chunks.data</c>, ADR 0022): one format byte (<c>1</c>: raw deflate), the
/// length of the cells as a varint, then the cells compressed with deflate at
/// <see cref="CompressionLevel.Fastest"/>.
/// </summary>
internal static class ChunkCompression
{
    public const byte DeflateFormat = 1;

    /// <summary>Compresses <paramref name="cells"/> into <paramref name="destination"/>, replacing what it held.</summary>
    public static void Compress(ReadOnlySpan<byte> cells, MemoryStream destination)
    {
        destination.SetLength(0);
        Span<byte> header = stackalloc byte[6];
        header[0] = DeflateFormat;
        var headerLength = 1 + CellEncoding.WriteVarint(header[1..], (uint)cells.Length);
        destination.Write(header[..headerLength]);
        using var deflate = new DeflateStream(destination, CompressionLevel.Fastest, leaveOpen: true);
        deflate.Write(cells);
    }

    /// <summary>
    /// Reads the header of one stored chunk from <paramref name="source"/> and answers the cells' length and a
    /// stream that inflates them (the caller disposes it; <paramref name="source"/> stays open).
    /// </summary>
    /// <exception cref="InvalidDataException">The chunk is of an unknown format.</exception>
    public static async ValueTask<(int Length, Stream Cells)> OpenAsync(Stream source, CancellationToken ct)
    {
        var header = new byte[1];
        if (await source.ReadAsync(header, ct).ConfigureAwait(false) != 1 || header[0] != DeflateFormat)
        {
            throw new InvalidDataException("A stored result chunk has an unknown format.");
        }

        var length = await ReadVarintAsync(source, header, ct).ConfigureAwait(false);
        return (length, new DeflateStream(source, CompressionMode.Decompress, leaveOpen: true));
    }

    /// <summary>Reads one stored chunk from <paramref name="source"/> into <paramref name="cells"/>; answers the cells' length.</summary>
    /// <exception cref="InvalidDataException">The chunk is of an unknown format or cut short.</exception>
    public static async ValueTask<int> DecompressAsync(Stream source, ChunkBuffer cells, CancellationToken ct)
    {
        var (length, deflate) = await OpenAsync(source, ct).ConfigureAwait(false);
        await using (deflate.ConfigureAwait(false))
        {
            var destination = cells.Reserve(length);
            var read = await deflate.ReadAtLeastAsync(destination, length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (read != length)
            {
                throw new InvalidDataException("A stored result chunk is shorter than its header says.");
            }
        }

        return length;
    }

    private static async ValueTask<int> ReadVarintAsync(Stream source, byte[] scratch, CancellationToken ct)
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (await source.ReadAsync(scratch.AsMemory(0, 1), ct).ConfigureAwait(false) != 1)
            {
                break;
            }

            value |= (uint)(scratch[0] & 0x7F) << shift;
            if (scratch[0] < 0x80)
            {
                return value <= int.MaxValue ? (int)value : throw new InvalidDataException("A stored result chunk holds a malformed length.");
            }
        }

        throw new InvalidDataException("A stored result chunk holds a malformed length.");
    }
}
