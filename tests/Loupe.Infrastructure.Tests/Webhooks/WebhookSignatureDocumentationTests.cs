using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Loupe.Domain.Webhooks;

namespace Loupe.Infrastructure.Tests.Webhooks;

/// <summary>The worked example of docs/webhooks.md is what Loupe's signing code computes, and what a plain HMAC computes.</summary>
public sealed partial class WebhookSignatureDocumentationTests
{
    [Fact]
    public void TheDocumentedExampleSignature_IsWhatLoupeSignsAndWhatAReceiverComputes()
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "webhooks.md"));
        var secret = Field().Match(page) is { Success: true } s ? s.Groups["secret"].Value : throw new InvalidOperationException("no secret in the example");
        var timestamp = long.Parse(Timestamp().Match(page).Groups["timestamp"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var signature = Signature().Match(page).Groups["signature"].Value;
        var body = Encoding.UTF8.GetBytes(Body().Match(page).Groups["body"].Value);
        body.ShouldNotBeEmpty();

        WebhookSignature.Sign(secret, timestamp, body).ShouldBe(signature);
        WebhookSignature.Verify(secret, timestamp, body, signature).ShouldBeTrue();
        byte[] message = [.. Encoding.UTF8.GetBytes($"{timestamp}."), .. body];
        var receiver = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
        receiver.ShouldBe(signature);
    }

    [GeneratedRegex(@"^secret:\s+(?<secret>whsec_\S+)$", RegexOptions.Multiline)]
    private static partial Regex Field();

    [GeneratedRegex(@"^timestamp:\s+(?<timestamp>\d+)$", RegexOptions.Multiline)]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"^signature:\s+(?<signature>sha256=[0-9a-f]{64})$", RegexOptions.Multiline)]
    private static partial Regex Signature();

    [GeneratedRegex("```json\\n(?<body>\\{\"event_id\".*\\})\\n```")]
    private static partial Regex Body();
}
