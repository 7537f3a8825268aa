using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Connectors;
using Loupe.Application.Common.Results;
using Loupe.Infrastructure.Results;

namespace Loupe.Infrastructure.Tests.StoredResults;

/// <summary>How cells go onto the wire: JSON numbers only when a double holds them, ISO 8601 durations, CSV formula escaping.</summary>
public sealed partial class WireValueTests
{
    private const long MaxSafeInteger = 9_007_199_254_740_991;

    [Property(MaxTest = 500)]
    public Property AnInteger_IsAJsonNumber_ExactlyWhenADoubleHoldsIt()
    {
        var integers = Gen.OneOf(
            ArbMap.Default.GeneratorFor<long>(),
            Gen.Choose(-3, 3).Select(offset => MaxSafeInteger + offset),
            Gen.Choose(-3, 3).Select(offset => -MaxSafeInteger + offset));

        return Prop.ForAll(integers.ToArbitrary(), value =>
        {
            var text = Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture));
            var literal = JsonCell.IsLiteral(text, JsonKind.Integer);
            var safe = value is >= -MaxSafeInteger and <= MaxSafeInteger;
            return literal == safe && (!literal || (long)(double)value == value);
        });
    }

    [Property(MaxTest = 500)]
    public Property ADecimal_SentAsAJsonNumber_ReadsBackAsTheSameValue()
    {
        return Prop.ForAll(ArbMap.Default.GeneratorFor<decimal>().ToArbitrary(), value =>
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            var literal = JsonCell.IsLiteral(Encoding.UTF8.GetBytes(text), JsonKind.Decimal);

            // What JSON.parse does with a number: the nearest double.
            var parsed = double.Parse(text, CultureInfo.InvariantCulture);
            var sameValue = decimal.TryParse(parsed.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var back)
                && back == value;
            return literal == (SignificantDigits(text) <= 15) && (!literal || sameValue);
        });
    }

    [Theory]
    [InlineData("12.50", "Decimal", true)]
    [InlineData("123456789012345", "Decimal", true)]
    [InlineData("1234567890123456", "Decimal", false)]
    [InlineData("0.000000000000000123", "Decimal", true)]
    [InlineData("123456789.000000001", "Decimal", false)]
    [InlineData("NaN", "Decimal", false)]
    [InlineData("-Infinity", "Number", false)]
    [InlineData("5E-324", "Number", true)]
    [InlineData("9007199254740991", "Integer", true)]
    [InlineData("9007199254740992", "Integer", false)]
    [InlineData("-9223372036854775808", "Integer", false)]
    [InlineData("1.5", "Integer", true)]
    [InlineData("{\"a\": [1, 2]}", "Json", true)]
    [InlineData("\"text\"", "Json", true)]
    [InlineData("{\"a\": ", "Json", false)]
    [InlineData("1 2", "Json", false)]
    [InlineData("", "Json", false)]
    [InlineData("true", "Boolean", true)]
    [InlineData("t", "Boolean", false)]
    [InlineData("42", "String", false)]
    public void ACell_IsWrittenAsItsText_OnlyWhenJsonReadsItExactly(string text, string kind, bool literal) =>
        JsonCell.IsLiteral(Encoding.UTF8.GetBytes(text), Enum.Parse<JsonKind>(kind)).ShouldBe(literal);

    [Theory]
    [InlineData("bigint", "Integer")]
    [InlineData("INTEGER", "Integer")]
    [InlineData("integer", "Integer")]
    [InlineData("numeric(12,2)", "Decimal")]
    [InlineData("NUMERIC(10, 2)", "Decimal")]
    [InlineData("REAL", "Number")]
    [InlineData("double precision", "Number")]
    [InlineData("jsonb", "Json")]
    [InlineData("json", "Json")]
    [InlineData("json[]", "String")]
    [InlineData("text", "String")]
    public void AColumnType_OfEitherConnector_HasItsJsonKind(string typeName, string kind) =>
        ResultColumnType.JsonKindOf(typeName).ShouldBe(Enum.Parse<JsonKind>(kind));

    [Fact]
    public void AJsonCell_NestedDeeperThanAPageAllows_StaysAString()
    {
        var deep = new string('[', 40) + new string(']', 40);
        var shallow = new string('[', 30) + new string(']', 30);

        JsonCell.IsLiteral(Encoding.UTF8.GetBytes(deep), JsonKind.Json).ShouldBeFalse();
        JsonCell.IsLiteral(Encoding.UTF8.GetBytes(shallow), JsonKind.Json).ShouldBeTrue();
    }

    [Property(MaxTest = 1000)]
    public Property AnyInterval_FormatsToAnIsoDuration_ThatReadsBackToTheSameParts()
    {
        var months = Gen.OneOf(ArbMap.Default.GeneratorFor<int>(), Gen.Choose(-30, 30));
        var days = Gen.OneOf(ArbMap.Default.GeneratorFor<int>(), Gen.Choose(-40, 40));
        var times = Gen.OneOf(ArbMap.Default.GeneratorFor<long>().Select(v => v / 1000), Gen.Choose(-90_000_000, 90_000_000).Select(v => (long)v));
        var intervals = months.SelectMany(m => days.SelectMany(d => times.Select(t => (Months: m, Days: d, Microseconds: t))));

        return Prop.ForAll(intervals.ToArbitrary(), parts =>
        {
            var (months, days, microseconds) = parts;
            var text = IsoDuration.Format(months, days, microseconds);
            return Parse(text) == (months, days, microseconds);
        });
    }

    [Theory]
    [InlineData(14, 3, 14_706_500_000L, "P1Y2M3DT4H5M6.5S")]
    [InlineData(0, 0, 0L, "PT0S")]
    [InlineData(0, 0, 93_600_000_000L, "PT26H")]
    [InlineData(-14, 3, -3_600_000_000L, "P-1Y-2M3DT-1H")]
    [InlineData(0, -1, -1_250_000L, "P-1DT-1.25S")]
    [InlineData(0, 0, -250_000L, "PT-0.25S")]
    [InlineData(1, 0, 0L, "P1M")]
    public void AnInterval_IsWrittenAsPostgreSqlWritesIt(int months, int days, long microseconds, string expected) =>
        IsoDuration.Format(months, days, microseconds).ShouldBe(expected);

    [Property(MaxTest = 500)]
    public Property AnyCell_EscapedForSpreadsheets_StartsWithNoFormulaCharacter_AndIsTheCellAfterItsQuote()
    {
        var starts = Gen.Elements("=", "+", "-", "@", "\t", "\r", "a", "1", "-1", "+1", "'", string.Empty);
        var cells = Gen.Zip(starts, ResultGenerators.Text).Select(pair => pair.Item1 + pair.Item2);

        return Prop.ForAll(cells.ToArbitrary(), cell =>
        {
            var field = ParseSingleField(WriteCsvRow(cell, escape: true));
            var formulaLike = CsvExportFormat.IsFormulaLike(Encoding.UTF8.GetBytes(cell));
            var expected = formulaLike ? "'" + cell : cell;
            var safe = field.Length == 0 || field[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r') || IsNumber(field);
            return field == expected && safe && ParseSingleField(WriteCsvRow(cell, escape: false)) == cell;
        });
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("+1", "+1")]
    [InlineData("+-1", "'+-1")]
    [InlineData("-12.50", "-12.50")]
    [InlineData("-1+A1", "'-1+A1")]
    [InlineData("-Infinity", "'-Infinity")]
    [InlineData("\tx", "'\tx")]
    [InlineData("plain", "plain")]
    public void AFormulaCell_GetsASingleQuote_AndANumberDoesNot(string cell, string field) =>
        ParseSingleField(WriteCsvRow(cell, escape: true)).ShouldBe(field);

    [Fact]
    public void TheByteOrderMark_IsWrittenOnlyWhenAskedFor()
    {
        var with = new ArrayBufferWriter<byte>();
        new CsvExportFormat(1, new ExportOptions(ByteOrderMark: true)).WriteStart([new QueryColumn("c", "text")], with);
        var without = new ArrayBufferWriter<byte>();
        new CsvExportFormat(1, ExportOptions.Default).WriteStart([new QueryColumn("c", "text")], without);

        with.WrittenSpan.ToArray().ShouldBe([0xEF, 0xBB, 0xBF, (byte)'c', (byte)'\r', (byte)'\n']);
        without.WrittenSpan.ToArray().ShouldBe([(byte)'c', (byte)'\r', (byte)'\n']);
    }

    private static bool IsNumber(string text) => JsonNumberText().IsMatch(text) || (text.StartsWith('+') && JsonNumberText().IsMatch(text[1..]) && !text[1..].StartsWith('-'));

    private static int SignificantDigits(string text) =>
        text.TrimStart('-').Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0').Length;

    private static string WriteCsvRow(string cell, bool escape)
    {
        var cells = new ArrayBufferWriter<byte>();
        CellEncoding.WriteText(cells, cell);
        var output = new ArrayBufferWriter<byte>();
        var position = 0;
        new CsvExportFormat(1, new ExportOptions(EscapeFormulas: escape)).WriteRow(cells.WrittenSpan, ref position, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>One RFC 4180 field and its CRLF.</summary>
    private static string ParseSingleField(string record)
    {
        record.ShouldEndWith("\r\n");
        var field = record[..^2];
        if (field.Length > 0 && field[0] == '"')
        {
            field.ShouldEndWith("\"");
            return field[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
        }

        field.IndexOfAny([',', '"', '\r', '\n']).ShouldBe(-1);
        return field;
    }

    private static (int Months, int Days, long Microseconds) Parse(string text)
    {
        var match = IsoDurationText().Match(text);
        match.Success.ShouldBeTrue(text);
        long Number(string group) => match.Groups[group].Success ? long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;
        var fraction = match.Groups["fraction"].Success ? long.Parse(match.Groups["fraction"].Value.PadRight(6, '0'), CultureInfo.InvariantCulture) : 0;
        var seconds = (Number("seconds") * 1_000_000) + fraction;
        if (match.Groups["negative"].Value == "-")
        {
            seconds = -seconds;
        }

        var months = (Number("years") * 12) + Number("months");
        var microseconds = (Number("hours") * 3_600_000_000) + (Number("minutes") * 60_000_000) + seconds;
        return ((int)months, (int)Number("days"), microseconds);
    }

    [GeneratedRegex(@"^P(?:(?<years>-?\d+)Y)?(?:(?<months>-?\d+)M)?(?:(?<days>-?\d+)D)?(?:T(?:(?<hours>-?\d+)H)?(?:(?<minutes>-?\d+)M)?(?:(?<negative>-?)(?<seconds>\d+)(?:\.(?<fraction>\d{1,6}))?S)?)?$")]
    private static partial Regex IsoDurationText();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")]
    private static partial Regex JsonNumberText();
}
