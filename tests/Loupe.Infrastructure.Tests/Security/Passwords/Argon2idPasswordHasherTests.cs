using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Security;
using Loupe.Infrastructure.Security.Passwords;
using Microsoft.Extensions.Options;

namespace Loupe.Infrastructure.Tests.Security.Passwords;

public sealed class Argon2idPasswordHasherTests
{
    private static readonly Argon2idPasswordHasher Hasher = HasherWith(new PasswordHashingOptions());

    [Fact]
    public void Verify_WhenPasswordRight_Succeeds()
    {
        var hash = Hasher.Hash("correct horse battery staple");

        Hasher.Verify("correct horse battery staple", hash).ShouldBe(PasswordVerification.Succeeded);
    }

    [Fact]
    public void Verify_WhenPasswordWrong_Fails()
    {
        var hash = Hasher.Hash("correct horse battery staple");

        Hasher.Verify("correct horse battery stapler", hash).ShouldBe(PasswordVerification.Failed);
        Hasher.Verify("Correct horse battery staple", hash).ShouldBe(PasswordVerification.Failed);
        Hasher.Verify(string.Empty, hash).ShouldBe(PasswordVerification.Failed);
    }

    [Theory]
    [InlineData("pässwörd-ÄÖÜ")]
    [InlineData("密码密码密码密码")]
    [InlineData("🔑🔐 emoji keys 🗝️")]
    [InlineData("ﬁ ligature and e\u0301 combining")]
    public void Verify_WhenPasswordUnicode_RoundTripsAsUtf8(string password)
    {
        var hash = Hasher.Hash(password);

        Hasher.Verify(password, hash).ShouldBe(PasswordVerification.Succeeded);
        Hasher.Verify(password + "x", hash).ShouldBe(PasswordVerification.Failed);
    }

    [Fact]
    public void Hash_EmbedsTheConfiguredParameters_AndASaltEachTime()
    {
        var stronger = HasherWith(new PasswordHashingOptions { MemoryKib = 20_480, Iterations = 3 });

        var first = stronger.Hash("same password");
        var second = stronger.Hash("same password");

        first.ShouldStartWith("$argon2id$v=19$m=20480,t=3,p=1$");
        Argon2idHashFormat.TryParse(first, out var parameters).ShouldBeTrue();
        parameters.ShouldBe(new Argon2idParameters(20_480, 3, 1, SaltBytes: 16, HashBytes: 32));
        second.ShouldNotBe(first);
    }

    [Fact]
    public void Verify_WhenParametersWeaker_AsksForRehash()
    {
        // A hash from before the minimums were raised: built by a hasher that skipped validation.
        var legacy = HasherWith(new PasswordHashingOptions { MemoryKib = 8_192, Iterations = 1 });
        var oldHash = legacy.Hash("my old password");

        Hasher.Verify("my old password", oldHash).ShouldBe(PasswordVerification.SucceededNeedsRehash);
        Hasher.Verify("not my old password", oldHash).ShouldBe(PasswordVerification.Failed);
    }

    [Fact]
    public void Verify_WhenConfigurationRaisedIterations_AsksForRehash()
    {
        var hash = Hasher.Hash("password one");
        var stronger = HasherWith(new PasswordHashingOptions { Iterations = 3 });

        stronger.Verify("password one", hash).ShouldBe(PasswordVerification.SucceededNeedsRehash);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a hash")]
    [InlineData("$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=16$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=19456,t=2$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=99999999999,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=0$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=-5,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhh!2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g\0")]
    [InlineData("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2hé")]
    public void Verify_WhenStoredHashMalformed_FailsWithoutThrowing(string stored) =>
        Hasher.Verify("password", stored).ShouldBe(PasswordVerification.Failed);

    [Fact]
    public void Verify_WhenStoredHashTruncated_Fails()
    {
        var hash = Hasher.Hash("password");

        for (var length = 0; length < hash.Length; length += 7)
        {
            Hasher.Verify("password", hash[..length]).ShouldBe(PasswordVerification.Failed);
        }
    }

    [Fact]
    public void VerifyAgainstDummy_NeverThrows() =>
        Should.NotThrow(() =>
        {
            Hasher.VerifyAgainstDummy("anything at all");
            Hasher.VerifyAgainstDummy(string.Empty);
        });

    [Property(MaxTest = 20)]
    public Property Verify_ForRandomPasswords_AcceptsOnlyTheHashedOne()
    {
        var pieces = Gen.Elements("a", "Z", "7", " ", "!", "é", "ß", "ж", "密", "🔑", "\t", "\u0301");
        var passwords = Gen.Choose(1, 128)
            .SelectMany(length => pieces.ArrayOf(length))
            .Select(parts => string.Concat(parts));

        return Prop.ForAll(passwords.ToArbitrary(), password =>
        {
            var hash = Hasher.Hash(password);
            return Hasher.Verify(password, hash) == PasswordVerification.Succeeded
                && Hasher.Verify(password + "x", hash) == PasswordVerification.Failed;
        });
    }

    /// <summary>Reports the cost of one hash with the default parameters; never asserts on time.</summary>
    [Fact]
    public void Hash_CostWithDefaultParameters_IsReported()
    {
        const int Rounds = 10;
        Hasher.Hash("warm-up");

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            Hasher.Hash("measure me " + i);
        }

        watch.Stop();
        var message = $"Argon2id m=19456 KiB, t=2, p=1: {watch.Elapsed.TotalMilliseconds / Rounds:0.0} ms per hash (mean of {Rounds}).";
        TestContext.Current.TestOutputHelper?.WriteLine(message);
        TestContext.Current.SendDiagnosticMessage(message);
    }

    private static Argon2idPasswordHasher HasherWith(PasswordHashingOptions options) => new(Options.Create(options));
}
