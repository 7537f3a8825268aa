using FsCheck;
using FsCheck.Fluent;
using Loupe.Application.Common.Connectors;
using Loupe.Infrastructure.Results;

namespace Loupe.Integration.Tests.StoredResults;

/// <summary>The chunk layout and its compression, without a database: cells come back as they went in.</summary>
public sealed class ChunkCodecTests
{
    [Fact]
    public void AnyRowsOfTextAndNulls_EncodedAndCompressed_DecodeToTheSameCells()
    {
        var rows = Gen.Choose(1, 6).SelectMany(columns => ResultGenerators.Cell.ArrayOf(columns).ArrayOf().Select(r => (columns, r)));

        Prop.ForAll(rows.ToArbitrary(), table =>
        {
            var (columns, cells) = table;
            var decoded = RoundTrip(Enumerable.Repeat(new QueryColumn("c", "text"), columns).ToArray(), cells.Select(r => r.Cast<object?>().ToArray()));
            return decoded.Count == cells.Length && decoded.Zip(cells).All(pair => pair.First.SequenceEqual(pair.Second));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void AnyMixOfValues_DecodesToTheirCanonicalText()
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

        Prop.ForAll(value.ArrayOf(3).ArrayOf().ToArbitrary(), rows =>
        {
            var decoded = RoundTrip([new("a", "unknown"), new("b", "unknown"), new("c", "unknown")], rows);
            var expected = rows.Select(r => r.Select(v => v is null ? null : CellText.ToText(v, TextKind.Plain)).ToArray());
            return decoded.Zip(expected).All(pair => pair.First.SequenceEqual(pair.Second));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
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
}
