using Loupe.Application.ApiKeys.Commands.CreateApiKey;
using Loupe.Application.Common.Exceptions;
using Loupe.Application.Tests.Common.Behaviors;
using Loupe.Application.Tests.Common.InMemory;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Audit;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;

namespace Loupe.Application.Tests.ApiKeys.Commands.CreateApiKey;

/// <summary>Creating an API key: only a person signed in may, never above their own role, and the secret is shown once.</summary>
public sealed class CreateApiKeyTests : IDisposable
{
    private readonly ApplicationHarness _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ASignedInEditor_GetsAKeyOfTheirRole_WhoseSecretIsStoredOnlyAsAHash()
    {
        var editor = _app.AddUser(_app.AddOrganization(), Role.Editor);
        _app.SignInAs(editor);

        var created = await _app.SendAsync(new CreateApiKeyCommand(" nightly export ", Role.Editor));

        created.Secret.ShouldStartWith(CreateApiKeyCommandHandler.SecretPrefix);
        created.Secret.ShouldStartWith(created.Prefix);
        var key = _app.Store.All<ApiKey>().ShouldHaveSingleItem();
        key.Name.ShouldBe("nightly export");
        key.Role.ShouldBe(Role.Editor);
        key.OrganizationId.ShouldBe(editor.OrganizationId);
        key.SecretHash.ShouldBe(_app.Tokens.HashOf(created.Secret));
        key.Prefix.ShouldBe(created.Prefix);
        _app.Audit.Events.ShouldHaveSingleItem().ShouldBe((AuditActions.ApiKeyCreated, new AuditTarget("api_key", key.Id), null));
    }

    [Fact]
    public async Task AKeyAboveItsCreatorsRole_IsRefused_AndNothingIsStored()
    {
        _app.SignInAs(_app.AddUser(_app.AddOrganization(), Role.Editor));

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new CreateApiKeyCommand("too strong", Role.Admin)));

        refused.Error.ShouldBe(ApiKeyErrors.RoleAboveCreator);
        _app.Store.All<ApiKey>().ShouldBeEmpty();
        _app.Audit.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnotherApiKey_MayNotCreateOne()
    {
        var admin = _app.AddUser(_app.AddOrganization(), Role.Admin);
        _app.Caller = new TestCaller(true, admin.Id, admin.OrganizationId, Role.Admin, false, ApiKeyId: Guid.CreateVersion7());

        var refused = await Should.ThrowAsync<DomainException>(() => _app.SendAsync(new CreateApiKeyCommand("copy", Role.Viewer)));

        refused.Error.ShouldBe(ApiKeyErrors.NotAllowed);
        _app.Store.All<ApiKey>().ShouldBeEmpty();
    }

    [Fact]
    public async Task ACallerWithoutASession_MayNotCreateOne()
    {
        var admin = _app.AddUser(_app.AddOrganization(), Role.Admin);
        _app.Caller = new TestCaller(true, admin.Id, admin.OrganizationId, Role.Admin, false);

        await Should.ThrowAsync<ForbiddenException>(() => _app.SendAsync(new CreateApiKeyCommand("no session", Role.Viewer)));

        _app.Store.All<ApiKey>().ShouldBeEmpty();
    }
}
