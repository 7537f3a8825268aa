using System.Globalization;
using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.Common;
using Loupe.Domain.Webhooks;

namespace Loupe.Domain.Tests.Webhooks;

/// <summary>
/// Where a webhook may deliver, tested with a corpus of tricky URLs and, where there is an invariant,
/// with every spelling of the addresses of a range.
/// </summary>
public sealed class WebhookAddressPolicyTests
{
    private static readonly WebhookAddressPolicy Strict = new();

    /// <summary>URLs whose host is (in some spelling) an address or name deliveries never go to.</summary>
    public static TheoryData<string> RefusedUrls() =>
    [
        "https://127.0.0.1/hook",
        "https://127.1/hook",
        "https://2130706433/hook", // decimal 127.0.0.1
        "https://0x7f000001/hook", // hex
        "https://0x7f.0.0.1/hook",
        "https://0177.0.0.1/hook", // octal
        "https://017700000001/hook",
        "https://localhost/hook",
        "https://LOCALHOST./hook",
        "https://api.localhost/hook",
        "https://0.0.0.0/hook",
        "https://0/hook",
        "https://[::]/hook",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook", // IPv6-mapped IPv4
        "https://[::ffff:7f00:1]/hook",
        "https://[::ffff:a00:1]/hook", // mapped 10.0.0.1
        "https://[64:ff9b::a9fe:a9fe]/hook", // NAT64 of 169.254.169.254
        "https://10.0.0.1/hook",
        "https://10.255.255.255/hook",
        "https://167772161/hook", // decimal 10.0.0.1
        "https://172.16.0.1/hook",
        "https://172.31.255.254/hook",
        "https://192.168.1.1/hook",
        "https://0xc0a80101/hook", // hex 192.168.1.1
        "https://100.64.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://2852039166/hook", // decimal 169.254.169.254
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://metadata/hook",
        "https://100.100.100.200/hook",
        "https://[fd00:ec2::254]/hook",
        "https://[fc00::1]/hook",
        "https://[fd12:3456::1]/hook",
        "https://[fe80::1]/hook",
        "https://224.0.0.1/hook",
        "https://[ff02::1]/hook",
        "https://255.255.255.255/hook",
    ];

    /// <summary>URLs refused for their shape before any address is looked at.</summary>
    public static TheoryData<string> MalformedUrls() =>
    [
        "https://hooks.example.com@127.0.0.1/hook", // userinfo: the host is 127.0.0.1
        "https://user:pass@hooks.example.com/hook",
        "https://hooks.example.com%40127.0.0.1/hook",
        "https://hooks.example.com#fragment",
        "ftp://hooks.example.com/hook",
        "file:///etc/passwd",
        "gopher://hooks.example.com/",
        "//hooks.example.com/hook",
        "hooks.example.com/hook",
        "https:///hook",
        "https://hooks.example.com/\nX-Injected: 1",
        "",
    ];

    [Theory]
    [MemberData(nameof(RefusedUrls))]
    public void AUrlWhoseHostIsANonPublicAddress_IsRefused_InEverySpelling(string text)
    {
        var url = WebhookUrl.Parse(text, allowHttp: false);

        Strict.AllowsHost(url.Host).ShouldBeFalse($"{text} reads as host {url.Host}");
    }

    [Theory]
    [MemberData(nameof(MalformedUrls))]
    public void AMalformedUrl_OrOneWithUserInfo_IsInvalid(string text)
    {
        var refused = Should.Throw<DomainException>(() => WebhookUrl.Parse(text, allowHttp: true));

        refused.Error.ShouldBe(WebhookErrors.UrlInvalid);
    }

    [Theory]
    [InlineData("https://hooks.example.com/loupe?x=1")]
    [InlineData("https://8.8.8.8/hook")]
    [InlineData("https://[2606:4700:4700::1111]/hook")]
    [InlineData("https://hooks.example.com:8443/hook")]
    public void APublicReceiver_IsAllowed(string text)
    {
        var url = WebhookUrl.Parse(text, allowHttp: false);

        Strict.AllowsHost(url.Host).ShouldBeTrue();
    }

