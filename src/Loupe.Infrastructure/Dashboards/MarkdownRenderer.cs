using AngleSharp.Html.Dom;
using Ganss.Xss;
using Loupe.Application.Dashboards;
using Markdig;

namespace Loupe.Infrastructure.Dashboards;

/// <summary>
/// Markdig renders CommonMark (with tables, strikethrough and autolinks) with raw HTML turned off,
/// then HtmlSanitizer keeps only an allow-list of the tags and attributes that rendering produces:
/// the second step does not trust the first, so a Markdig extension or bug that lets markup through
/// still meets the allow-list. Both are safe to share between threads once configured.
/// </summary>
internal sealed class MarkdownRenderer : IMarkdownRenderer
{
    public const string LinkRel = "noopener noreferrer nofollow";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    private readonly HtmlSanitizer _sanitizer;

    public MarkdownRenderer()
    {
        _sanitizer = new HtmlSanitizer(new HtmlSanitizerOptions
        {
            AllowedTags = new HashSet<string>(
                [
                    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "ins", "mark", "sub", "sup",
                    "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
                ],
                StringComparer.OrdinalIgnoreCase),
            AllowedAttributes = new HashSet<string>(["href", "src", "alt", "title", "start", "class"], StringComparer.OrdinalIgnoreCase),
            AllowedSchemes = new HashSet<string>(["http", "https", "mailto"], StringComparer.OrdinalIgnoreCase),
            UriAttributes = new HashSet<string>(["href", "src"], StringComparer.OrdinalIgnoreCase),
            AllowedCssProperties = new HashSet<string>(StringComparer.OrdinalIgnoreCase),
            AllowedAtRules = new HashSet<AngleSharp.Css.Dom.CssRuleType>(),
            AllowDataAttributes = false,
        });
        _sanitizer.KeepChildNodes = true;
        _sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IHtmlAnchorElement anchor)
            {
                anchor.SetAttribute("rel", LinkRel);
            }
        };
    }

    public string ToSafeHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        return _sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
    }
}
