namespace Loupe.Application.Dashboards;

/// <summary>
/// Turns the Markdown of a text tile into HTML that is safe to put into a page as it is: no
/// script, no event handler, no style, no frame or form, links only to http, https or mailto
/// addresses (each with <c>rel="noopener noreferrer nofollow"</c>), raw HTML in the Markdown shown
/// as text. The Markdown itself is stored as written; the rendering is served beside it.
/// </summary>
public interface IMarkdownRenderer
{
    string ToSafeHtml(string markdown);
}
