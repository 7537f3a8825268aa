using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Domain.DataSources;

namespace Loupe.Domain.Tests.DataSources;

public sealed class HostPolicyTests
{
    private static readonly HostPolicy Strict = new(allowLocal: false);

    /// <summary>The four bytes of an IPv4 address in every spelling a resolver reads as that address.</summary>
    private static Gen<string> Spellings(byte[] b)
    {
        var value = ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
        string Part(uint part, int style) => style switch
        {
            0 => part.ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => "0x" + part.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
            2 => "0X" + part.ToString("X", System.Globalization.CultureInfo.InvariantCulture),
            _ => "0" + Convert.ToString(part, 8),
        };

        return from style in Gen.Choose(0, 3)
               from shape in Gen.Choose(0, 6)
               select shape switch
               {
                   0 => Part(value, style),
                   1 => $"{Part(b[0], style)}.{Part(value & 0xFFFFFF, style)}",
                   2 => $"{Part(b[0], style)}.{Part(b[1], style)}.{Part(value & 0xFFFF, style)}",
                   3 => $"{Part(b[0], style)}.{Part(b[1], style)}.{Part(b[2], style)}.{Part(b[3], style)}",
                   4 => $"::ffff:{b[0]}.{b[1]}.{b[2]}.{b[3]}",
                   5 => $"[::ffff:{(value >> 16):x}:{(value & 0xFFFF):x}]",
                   _ => $"{b[0]}.{b[1]}.{b[2]}.{b[3]}.",
               };
    }

    private static Gen<byte[]> Addresses(byte first, byte? second = null) =>
        from rest in Gen.Choose(0, 255).ArrayOf(3)
        select new[] { first, second ?? (byte)rest[0], (byte)rest[1], (byte)rest[2] };

    [Property]
    public Property EverySpellingOfAnAddress_IsReadAsThatAddress()
    {
        var cases = from bytes in Gen.Choose(0, 255).ArrayOf(4).Select(a => a.Select(x => (byte)x).ToArray())
                    from spelling in Spellings(bytes)
                    select (bytes, spelling);
        return Prop.ForAll(cases.ToArbitrary(), c =>
            HostAddresses.TryParseLiteral(c.spelling, out var address) && address.Equals(new IPAddress(c.bytes)));
    }

    [Property]
    public Property LinkLocalAddresses_InAnySpelling_AreForbidden_EvenWhenAllowListed()
    {
        var allowAll = new HostPolicy(allowLocal: true, ["169.254.0.0/16", "0.0.0.0/0", "::/0"]);
        var cases = from bytes in Addresses(169, 254) from spelling in Spellings(bytes) select spelling;
        return Prop.ForAll(cases.ToArbitrary(), spelling =>
            Strict.CheckHost(spelling) == HostPolicy.Forbidden && allowAll.CheckHost(spelling) == HostPolicy.Forbidden);
    }

    [Property]
    public Property LoopbackAddresses_InAnySpelling_AreLocal_AndAllowedOnlyWhenListedOrInDevelopment()
    {
        var listed = new HostPolicy(allowLocal: false, ["127.0.0.0/8"]);
        var development = new HostPolicy(allowLocal: true);
        var cases = from bytes in Addresses(127) from spelling in Spellings(bytes) select spelling;
        return Prop.ForAll(cases.ToArbitrary(), spelling =>
            Strict.CheckHost(spelling) == HostPolicy.Local && listed.CheckHost(spelling) is null && development.CheckHost(spelling) is null);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("fe80::1")]
    [InlineData("[fe80::1%2]")]
    [InlineData("fd00:ec2::254")]
    [InlineData("100.100.100.200")]
    [InlineData("168.63.129.16")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("metadata.google.internal")]
    [InlineData("METADATA.GOOGLE.INTERNAL.")]
    [InlineData("metadata.goog")]
    [InlineData("metadata")]
    [InlineData("instance-data")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    public void MetadataAndLinkLocalHosts_AreAlwaysForbidden(string host)
    {
        Strict.CheckHost(host).ShouldBe(HostPolicy.Forbidden);
        new HostPolicy(allowLocal: true, [host]).CheckHost(host).ShouldBe(HostPolicy.Forbidden);
        HostPolicy.Forbidden.Code.ShouldBe("datasource.host_forbidden");
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.1")]
    [InlineData("2130706433")]
    [InlineData("0x7f000001")]
    [InlineData("0177.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("0")]
    [InlineData("::")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]
    [InlineData("db.localhost")]
    public void LocalHosts_AreRefusedOutsideDevelopment_UnlessListed(string host)
    {
        Strict.CheckHost(host).ShouldBe(HostPolicy.Local);
        HostPolicy.Local.Code.ShouldBe("datasource.host_local");
        new HostPolicy(allowLocal: true).CheckHost(host).ShouldBeNull();
        new HostPolicy(allowLocal: false, [host]).CheckHost(host).ShouldBeNull();
    }

    [Theory]
    [InlineData("db.example.com")]
    [InlineData("10.0.4.12")]
    [InlineData("192.168.1.20")]
    [InlineData("2001:db8::5")]
    [InlineData("999999999999")]
    public void OtherHosts_AreAllowed(string host) => Strict.CheckHost(host).ShouldBeNull();

    [Fact]
    public void ResolvedAddresses_AreCheckedForTheName_TheListAllowingByNameOrAddress()
    {
        var byAddress = new HostPolicy(allowLocal: false, ["127.0.0.1"]);
        var byName = new HostPolicy(allowLocal: false, ["db-next-door"]);

        Strict.CheckAddress("rebound.example.com", IPAddress.Loopback).ShouldBe(HostPolicy.Local);
        Strict.CheckAddress("rebound.example.com", IPAddress.Parse("169.254.169.254")).ShouldBe(HostPolicy.Forbidden);
        Strict.CheckAddress("rebound.example.com", IPAddress.Parse("::ffff:169.254.169.254")).ShouldBe(HostPolicy.Forbidden);
        byAddress.CheckAddress("rebound.example.com", IPAddress.Loopback).ShouldBeNull();
        byAddress.CheckAddress("rebound.example.com", IPAddress.IPv6Loopback).ShouldBe(HostPolicy.Local);
        byName.CheckAddress("db-next-door", IPAddress.IPv6Loopback).ShouldBeNull();
        byName.CheckAddress("db-next-door", IPAddress.Parse("169.254.1.1")).ShouldBe(HostPolicy.Forbidden);
        byName.CheckAddress("other", IPAddress.Loopback).ShouldBe(HostPolicy.Local);
        Strict.CheckAddress("db.example.com", IPAddress.Parse("10.1.2.3")).ShouldBeNull();
    }
}
