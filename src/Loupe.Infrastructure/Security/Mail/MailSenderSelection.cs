using Loupe.Application.Common.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Loupe.Infrastructure.Security.Mail;

/// <summary>Chooses the one mail sender of a process, once, at start-up.</summary>
internal static class MailSenderSelection
{
    /// <returns>
    /// SMTP when <c>Mail:Smtp:Host</c> is set; otherwise the drop folder in Development; otherwise a
    /// sender that only warns.
    /// </returns>
    public static IMailSender Choose(MailOptions options, IHostEnvironment environment, TimeProvider clock, ILoggerFactory loggers)
    {
        if (options.SmtpConfigured)
        {
            return new SmtpMailSender(options, loggers.CreateLogger<SmtpMailSender>());
        }

        if (environment.IsDevelopment())
        {
            return new DropFolderMailSender(options.DropFolder, options.From, clock, loggers.CreateLogger<DropFolderMailSender>());
        }

        return new UnconfiguredMailSender(loggers.CreateLogger<UnconfiguredMailSender>());
    }
}