    [Fact]
    public void PlainHttp_IsRefused_UnlessAllowed()
    {
        Should.Throw<DomainException>(() => WebhookUrl.Parse("http://hooks.example.com/", allowHttp: false)).Error.ShouldBe(WebhookErrors.UrlNotHttps);
        WebhookUrl.Parse("http://hooks.example.com/", allowHttp: true).Value.ShouldBe("http://hooks.example.com/");
    }

    [Fact]
    public void TheAllowList_LiftsPrivateAndLocalAddresses_ButNeverLinkLocalOrMetadata()
    {
        var onPremises = new WebhookAddressPolicy(["10.20.0.0/16", "127.0.0.1", "hooks.internal", "169.254.0.0/16"]);

        onPremises.Allows("hooks.internal", IPAddress.Parse("10.99.0.1")).ShouldBeTrue("the name is listed");
        onPremises.Allows("other.internal", IPAddress.Parse("10.20.3.4")).ShouldBeTrue("the network is listed");
        onPremises.Allows("other.internal", IPAddress.Parse("10.21.3.4")).ShouldBeFalse();
        onPremises.AllowsHost("127.0.0.1").ShouldBeTrue();
        onPremises.AllowsHost("[::ffff:127.0.0.1]").ShouldBeTrue("the same address, mapped");
        onPremises.Allows("hooks.internal", IPAddress.Parse("169.254.169.254")).ShouldBeFalse();
        onPremises.AllowsHost("metadata.google.internal").ShouldBeFalse();
    }

    [Fact]
    public void AResolvedAddress_IsCheckedWhateverTheName()
    {
        // DNS rebinding: a public name that resolves to a private address at delivery.
        Strict.Allows("hooks.example.com", IPAddress.Parse("10.0.0.7")).ShouldBeFalse();
        Strict.Allows("hooks.example.com", IPAddress.Parse("::ffff:192.168.0.7")).ShouldBeFalse();
        Strict.Allows("hooks.example.com", IPAddress.Parse("93.184.215.14")).ShouldBeTrue();
    }

    [Property]
    public Property EveryPrivateAddress_InEverySpelling_IsRefused()
    {
        var ranges = Gen.Elements(
            (First: (byte)10, Second: (byte?)null),
            (First: (byte)192, Second: (byte?)168),
            (First: (byte)127, Second: (byte?)null),
            (First: (byte)0, Second: (byte?)null));
        var cases = from range in ranges
                    from rest in Gen.Choose(0, 255).ArrayOf(3)
                    let bytes = new[] { range.First, range.Second ?? (byte)rest[0], (byte)rest[1], (byte)rest[2] }
                    from style in Gen.Choose(0, 4)
                    select Spell(bytes, style);
        return Prop.ForAll(cases.ToArbitrary(), host => !Strict.AllowsHost(host));
    }

    [Property]
    public Property EveryAddressOf172Dot16Slash12_IsRefused_AndItsNeighboursAreNot()
    {
        var cases = from second in Gen.Choose(0, 255)
                    from rest in Gen.Choose(0, 255).ArrayOf(2)
                    select new IPAddress(new[] { (byte)172, (byte)second, (byte)rest[0], (byte)rest[1] });
        return Prop.ForAll(cases.ToArbitrary(), address =>
            Strict.Allows("hooks.example.com", address) == !(address.GetAddressBytes()[1] is >= 16 and <= 31));
    }

    private static string Spell(byte[] b, int style)
    {
        var value = ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
        return style switch
        {
            0 => value.ToString(CultureInfo.InvariantCulture),
            1 => "0x" + value.ToString("x", CultureInfo.InvariantCulture),
            2 => string.Join('.', b.Select(part => "0" + Convert.ToString(part, 8))),
            3 => $"[::ffff:{b[0]}.{b[1]}.{b[2]}.{b[3]}]",
            _ => $"{b[0]}.{b[1]}.{b[2]}.{b[3]}.",
        };
    }
}
