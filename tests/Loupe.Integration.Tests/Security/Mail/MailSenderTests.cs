using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Security.Mail;
using Loupe.Infrastructure.Tests.Security;
using Loupe.Integration.Tests.Support;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Loupe.Integration.Tests.Security.Mail;

public sealed class MailSenderTests : IDisposable
{
    private const string Token = "lp_pr_S3cr3tT0kenValue";

    private static readonly OutgoingMail ResetMail = new(
        MailKind.PasswordReset,
        "jane.doe@example.com",
        "Reset your Loupe password",
        $"Open https://loupe.example.com/reset?token={Token} within 30 minutes.");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "loupe-mail-" + Guid.NewGuid().ToString("N"));
    private readonly CapturedLogs _logs = new();
    private readonly ILoggerFactory _loggers;

    public MailSenderTests() => _loggers = LoggerFactory.Create(builder => builder.AddProvider(_logs));

    public void Dispose()
    {
        _loggers.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Choose_WhenSmtpHostSet_PicksSmtpWithThatHost()
    {
        var options = new MailOptions { Smtp = { Host = "smtp.example.com", Port = 2525 } };

        var sender = MailSenderSelection.Choose(options, Environment("Production"), TimeProvider.System, _loggers);

        var smtp = sender.ShouldBeOfType<SmtpMailSender>();
        smtp.Smtp.Host.ShouldBe("smtp.example.com");
        smtp.Smtp.Port.ShouldBe(2525);
        MailSenderSelection.Choose(options, Environment("Development"), TimeProvider.System, _loggers).ShouldBeOfType<SmtpMailSender>();
    }

    [Fact]
    public void Choose_WithoutSmtp_PicksDropFolderInDevelopmentOnly()
    {
        var options = new MailOptions { DropFolder = _folder };

        MailSenderSelection.Choose(options, Environment("Development"), TimeProvider.System, _loggers)
            .ShouldBeOfType<DropFolderMailSender>().Folder.ShouldBe(_folder);
        MailSenderSelection.Choose(options, Environment("Production"), TimeProvider.System, _loggers).ShouldBeOfType<UnconfiguredMailSender>();
        MailSenderSelection.Choose(options, Environment("Staging"), TimeProvider.System, _loggers).ShouldBeOfType<UnconfiguredMailSender>();
    }

    [Fact]
    public async Task DropFolder_WritesHeadersAndBody_AndLogsNoBody()
    {
        var sender = new DropFolderMailSender(_folder, "Loupe <no-reply@localhost>", new ManualTimeProvider(), _loggers.CreateLogger<DropFolderMailSender>());

        await sender.SendAsync(ResetMail, TestContext.Current.CancellationToken);

        var file = Directory.GetFiles(_folder).ShouldHaveSingleItem();
        file.ShouldEndWith(".eml");
        var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
        text.ShouldContain("To: jane.doe@example.com\r\n");
        text.ShouldContain("From: Loupe <no-reply@localhost>\r\n");
        text.ShouldContain("Subject: Reset your Loupe password\r\n");
        text.ShouldContain("\r\n\r\n" + ResetMail.TextBody);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var line = _logs.Lines.ShouldHaveSingleItem();
        line.Level.ShouldBe(LogLevel.Information);
        line.Message.ShouldBe($"Mail PasswordReset to jane.doe@example.com written to {file}");
        line.Message.ShouldNotContain(Token);
    }

    [Fact]
    public async Task DropFolder_WhenSubjectHasLineBreaks_KeepsThemOutOfTheHeaders()
    {
        var sender = new DropFolderMailSender(_folder, "Loupe <no-reply@localhost>", TimeProvider.System, _loggers.CreateLogger<DropFolderMailSender>());

        await sender.SendAsync(ResetMail with { Subject = "Hi\r\nBcc: evil@example.com" }, TestContext.Current.CancellationToken);

        var text = await File.ReadAllTextAsync(Directory.GetFiles(_folder).Single(), TestContext.Current.CancellationToken);
        text.ShouldContain("Subject: Hi Bcc: evil@example.com\r\n");
        text.ShouldNotContain("\nBcc:");
    }

    [Fact]
    public async Task Unconfigured_WarnsWithMaskedAddress_AndNoBody()
    {
        var sender = new UnconfiguredMailSender(_loggers.CreateLogger<UnconfiguredMailSender>());

        await sender.SendAsync(ResetMail, TestContext.Current.CancellationToken);

        var line = _logs.Lines.ShouldHaveSingleItem();
        line.Level.ShouldBe(LogLevel.Warning);
        line.Message.ShouldContain("PasswordReset");
        line.Message.ShouldContain("j***@example.com");
        line.Message.ShouldContain("not sent: no SMTP configured");
        line.Message.ShouldNotContain("jane.doe");
        line.Message.ShouldNotContain(Token);
    }

    [Theory]
    [InlineData("jane@example.com", "j***@example.com")]
    [InlineData("j@example.com", "j***@example.com")]
    [InlineData("@example.com", "***")]
    [InlineData("no-at-sign", "***")]
    public void Mask_KeepsFirstLetterAndDomain(string address, string masked) =>
        MailAddressMask.Mask(address).ShouldBe(masked);

    [Fact]
    public async Task Smtp_DeliversThroughTheConfiguredRelay_AndLogsNoSecrets()
    {
        await using var relay = TinySmtpRelay.Start();
        var options = new MailOptions
        {
            From = "Loupe <no-reply@loupe.test>",
            Smtp = { Host = "127.0.0.1", Port = relay.Port, EnableSsl = false },
        };
        var sender = MailSenderSelection.Choose(options, Environment("Production"), TimeProvider.System, _loggers);

        await sender.SendAsync(ResetMail, TestContext.Current.CancellationToken);

        var received = await relay.Received.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        received.ShouldContain("RCPT TO:<jane.doe@example.com>");
        received.ShouldContain("MAIL FROM:<no-reply@loupe.test>");
        BodyOf(received).ShouldBe(ResetMail.TextBody);
        var line = _logs.Lines.ShouldHaveSingleItem();
        line.Message.ShouldContain("j***@example.com");
        line.Message.ShouldNotContain(Token);
    }

    /// <summary>The text body of the one message in an SMTP conversation, decoded when sent as base64.</summary>
    private static string BodyOf(string conversation)
    {
        var data = conversation[(conversation.IndexOf("DATA\n", StringComparison.Ordinal) + 5)..];
        var split = data.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = data[..split];
        var body = data[(split + 2)..data.IndexOf("\n.\n", StringComparison.Ordinal)];
        return headers.Contains("Content-Transfer-Encoding: base64", StringComparison.OrdinalIgnoreCase)
            ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\n", string.Empty, StringComparison.Ordinal)))
            : body;
    }

    private static HostingEnvironment Environment(string name) => new()
    {
        EnvironmentName = name,
        ApplicationName = "Loupe.Tests",
        ContentRootPath = Path.GetTempPath(),
        ContentRootFileProvider = new NullFileProvider(),
    };

    private sealed class HostingEnvironment : IHostEnvironment
    {
        public required string EnvironmentName { get; set; }

        public required string ApplicationName { get; set; }

        public required string ContentRootPath { get; set; }

        public required IFileProvider ContentRootFileProvider { get; set; }
    }
}
