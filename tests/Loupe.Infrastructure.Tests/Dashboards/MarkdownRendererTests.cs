using AngleSharp.Html.Parser;
using Loupe.Infrastructure.Dashboards;

namespace Loupe.Infrastructure.Tests.Dashboards;

public sealed class MarkdownRendererTests
{
    private static readonly MarkdownRenderer Renderer = new();

    private static readonly HashSet<string> AllowedTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "ins", "mark", "sub", "sup",
        "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    };

    private static readonly HashSet<string> AllowedAttributes = new(StringComparer.OrdinalIgnoreCase) { "href", "src", "alt", "title", "start", "class", "rel" };

    /// <summary>Classic cross-site scripting payloads, as raw HTML and through Markdown's own links and images.</summary>
    public static TheoryData<string> XssCorpus() =>
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<img src=x onerror=alert(1)>",
        "<img src=\"x\" onerror=\"alert(1)\"/>",
        "<IMG SRC=\"javascript:alert('XSS');\">",
        "<IMG SRC=JaVaScRiPt:alert('XSS')>",
        "<img src=`javascript:alert(1)`>",
        "<svg onload=alert(1)>",
        "<svg><script>alert(1)</script></svg>",
        "<body onload=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<object data=\"javascript:alert(1)\"></object>",
        "<embed src=\"javascript:alert(1)\">",
        "<a href=\"javascript:alert(1)\">click</a>",
        "<a href=\"jav&#x09;ascript:alert(1)\">click</a>",
        "<div style=\"background:url(javascript:alert(1))\">x</div>",
        "<style>@import 'https://evil.example/x.css';</style>",
        "<link rel=stylesheet href=https://evil.example/x.css>",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<form action=\"javascript:alert(1)\"><input type=submit></form>",
        "<input autofocus onfocus=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<marquee onstart=alert(1)>",
        "<video><source onerror=\"alert(1)\"></video>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
        "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
        "<base href=\"javascript:alert(1)//\">",
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click](  javascript:alert(1)  )",
        "[click](java&#x73;cript:alert(1))",
        "[click](vbscript:msgbox(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "![x](javascript:alert(1))",
        "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "![x\" onerror=\"alert(1)](https://example.com/a.png)",
        "[x](https://example.com/\" onmouseover=\"alert(1))",
        "<javascript:alert(1)>",
        "[ref]\n\n[ref]: javascript:alert(1)",
        "`<script>alert(1)</script>`",
        "```html\n<script>alert(1)</script>\n```",
        "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    ];

    [Theory]
    [MemberData(nameof(XssCorpus))]
    public void ThePayload_LeavesNothingThatRuns(string markdown)
    {
        var html = Renderer.ToSafeHtml(markdown);

        // Escaped into visible text is fine; markup that a browser would run is not.
        foreach (var forbidden in new[] { "<script", "<iframe", "<object", "<embed", "<svg", "<style", "<link", "<meta", "<form", "<input", "<base", "<math", "<body", "<div" })
        {
            html.ShouldNotContain(forbidden, Case.Insensitive);
        }

        using var document = new HtmlParser().ParseDocument(html);
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            AllowedTags.ShouldContain(element.LocalName, html);
            foreach (var attribute in element.Attributes)
            {
                AllowedAttributes.ShouldContain(attribute.Name, html);
                attribute.Name.ShouldNotStartWith("on", Case.Insensitive, html);
                if (attribute.Name is "href" or "src")
                {
                    var url = attribute.Value.Trim();
                    (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                        || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                        || url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
                        || !url.Contains(':', StringComparison.Ordinal)).ShouldBeTrue(html);
                }
            }
        }
    }

    [Fact]
    public void Markdown_IsRendered()
    {
        var html = Renderer.ToSafeHtml("# Sales\n\n**Up** ~~down~~ `code`\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```sql\nSELECT 1\n```");

        html.ShouldContain("<h1>Sales</h1>");
        html.ShouldContain("<strong>Up</strong>");
        html.ShouldContain("<del>down</del>");
        html.ShouldContain("<code>code</code>");
        html.ShouldContain("<li>one</li>");
        html.ShouldContain("<td>1</td>");
        html.ShouldContain("<code class=\"language-sql\">SELECT 1");
    }

    [Fact]
    public void RawHtml_IsShownAsText()
    {
        Renderer.ToSafeHtml("<b>bold</b>").ShouldBe("<p>&lt;b&gt;bold&lt;/b&gt;</p>\n");
    }

    [Theory]
    [InlineData("[site](https://example.com/a?b=1)", "https://example.com/a?b=1")]
    [InlineData("<https://example.com>", "https://example.com")]
    [InlineData("see www.example.com", "http://www.example.com")]
    [InlineData("[mail](mailto:team@example.com)", "mailto:team@example.com")]
    public void Links_AreKept_WithRelNoopenerNoreferrerNofollow(string markdown, string href)
    {
        using var document = new HtmlParser().ParseDocument(Renderer.ToSafeHtml(markdown));

        var link = document.QuerySelector("a").ShouldNotBeNull();
        link.GetAttribute("href").ShouldBe(href);
        link.GetAttribute("rel").ShouldBe("noopener noreferrer nofollow");
    }

    [Fact]
    public void ALinkWithAForbiddenScheme_KeepsItsTextAndLosesItsTarget()
    {
        using var document = new HtmlParser().ParseDocument(Renderer.ToSafeHtml("[click](javascript:alert(1))"));

        document.Body!.TextContent.ShouldContain("click");
        document.QuerySelector("a")?.GetAttribute("href").ShouldBeNull();
    }

    [Fact]
    public void Images_OverHttps_AreKept() =>
        Renderer.ToSafeHtml("![chart](https://example.com/c.png \"Chart\")").ShouldContain("<img src=\"https://example.com/c.png\" alt=\"chart\" title=\"Chart\">");
}
