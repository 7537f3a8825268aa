using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Infrastructure.Security.Tokens;

namespace Loupe.Infrastructure.Tests.Security.Tokens;

public sealed class OpaqueTokensTests
{
    private readonly OpaqueTokens _tokens = new();

    [Fact]
    public void Create_ReturnsPrefixedValue_AndItsSha256()
    {
        var token = _tokens.Create("lp_rt");

        token.Value.ShouldStartWith("lp_rt_");
        token.Value.Length.ShouldBe("lp_rt_".Length + 43);
        token.Hash.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Value))));
        _tokens.HashOf(token.Value).ShouldBe(token.Hash);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("LP")]
    [InlineData("lp-rt")]
    [InlineData("lp rt")]
    public void Create_WhenPrefixNotPlain_IsRefused(string prefix) =>
        Should.Throw<ArgumentException>(() => _tokens.Create(prefix));

    [Fact]
    public void HashOf_IsKnownSha256()
    {
        _tokens.HashOf("abc").ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void HashesEqual_ComparesWholeHashes()
    {
        var hash = _tokens.HashOf("lp_ak_secret");

        _tokens.HashesEqual(hash, _tokens.HashOf("lp_ak_secret")).ShouldBeTrue();
        _tokens.HashesEqual(hash, _tokens.HashOf("lp_ak_secreT")).ShouldBeFalse();
        _tokens.HashesEqual(hash, hash[..^1]).ShouldBeFalse();
        _tokens.HashesEqual(hash, string.Empty).ShouldBeFalse();
    }

    [Property]
    public Property Create_ForAnyPrefix_GivesUniqueUrlSafeTokensWithDeterministicHexHashes()
    {
        var prefixes = Gen.Elements("lp_rt", "lp_ak", "lp_inv", "lp_pr", "x", "a1_b2");
        var batches = Gen.Choose(1, 50).SelectMany(count => prefixes.ArrayOf(count));

        return Prop.ForAll(batches.ToArbitrary(), batch =>
        {
            var created = batch.Select(_tokens.Create).ToList();
            var unique = created.Select(token => token.Value).Distinct(StringComparer.Ordinal).Count() == created.Count;
            var urlSafe = created.All(token => token.Value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
            var hashes = created.All(token =>
                token.Hash.Length == 64
                && token.Hash.All(char.IsAsciiHexDigitLower)
                && token.Hash == _tokens.HashOf(token.Value)
                && _tokens.HashesEqual(token.Hash, _tokens.HashOf(token.Value)));
            var prefixed = created.Zip(batch).All(pair => pair.First.Value.StartsWith(pair.Second + "_", StringComparison.Ordinal));
            return unique && urlSafe && hashes && prefixed;
        });
    }
}
