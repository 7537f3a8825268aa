using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Security;
using Loupe.Domain.DataSources;
using Loupe.Infrastructure.Security.Secrets;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Tests.Secrets;

public sealed class AesGcmSecretProtectorTests
{
    private static readonly string KeyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static AesGcmSecretProtector Protector(string activeKeyId, params (string Id, string Key)[] keys) =>
        new(Options.Create(new SecretProtectionOptions
        {
            ActiveKeyId = activeKeyId,
            Keys = keys.ToDictionary(key => key.Id, key => key.Key, StringComparer.Ordinal),
        }));

    private readonly AesGcmSecretProtector _protector = Protector("a", ("a", KeyA));

    [Fact]
    public void Protect_ThenUnprotect_GivesTheClearTextBack_UnderTheCurrentKey()
    {
        var secret = _protector.Protect("s3cret pässwörd");

        secret.KeyId.ShouldBe("a");
        _protector.CurrentKeyId.ShouldBe("a");
        _protector.NeedsRotation(secret).ShouldBeFalse();
        _protector.Unprotect(secret).ShouldBe("s3cret pässwörd");
    }

    [Fact]
    public void Payload_IsVersionNonceCipherTextAndTag_WithAFreshNonceEachTime()
    {
        var first = _protector.Protect("password").CipherText.ToArray();
        var second = _protector.Protect("password").CipherText.ToArray();

        first.Length.ShouldBe(1 + 12 + "password".Length + 16);
        first[0].ShouldBe(AesGcmSecretProtector.Version);
        first[1..13].ShouldNotBe(second[1..13]);
        first.ShouldNotBe(second);
    }

    [Fact]
    public void FlippingAnyBit_MakesUnprotectFailWithASecretProtectionException()
    {
        var secret = _protector.Protect("password");
        var bytes = secret.CipherText.ToArray();

        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var tampered = bytes.ToArray();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Should.Throw<SecretProtectionException>(() => _protector.Unprotect(EncryptedSecret.Create("a", tampered)));
        }
    }

    [Fact]
    public void TruncatedPayloads_FailWithASecretProtectionException()
    {
        var bytes = _protector.Protect("password").CipherText.ToArray();

        for (var length = 1; length < bytes.Length; length++)
        {
            Should.Throw<SecretProtectionException>(() => _protector.Unprotect(EncryptedSecret.Create("a", bytes.AsSpan(0, length))));
        }
    }

    [Fact]
    public void RelabellingTheKeyId_DoesNotOpenTheSecret()
    {
        var both = Protector("a", ("a", KeyA), ("b", KeyA));
        var secret = both.Protect("password");

        var refused = Should.Throw<SecretProtectionException>(() => both.Unprotect(EncryptedSecret.Create("b", secret.CipherText.Span)));
        refused.Message.ShouldContain("does not authenticate");
    }

    [Fact]
    public void UnknownKeyId_IsAClearError()
    {
        var secret = Protector("old", ("old", KeyA)).Protect("password");

        var refused = Should.Throw<SecretProtectionException>(() => _protector.Unprotect(secret));
        refused.Message.ShouldContain("'old'");
        refused.Message.ShouldContain("Secrets:Keys:old");
    }

    [Fact]
    public void Rotation_OldSecretsStillOpen_AndReProtectingMovesThemToTheNewKey()
    {
        var underA = Protector("a", ("a", KeyA), ("b", KeyB)).Protect("password");
        var afterRotation = Protector("b", ("a", KeyA), ("b", KeyB));

        afterRotation.NeedsRotation(underA).ShouldBeTrue();
        var underB = afterRotation.Protect(afterRotation.Unprotect(underA));

        underB.KeyId.ShouldBe("b");
        afterRotation.NeedsRotation(underB).ShouldBeFalse();
        afterRotation.Unprotect(underB).ShouldBe("password");
        Should.Throw<SecretProtectionException>(() => Protector("a", ("a", KeyA)).Unprotect(underB));
    }

    [Fact]
    public void CipherText_NeverContainsTheClearText()
    {
        const string clear = "a-password-long-enough-to-spot-in-the-bytes";

        var secret = _protector.Protect(clear);

        var bytes = secret.CipherText.Span;
        bytes.IndexOf(Encoding.UTF8.GetBytes(clear)).ShouldBe(-1);
        bytes.IndexOf(Encoding.UTF8.GetBytes(clear[..8])).ShouldBe(-1);
        secret.ToString().ShouldNotContain(clear);
    }

    [Property]
    public Property RoundTrip_HoldsForAnyUnicodeString()
    {
        var texts = Gen.Choose(0, 200)
            .SelectMany(length => Gen.Choose(0, 0x10FFFF).Where(code => code is < 0xD800 or > 0xDFFF).ArrayOf(length))
            .Select(codes => string.Concat(codes.Select(char.ConvertFromUtf32)));

        return Prop.ForAll(texts.ToArbitrary(), text =>
        {
            var secret = _protector.Protect(text);
            return _protector.Unprotect(secret) == text
                && secret.CipherText.Length == 1 + 12 + Encoding.UTF8.GetByteCount(text) + 16;
        });
    }
}
