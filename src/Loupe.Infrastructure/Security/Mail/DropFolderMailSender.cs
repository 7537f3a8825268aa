using System.Globalization;
using System.Text;
using Loupe.Application.Common.Security;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Security.Mail;

/// <summary>
/// Development only: writes each mail as a text file (headers, blank line, body) into the drop
/// folder, readable by the owner only, and logs where it went. The body may hold a reset token,
/// so it goes to the file and never to the log.
/// </summary>
internal sealed partial class DropFolderMailSender(string folder, string from, TimeProvider clock, ILogger<DropFolderMailSender> logger)
    : IMailSender
{
    public string Folder { get; } = Path.GetFullPath(folder);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var now = clock.GetUtcNow();
        CreateFolder();
        var path = Path.Combine(
            Folder,
            $"{now.ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture)}-{mail.Kind}-{Guid.CreateVersion7():N}.eml");

        var text = new StringBuilder()
            .Append("Date: ").Append(now.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("From: ").Append(HeaderValue(from)).Append("\r\n")
            .Append("To: ").Append(HeaderValue(mail.To)).Append("\r\n")
            .Append("Subject: ").Append(HeaderValue(mail.Subject)).Append("\r\n")
            .Append("X-Loupe-Mail-Kind: ").Append(mail.Kind).Append("\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/plain; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: 8bit\r\n")
            .Append("\r\n")
            .Append(mail.TextBody)
            .ToString();

        var file = new FileStream(path, OwnerOnly(FileMode.CreateNew, FileAccess.Write));
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text), cancellationToken).ConfigureAwait(false);
        }

        LogWritten(logger, mail.Kind, mail.To, path);
    }

    private void CreateFolder()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Folder);
        }
        else
        {
            Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static FileStreamOptions OwnerOnly(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>A line break in a header value would start a new header; fold it into a space.</summary>
    private static string HeaderValue(string value) => value.ReplaceLineEndings(" ");

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail {Kind} to {To} written to {Path}")]
    private static partial void LogWritten(ILogger logger, MailKind kind, string to, string path);
}
