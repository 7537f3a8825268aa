using Loupe.Domain.Audit;

namespace Loupe.Domain.Tests.Audit;

public sealed class AuditEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_CopiesTheActorTargetAndOrigin()
    {
        var id = Guid.CreateVersion7();
        var organizationId = Guid.CreateVersion7();
        var userId = Guid.CreateVersion7();
        var apiKeyId = Guid.CreateVersion7();
        var targetId = Guid.CreateVersion7();

        var audit = AuditEvent.Record(
            id,
            organizationId,
            AuditActions.UserRoleChanged,
            Now,
            new AuditActor(userId, apiKeyId),
            new AuditTarget("user", targetId),
            new AuditOrigin("203.0.113.7", "curl/8.5", "req-42", "client-7"));

        audit.Id.ShouldBe(id);
        audit.OrganizationId.ShouldBe(organizationId);
        audit.Action.ShouldBe("user.role_changed");
        audit.OccurredAt.ShouldBe(Now);
        audit.ActorUserId.ShouldBe(userId);
        audit.ActorApiKeyId.ShouldBe(apiKeyId);
        audit.TargetType.ShouldBe("user");
        audit.TargetId.ShouldBe(targetId);
        audit.IpAddress.ShouldBe("203.0.113.7");
        audit.UserAgent.ShouldBe("curl/8.5");
        audit.RequestId.ShouldBe("req-42");
        audit.ClientRequestId.ShouldBe("client-7");
    }

    [Fact]
    public void Record_WithoutActorTargetOrOrigin_LeavesThemEmpty()
    {
        var audit = AuditEvent.Record(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AuditActions.LoginFailed, Now, AuditActor.Nobody, null, new AuditOrigin(null, null, null));

        audit.ActorUserId.ShouldBeNull();
        audit.ActorApiKeyId.ShouldBeNull();
        audit.TargetType.ShouldBeNull();
        audit.TargetId.ShouldBeNull();
        audit.IpAddress.ShouldBeNull();
        audit.UserAgent.ShouldBeNull();
        audit.RequestId.ShouldBeNull();
    }

    [Fact]
    public void Record_TruncatesTheUserAgentTo512Characters()
    {
        var agent = string.Concat(Enumerable.Range(0, 700).Select(i => (char)('a' + (i % 26))));

        var audit = Recorded(agent);

        audit.UserAgent.ShouldBe(agent[..512]);
    }

    [Theory]
    [InlineData(511)]
    [InlineData(512)]
    public void Record_KeepsAUserAgentOfUpTo512Characters(int length) =>
        Recorded(new string('u', length)).UserAgent.ShouldBe(new string('u', length));

    [Fact]
    public void Record_WithoutAnAction_IsRefused() =>
        Should.Throw<ArgumentException>(() =>
            AuditEvent.Record(Guid.CreateVersion7(), Guid.CreateVersion7(), string.Empty, Now, AuditActor.Nobody, null, new AuditOrigin(null, null, null)));

    [Fact]
    public void Record_WithoutAnActorOrOrigin_IsRefused()
    {
        Should.Throw<ArgumentNullException>(() =>
            AuditEvent.Record(Guid.CreateVersion7(), Guid.CreateVersion7(), AuditActions.LoggedOut, Now, null!, null, new AuditOrigin(null, null, null)));
        Should.Throw<ArgumentNullException>(() =>
            AuditEvent.Record(Guid.CreateVersion7(), Guid.CreateVersion7(), AuditActions.LoggedOut, Now, AuditActor.Nobody, null, null!));
    }

    private static AuditEvent Recorded(string userAgent) =>
        AuditEvent.Record(
            Guid.CreateVersion7(), Guid.CreateVersion7(), AuditActions.LoginSucceeded, Now, AuditActor.Nobody, null, new AuditOrigin(null, userAgent, null));
}
