namespace Loupe.Infrastructure.Security.Mail;

/// <summary>Hides most of an address in logs outside Development: <c>jane@example.com</c> → <c>j***@example.com</c>.</summary>
internal static class MailAddressMask
{
    public static string Mask(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0)
        {
            return "***";
        }

        return $"{address[0]}***{address[at..]}";
    }
}
