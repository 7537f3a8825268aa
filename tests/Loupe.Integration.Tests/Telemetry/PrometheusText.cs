using System.Globalization;
using System.Text;

namespace Loupe.Integration.Tests.Telemetry;

/// <summary>One sample of a scrape: a series name, its labels and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : string.Empty;
}

/// <summary>
/// A parser of the Prometheus text exposition format (version 0.0.4), strict enough to fail a test on a
/// malformed line: <c># HELP name text</c>, <c># TYPE name type</c>, and <c>name{label="value",…} value [timestamp]</c>
/// with the format's escapes (<c>\\</c>, <c>\"</c>, <c>\n</c>) in label values.
/// </summary>
public sealed class PrometheusText
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private PrometheusText(Dictionary<string, string> types, Dictionary<string, string> help, List<PrometheusSample> samples)
    {
        TypesByFamily = types;
        HelpByFamily = help;
        Samples = samples;
    }

    public IReadOnlyDictionary<string, string> TypesByFamily { get; }

    public IReadOnlyDictionary<string, string> HelpByFamily { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    public IEnumerable<PrometheusSample> Series(string name) => Samples.Where(s => s.Name == name);

    public static PrometheusText Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line["# TYPE ".Length..].Split(' ');
                if (parts.Length != 2 || !IsName(parts[0]) || !Types.Contains(parts[1]) || !types.TryAdd(parts[0], parts[1]))
                {
                    throw new FormatException($"Line {lineNumber}: bad or repeated TYPE: {line}");
                }
            }
            else if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var name = space < 0 ? rest : rest[..space];
                if (!IsName(name))
                {
                    throw new FormatException($"Line {lineNumber}: bad HELP: {line}");
                }

                help[name] = space < 0 ? string.Empty : rest[(space + 1)..];
            }
            else if (line.StartsWith('#'))
            {
                // Any other comment is allowed and means nothing.
            }
            else
            {
                samples.Add(ParseSample(line, lineNumber));
            }
        }

        return new PrometheusText(types, help, samples);
    }

    private static PrometheusSample ParseSample(string line, int lineNumber)
    {
        var position = 0;
        while (position < line.Length && line[position] is not ('{' or ' '))
        {
            position++;
        }

        var name = line[..position];
        if (!IsName(name))
        {
            throw new FormatException($"Line {lineNumber}: bad metric name: {line}");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals];
                if (!IsName(label) || line[equals + 1] != '"')
                {
                    throw new FormatException($"Line {lineNumber}: bad label: {line}");
                }

                position = equals + 2;
                var value = new StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new FormatException($"Line {lineNumber}: bad escape: {line}"),
                        });
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"Line {lineNumber}: repeated label {label}: {line}");
                }

                position++;
                if (line[position] == ',')
                {
                    position++;
                }
            }

            position++;
        }

        var fields = line[position..].Trim().Split(' ');
        if (fields.Length is < 1 or > 2 || !TryParseValue(fields[0], out var sample))
        {
            throw new FormatException($"Line {lineNumber}: bad value: {line}");
        }

        return new PrometheusSample(name, labels, sample);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static bool IsName(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');
}
