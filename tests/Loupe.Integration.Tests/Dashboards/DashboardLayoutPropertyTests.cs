using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Integration.Tests.Identity.Organization;
using Loupe.Integration.Tests.Support;
using static Loupe.Integration.Tests.Dashboards.DashboardsApi;

namespace Loupe.Integration.Tests.Dashboards;

/// <summary>Any valid layout (tiles anywhere on the grid without overlapping, text or visualizations, static mappings) is saved and read back as sent.</summary>
public sealed class DashboardLayoutPropertyTests(IdentityApi api) : ResetBeforeEachTest(api), IClassFixture<IdentityApi>
{
    private Setup? _setup;

    private sealed record Setup(Member Editor, Guid[] Visualizations);

    private sealed record Tile(string Id, bool IsText, int Visualization, string Text, int X, int Y, int W, int H);

    /// <summary>FsCheck calls a property method once per case: the organization is made on the first.</summary>
    private Setup Organization => _setup ??= SetUpAsync().GetAwaiter().GetResult();

    private async Task<Setup> SetUpAsync()
    {
        var admin = await api.Identity.RegisterAsync();
        var editor = await api.Identity.AddMemberAsync(admin, "editor");
        var dataSource = await IdentityApi.CreateDataSourceAsync(admin);
        var queryId = await CreateQueryAsync(editor, dataSource.GetProperty("id").GetGuid());
        return new Setup(editor, [await CreateVisualizationAsync(api.AppConnection, editor, queryId), await CreateVisualizationAsync(api.AppConnection, editor, queryId)]);
    }

    private static readonly string[] Texts = ["Hello", "**bold** and _em_", "# Title\n\n- a\n- b", "| a | b |\n|---|---|\n| 1 | 2 |", "<b>raw</b> & \"quotes\" ü 😀"];

    private sealed record Part(int X, int W, int H, bool IsText, int Visualization, string Text);

    private static readonly Gen<Part> Parts =
        from x in Gen.Choose(0, 23)
        from w in Gen.Choose(1, 24 - x)
        from h in Gen.Choose(1, 6)
        from isText in Gen.Elements(true, false)
        from visualization in Gen.Choose(0, 1)
        from text in Gen.Elements(Texts)
        select new Part(x, w, h, isText, visualization, text);

    /// <summary>Tiles stacked in bands, so none overlaps: each starts where the one before ended, anywhere across the grid.</summary>
    private static readonly Gen<Tile[]> Layouts = Parts.ListOf().Select(parts =>
    {
        var y = 0;
        var tiles = new List<Tile>();
        foreach (var part in parts.Take(30))
        {
            tiles.Add(new Tile($"t-{tiles.Count}", part.IsText, part.Visualization, part.Text, part.X, y, part.W, part.H));
            y += part.H;
        }

        return tiles.ToArray();
    });

    [Property(MaxTest = 25)]
    public Property AnyValidLayout_IsReadBackAsSent()
    {
        var setup = Organization;
        return Prop.ForAll(Layouts.ToArbitrary(), Gen.Choose(1, 1000).ToArbitrary(), (tiles, top) =>
        {
            var body = new
            {
                name = "Generated",
                tiles = tiles.Select(t => t.IsText
                    ? TextTile(t.Id, t.Text, t.X, t.Y, t.W, t.H)
                    : VisualizationTile(t.Id, setup.Visualizations[t.Visualization], t.X, t.Y, t.W, t.H)).ToArray(),
                parameter_mappings = tiles.Where(t => !t.IsText).Select(t => new { tile_id = t.Id, query_parameter = "top", source = "static", value = top }).ToArray(),
            };
            var (created, _) = CreateAsync(setup.Editor, body).GetAwaiter().GetResult();
            var (read, _) = OkAsync(SendAsync(setup.Editor, HttpMethod.Get, $"{Url}/{created.GetProperty("id").GetGuid()}").GetAwaiter().GetResult()).GetAwaiter().GetResult();

            var readTiles = read.GetProperty("tiles").EnumerateArray().ToList();
            var mappings = read.GetProperty("parameter_mappings").EnumerateArray().ToList();
            return readTiles.Count == tiles.Length
                && readTiles.Zip(tiles).All(pair => Same(pair.First, pair.Second, setup))
                && mappings.Count == tiles.Count(t => !t.IsText)
                && mappings.All(m => m.GetProperty("value").GetInt32() == top && m.GetProperty("source").GetString() == "static");
        });
    }

    private static bool Same(JsonElement read, Tile sent, Setup setup) =>
        read.GetProperty("id").GetString() == sent.Id
        && read.GetProperty("x").GetInt32() == sent.X && read.GetProperty("y").GetInt32() == sent.Y
        && read.GetProperty("w").GetInt32() == sent.W && read.GetProperty("h").GetInt32() == sent.H
        && (sent.IsText
            ? read.GetProperty("kind").GetString() == "text" && read.GetProperty("text").GetString() == sent.Text
              && read.GetProperty("rendered_html").ValueKind == JsonValueKind.String
            : read.GetProperty("kind").GetString() == "visualization" && read.GetProperty("visualization_id").GetGuid() == setup.Visualizations[sent.Visualization]
              && read.GetProperty("text").ValueKind == JsonValueKind.Null);
}
