using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Application.Common.Behaviors;
using Loupe.Application.Common.Exceptions;
using Loupe.Domain.ApiKeys;
using Loupe.Domain.Common;
using Loupe.Domain.Organizations;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Loupe.Application.Tests.Common.Behaviors;

public sealed class PipelineBehaviorTests
{
    [Fact]
    public void Behaviors_AreRegisteredOnce_InTheDeclaredOrder()
    {
        var services = new ServiceCollection().AddApplication();

        var order = services.Where(d => d.ServiceType == typeof(IPipelineBehavior<,>)).Select(d => d.ImplementationType).ToList();

        order.ShouldBe([typeof(LoggingBehavior<,>), typeof(AuthorizationBehavior<,>), typeof(ValidationBehavior<,>), typeof(PerformanceBehavior<,>)]);
    }

    [Fact]
    public async Task Validation_ReportsEveryFailureOfEveryValidator_KeyedInSnakeCase()
    {
        using var pipeline = new PipelineHarness();

        var failure = await Should.ThrowAsync<ValidationFailedException>(() => pipeline.SendAsync(new RenameProbeCommand("much too long", 0, "s")));

        failure.Errors.Keys.ShouldBe(["first_name", "tile_count"], ignoreOrder: true);
        failure.Errors["first_name"].ShouldBe(["Name is too long."]);
        failure.Errors["tile_count"].ShouldBe(["At least one tile."]);
    }

    [Fact]
    public async Task ValidRequest_ReachesItsHandler()
    {
        using var pipeline = new PipelineHarness();

        (await pipeline.SendAsync(new RenameProbeCommand("Ann", 2, "s"))).ShouldBe("renamed Ann");
    }

    [Fact]
    public async Task Authorization_RunsBeforeValidation_SoAnonymousCallersLearnNothing()
    {
        using var pipeline = new PipelineHarness(TestCaller.Anonymous);

        await Should.ThrowAsync<UnauthenticatedException>(() => pipeline.SendAsync(new EditorProbeCommand(string.Empty)));
    }

    [Theory]
    [InlineData(Role.Viewer, false)]
    [InlineData(Role.Editor, true)]
    [InlineData(Role.Admin, true)]
    public async Task Authorization_RequiresTheDeclaredMinimumRole(Role role, bool allowed)
    {
        using var pipeline = new PipelineHarness(TestCaller.Member(role));

        if (allowed)
        {
            (await pipeline.SendAsync(new EditorProbeCommand("x"))).ShouldBe("edited");
        }
        else
        {
            await Should.ThrowAsync<ForbiddenException>(() => pipeline.SendAsync(new EditorProbeCommand("x")));
        }
    }

    [Fact]
    public async Task Authorization_InstanceAdminOnly_RefusesOrganizationAdmins()
    {
        using var admin = new PipelineHarness(TestCaller.Member(Role.Admin));
        using var operatorCaller = new PipelineHarness(TestCaller.InstanceAdmin);

        await Should.ThrowAsync<ForbiddenException>(() => admin.SendAsync(new OperatorProbeQuery()));
        (await operatorCaller.SendAsync(new OperatorProbeQuery())).ShouldBe("jobs");
    }

    [Fact]
    public async Task Authorization_SignedInOnly_RefusesAnAdminKeyBeforeValidation_AndLetsASignedInViewerThrough()
    {
        var adminKey = TestCaller.Member(Role.Admin) with { ApiKeyId = Guid.CreateVersion7() };
        using var keyed = new PipelineHarness(adminKey);
        using var viewer = new PipelineHarness(TestCaller.Member(Role.Viewer));

        var refused = await Should.ThrowAsync<DomainException>(() => keyed.SendAsync(new AccountProbeCommand(string.Empty)));
        refused.Error.ShouldBe(ApiKeyErrors.NotAllowed);
        refused.Error.Code.ShouldBe("auth.api_key_not_allowed");
        (await viewer.SendAsync(new AccountProbeCommand("me"))).ShouldBe("managed");
    }

    [Fact]
    public async Task Authorization_RequestDeclaringNothing_IsRefusedEvenForAdmins()
    {
        using var pipeline = new PipelineHarness(TestCaller.Member(Role.Admin));

        await Should.ThrowAsync<ForbiddenException>(() => pipeline.SendAsync(new UndeclaredProbeQuery()));
    }

    [Fact]
    public async Task Performance_WarnsAboutHandlersSlowerThanHalfASecond()
    {
        using var pipeline = new PipelineHarness();

        await pipeline.SendAsync(new SlowProbeQuery(TimeSpan.FromMilliseconds(499)));
        pipeline.Logs.Lines.ShouldNotContain(l => l.Level == LogLevel.Warning);

        await pipeline.SendAsync(new SlowProbeQuery(TimeSpan.FromMilliseconds(501)));
        pipeline.Logs.Lines.ShouldContain(l => l.Level == LogLevel.Warning && l.Message.Contains("SlowProbeQuery"));
    }

    [Fact]
    public async Task Logging_NamesTheRequest_ButNeverItsValues()
    {
        using var pipeline = new PipelineHarness();

        await pipeline.SendAsync(new RenameProbeCommand("Ann", 1, "Password=hunter2"));
        await Should.ThrowAsync<ValidationFailedException>(() => pipeline.SendAsync(new RenameProbeCommand(string.Empty, 1, "Password=hunter2")));

        pipeline.Logs.Lines.ShouldContain(l => l.Message.Contains("RenameProbeCommand"));
        pipeline.Logs.Lines.ShouldNotContain(l => l.Message.Contains("hunter2") || l.Message.Contains("Ann"));
    }

    [Theory]
    [InlineData("Name", "name")]
    [InlineData("FirstName", "first_name")]
    [InlineData("Tiles[0].VisualizationId", "tiles[0].visualization_id")]
    [InlineData("Settings.SslMode", "settings.ssl_mode")]
    [InlineData("per_page", "per_page")]
    public void FieldPaths_BecomeSnakeCase(string property, string expected) =>
        ValidationBehavior<RenameProbeCommand, string>.ToSnakeCasePath(property).ShouldBe(expected);

    [Property]
    public Property FieldPaths_InSnakeCase_HaveNoCapitals_AndConvertingTwiceChangesNothing()
    {
        var pascalWords = Gen.Elements("Name", "Tile", "Id", "Ssl", "Mode", "X", "Visualization")
            .NonEmptyListOf()
            .Select(words => string.Concat(words));
        var paths = pascalWords.NonEmptyListOf().Select(segments => string.Join('.', segments));

        return Prop.ForAll(paths.ToArbitrary(), path =>
        {
            var once = ValidationBehavior<RenameProbeCommand, string>.ToSnakeCasePath(path);
            var twice = ValidationBehavior<RenameProbeCommand, string>.ToSnakeCasePath(once);
            return once.All(c => !char.IsUpper(c)) && once == twice && once.Count(c => c == '.') == path.Count(c => c == '.');
        });
    }
}
