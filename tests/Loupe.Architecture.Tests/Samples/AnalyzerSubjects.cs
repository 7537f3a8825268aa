using System.ComponentModel;
using System.Text;

namespace Loupe.Architecture.Tests.Samples.Analyzer;

/// <summary>Uses one distinct type in each place the dependency analyzer must look.</summary>
[TypeConverter(typeof(GuidConverter))]
internal sealed class AnalyzerSubject : EventArgs, IProgress<Version>
{
    public const string Marker = "constant literal";

    private readonly Dictionary<Uri, TimeZoneInfo> _zones = [];

    public int ZoneCount => _zones.Count;

    public void Report(Version value) => Console.WriteLine(value);

    public static Func<object> Factory() => () => new StringBuilder();

    public static async Task<string> LoadAsync()
    {
        await Task.Yield();
        return "literal in an async method";
    }

    public static bool IsDefault<T>(T value)
        where T : IFormattable => EqualityComparer<T>.Default.Equals(value, default!);

    public static string Describe(object value)
    {
        try
        {
            return value.ToString() ?? string.Empty;
        }
        catch (FormatException)
        {
            return Path.GetTempPath();
        }
    }
}
