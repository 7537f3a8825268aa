using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Connectors;
using Loupe.Infrastructure.Results;

namespace Loupe.Infrastructure.Tests.StoredResults;

/// <summary>The chunk layout and its compression, without a database: cells come back as they went in.</summary>
public sealed class ChunkCodecTests
{
    [Property(MaxTest = 300)]
    public Property AnyRowsOfTextAndNulls_EncodedAndCompressed_DecodeToTheSameCells()
    {
        var rows = Gen.Choose(1, 6).SelectMany(columns => ResultGenerators.Cell.ArrayOf(columns).ArrayOf().Select(r => (columns, r)));

        return Prop.ForAll(rows.ToArbitrary(), table =>
        {
            var (columns, cells) = table;
            var decoded = RoundTrip(Enumerable.Repeat(new QueryColumn("c", "text"), columns).ToArray(), cells.Select(r => r.Cast<object?>().ToArray()));
            return decoded.Count == cells.Length && decoded.Zip(cells).All(pair => pair.First.SequenceEqual(pair.Second));
        });
    }

    [Property(MaxTest = 300)]
    public Property AnyMixOfValues_DecodesToTheirCanonicalText()
    {
        var value = Gen.OneOf(
            ArbMap.Default.GeneratorFor<long>().Select(v => (object?)v),
            ArbMap.Default.GeneratorFor<int>().Select(v => (object?)v),
            ArbMap.Default.GeneratorFor<double>().Select(v => (object?)v),
            ArbMap.Default.GeneratorFor<decimal>().Select(v => (object?)v),
            ArbMap.Default.GeneratorFor<bool>().Select(v => (object?)v),
            ArbMap.Default.GeneratorFor<Guid>().Select(v => (object?)v),
            ArbMap.Default.GeneratorFor<byte[]>().Where(b => b is not null).Select(v => (object?)v),
            ResultGenerators.Cell.Select(v => (object?)v));

        return Prop.ForAll(value.ArrayOf(3).ArrayOf().ToArbitrary(), rows =>
        {
            var decoded = RoundTrip([new("a", "unknown"), new("b", "unknown"), new("c", "unknown")], rows);
            var expected = rows.Select(r => r.Select(v => v is null ? null : CellText.ToText(v, TextKind.Plain)).ToArray());
            return decoded.Zip(expected).All(pair => pair.First.SequenceEqual(pair.Second));
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(126)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16_383)]
    [InlineData(16_384)]
    [InlineData(2_097_152)]
    public void CellLengths_AtVarintBoundaries_DecodeExactly(int length)
    {
        var text = new string('x', length);

        var decoded = RoundTrip([new("a", "text"), new("b", "text")], [[text, null], [null, text]]);

        decoded.ShouldBe([[text, null], [null, text]]);
    }

    [Fact]
    public void ABuilderForASmallResult_StaysOffTheLargeObjectHeap()
    {
        // Warm the code path so the measured allocations are the builder's own.
        Fill(new ChunkBuilder());
        var before = GC.GetAllocatedBytesForCurrentThread();

        var builder = Fill(new ChunkBuilder());

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(64 * 1024);
        builder.RowCount.ShouldBe(3);

        static ChunkBuilder Fill(ChunkBuilder builder)
        {
            builder.UseColumns([new QueryColumn("n", "int4"), new QueryColumn("t", "text")]);
            for (var i = 0; i < 3; i++)
            {
                builder.Add([i, "row " + i]);
            }

            return builder;
        }
    }

    [Fact]
    public void AChunk_IsFullAtTwoThousandRowsOrHalfAMebibyte()
    {
        var builder = new ChunkBuilder();
        builder.UseColumns([new("n", "integer")]);
        for (var i = 0; i < ChunkBuilder.MaxRows - 1; i++)
        {
            builder.Add([i]);
        }

        builder.IsFull.ShouldBeFalse();
        builder.Add([1]);
        builder.IsFull.ShouldBeTrue();

        builder.Clear();
        builder.UseColumns([new("t", "text")]);
        builder.Add([new string('x', ChunkBuilder.MaxBytes - 10)]);
        builder.IsFull.ShouldBeFalse();
        builder.Add([new string('x', 10)]);
        builder.IsFull.ShouldBeTrue();
    }

    [Fact]
    public async Task AChunkOfAnUnknownFormatOrCutShort_IsRefused()
    {
        using var cells = new ChunkBuffer();
        using var compressed = new MemoryStream();
        ChunkCompression.Compress("\u0004abc"u8, compressed);
        var bytes = compressed.ToArray();

        await Should.ThrowAsync<InvalidDataException>(async () => await ChunkCompression.DecompressAsync(new MemoryStream([9, .. bytes[1..]]), cells, TestContext.Current.CancellationToken));
        await Should.ThrowAsync<InvalidDataException>(async () => await ChunkCompression.DecompressAsync(new MemoryStream([1, 200]), cells, TestContext.Current.CancellationToken));
        var length = await ChunkCompression.DecompressAsync(new MemoryStream(bytes), cells, TestContext.Current.CancellationToken);
        cells.Span(length).ToArray().ShouldBe("\u0004abc"u8.ToArray());
    }

    [Property(MaxTest = 300)]
    public Property AnyCells_ReadThroughTheCellReader_ComeBackWhole_OrAsTheirFirstBytes()
    {
        var table = Gen.Choose(0, 40).SelectMany(keep => ResultGenerators.Cell.ArrayOf().Select(cells => (keep, cells)));

        return Prop.ForAll(table.ToArbitrary(), input =>
        {
            var (keep, cells) = input;
            return ReadThroughCellReader(cells, keep).SequenceEqual(cells.Select(c => Expected(c, keep)), StringComparer.Ordinal);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000)]
    [InlineData(65_536)]
    public void CellsLargerThanTheWindow_AreDroppedPastTheKeptBytes_AndTheCellsAfterThemReadOn(int keep)
    {
        string?[] cells = [new string('a', 200_000), "after", null, string.Concat(Enumerable.Repeat("xyz", 70_000)), string.Empty, new string('b', 65_535), "end"];

        ReadThroughCellReader(cells, keep).ShouldBe(cells.Select(c => Expected(c, keep)));
    }

    /// <summary>
    /// However the stored bytes arrive (a network stream hands them out in pieces of any size), a cell
    /// larger than the window reads back as its first bytes and the cells after it read on, even when
    /// the window is full up to its last byte at the moment the kept prefix is taken.
    /// </summary>
    [Property(MaxTest = 60)]
    public Property HugeCells_ReadThroughTheCellReader_FromASourceOfAnyPieceSizes_ComeBackAsTheirFirstBytes()
    {
        var input = Gen.Elements(0, 5, 1_000, 65_536).SelectMany(keep =>
            Gen.Elements(1, 3, 64, 1_000, 8_192, int.MaxValue).SelectMany(piece =>
                Gen.Choose(0, 300).Select(small => (keep, piece, small))));

        return Prop.ForAll(input.ToArbitrary(), args =>
        {
            var (keep, piece, small) = args;
            string?[] cells = [new string('n', small), new string('x', 700_000), "after", string.Concat(Enumerable.Repeat("pqr", 100_000)), "end"];
            return ReadThroughCellReader(cells, keep, piece).SequenceEqual(cells.Select(c => Expected(c, keep)), StringComparer.Ordinal);
        });
    }

    [Fact]
    public async Task CellsEndingInsideACell_AreRefusedByTheCellReader()
    {
        var builder = new ChunkBuilder();
        builder.UseColumns([new("t", "text")]);
        builder.Add(["abcdef"]);
        using var compressed = new MemoryStream();

        // The header promises the cells minus their last byte.
        ChunkCompression.Compress(builder.Cells[..^1], compressed);
        compressed.Position = 0;
        var reader = new ChunkCellReader(10);
        await using (reader)
        {
            await reader.OpenAsync(compressed, TestContext.Current.CancellationToken);
            var length = await reader.NextCellAsync(TestContext.Current.CancellationToken);
            await Should.ThrowAsync<InvalidDataException>(async () => await reader.TakeAsync(length, length, TestContext.Current.CancellationToken));
        }
    }

    [Property(MaxTest = 500)]
    public Property AnyTextCutAtAnyByte_KeepsItsWholeCharacters_AndDropsAtMostOneCutCharacter()
    {
        var cut = ResultGenerators.Text.SelectMany(text => Gen.Choose(0, System.Text.Encoding.UTF8.GetByteCount(text)).Select(at => (text, at)));

        return Prop.ForAll(cut.ToArbitrary(), input =>
        {
            var utf8 = System.Text.Encoding.UTF8.GetBytes(input.text).AsSpan(0, input.at);
            var whole = PageBudget.WholeCharacters(utf8);
            var prefix = System.Text.Encoding.UTF8.GetString(utf8[..whole]);
            var atTheEnd = input.at == System.Text.Encoding.UTF8.GetByteCount(input.text);
            return whole <= input.at && input.at - whole <= 3 && (!atTheEnd || whole == input.at)
                && input.text.StartsWith(prefix, StringComparison.Ordinal) && System.Text.Encoding.UTF8.GetByteCount(prefix) == whole;
        });
    }

    /// <summary>The cell as the reader gives it with <paramref name="keep"/>: whole when it fits, else its first bytes, as text.</summary>
    private static string? Expected(string? cell, int keep)
    {
        if (cell is null)
        {
            return null;
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(cell);
        return bytes.Length <= keep ? cell : Convert.ToHexString(bytes, 0, keep);
    }

    /// <summary>
    /// The cells encoded, compressed and read back one by one, each kept whole up to <paramref name="keep"/>
    /// bytes, from a source handing out at most <paramref name="piece"/> bytes a read.
    /// </summary>
    private static List<string?> ReadThroughCellReader(string?[] cells, int keep, int piece = int.MaxValue)
    {
        var builder = new ChunkBuilder();
        builder.UseColumns([new("t", "text")]);
        foreach (var cell in cells)
        {
            builder.Add([cell]);
        }

        using var compressed = new MemoryStream();
        ChunkCompression.Compress(builder.Cells, compressed);
        compressed.Position = 0;
        using var source = new PiecewiseStream(compressed, piece);
        var read = new List<string?>();
        var reader = new ChunkCellReader(keep);
        var ct = TestContext.Current.CancellationToken;
        try
        {
            reader.OpenAsync(source, ct).AsTask().GetAwaiter().GetResult();
            foreach (var _ in cells)
            {
                var length = reader.NextCellAsync(ct).AsTask().GetAwaiter().GetResult();
                if (length < 0)
                {
                    read.Add(null);
                    continue;
                }

                var kept = reader.TakeAsync(length, Math.Min(length, keep), ct).AsTask().GetAwaiter().GetResult();
                read.Add(kept.Length == length ? System.Text.Encoding.UTF8.GetString(kept.Span) : Convert.ToHexString(kept.Span));
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return read;
    }

    private static List<string?[]> RoundTrip(QueryColumn[] columns, IEnumerable<object?[]> rows)
    {
        var builder = new ChunkBuilder();
        builder.UseColumns(columns);
        var count = 0;
        foreach (var row in rows)
        {
            builder.Add(row);
            count++;
        }

        using var compressed = new MemoryStream();
        ChunkCompression.Compress(builder.Cells, compressed);
        compressed.Position = 0;
        using var buffer = new ChunkBuffer();
        var length = ChunkCompression.DecompressAsync(compressed, buffer, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var cells = buffer.Span(length);
        var position = 0;
        var decoded = new List<string?[]>();
        for (var r = 0; r < count; r++)
        {
            var row = new string?[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                CellEncoding.ReadCell(cells, ref position, out var start, out var cellLength);
                row[c] = cellLength < 0 ? null : System.Text.Encoding.UTF8.GetString(cells.Slice(start, cellLength));
            }

            decoded.Add(row);
        }

        position.ShouldBe(length);
        return decoded;
    }

    /// <summary>A read-only stream over <paramref name="inner"/> answering each read with at most <paramref name="piece"/> bytes.</summary>
    private sealed class PiecewiseStream(Stream inner, int piece) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, piece));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
