using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Loupe.Infrastructure.Connectors.Postgres;

/// <summary>
/// A <c>numeric</c>'s text from its binary wire form, as PostgreSQL's own output writes it: every digit
/// of any precision, the column's scale kept (<c>1.50</c>), and <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.
/// The form: the digit count, the weight (base-10000 exponent of the first digit), the sign
/// (<c>0x0000</c>, <c>0x4000</c> negative, <c>0xC000</c> NaN, <c>0xD000</c> Infinity, <c>0xF000</c> -Infinity),
/// the display scale, then the base-10000 digits, each a big-endian 16-bit word.
/// </summary>
internal static class PostgresNumericText
{
    private const ushort Negative = 0x4000;
    private const ushort NaN = 0xC000;
    private const ushort PositiveInfinity = 0xD000;
    private const ushort NegativeInfinity = 0xF000;
    private const int HeaderLength = 8;

    /// <exception cref="InvalidCastException">The bytes are not a numeric's binary form.</exception>
    public static string Format(ReadOnlySpan<byte> binary)
    {
        if (binary.Length < HeaderLength)
        {
            throw new InvalidCastException("A numeric's binary form is shorter than its header.");
        }

        var count = BinaryPrimitives.ReadInt16BigEndian(binary);
        var weight = BinaryPrimitives.ReadInt16BigEndian(binary[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(binary[4..]);
        var scale = BinaryPrimitives.ReadUInt16BigEndian(binary[6..]);
        switch (sign)
        {
            case NaN:
                return "NaN";
            case PositiveInfinity:
                return "Infinity";
            case NegativeInfinity:
                return "-Infinity";
            case 0 or Negative:
                break;
            default:
                throw new InvalidCastException("A numeric's binary form has an unknown sign.");
        }

        if (count < 0 || binary.Length != HeaderLength + (2 * count))
        {
            throw new InvalidCastException("A numeric's binary form does not hold its digits.");
        }

        var digits = new short[count];
        for (var i = 0; i < count; i++)
        {
            digits[i] = BinaryPrimitives.ReadInt16BigEndian(binary[(HeaderLength + (2 * i))..]);
        }

        var text = new StringBuilder(Math.Max(0, (weight + 1) * 4) + scale + 3);
        if (sign == Negative)
        {
            text.Append('-');
        }

        if (weight < 0)
        {
            text.Append('0');
        }
        else
        {
            for (var d = 0; d <= weight; d++)
            {
                var group = d < count ? digits[d] : 0;
                text.Append(group.ToString(d == 0 ? "D" : "D4", CultureInfo.InvariantCulture));
            }
        }

        if (scale > 0)
        {
            text.Append('.');
            for (var i = 0; i < scale; i++)
            {
                var d = weight + 1 + (i / 4);
                var group = d >= 0 && d < count ? digits[d] : 0;
                var digit = group / Power(3 - (i % 4)) % 10;
                text.Append((char)('0' + digit));
            }
        }

        return text.ToString();
    }

    private static int Power(int exponent) => exponent switch
    {
        0 => 1,
        1 => 10,
        2 => 100,
        _ => 1000,
    };
}
