using System.Reflection;
using Loupe.Application.Common.Concurrency;
using Loupe.Application.Common.Mapping;
using Loupe.Application.DataSources;
using Loupe.Application.Runs;
using Loupe.Application.SavedQueries;
using Loupe.Domain.DataSources;
using Loupe.Domain.Runs;
using Mapster;
using Mapster.Models;

namespace Loupe.Application.Tests.Common.Mapping;

public class MappingConfigurationTests
{
    private static readonly TypeAdapterConfig Mapping = MappingConfiguration.Create();

    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] SecretWords = ["password", "secret", "hash", "cipher", "token"];

    [Fact]
    public void Create_CompilesEveryMappingAndProjection()
    {
        var config = MappingConfiguration.Create();

        Should.NotThrow(() => config.Compile());
        Should.NotThrow(() => config.CompileProjection());
        config.RuleMap.Keys.ShouldContain(new TypeTuple(typeof(QueryRun), typeof(RunDto)));
    }

    [Fact]
    public void Create_RefusesAPairNobodyRegistered()
    {
        var run = NewRun();

        Should.Throw<Exception>(() => run.Adapt<SavedQuerySummaryDto>(Mapping));
    }

    [Fact]
    public void Run_IsAnsweredWithItsStatusByWireName()
    {
        var run = NewRun();
        var attempt = run.Start(Now);
        run.TimeOut(attempt, new RunError("57014", "canceling statement due to statement timeout"), Now.AddMilliseconds(1500));

        var dto = run.Adapt<RunDto>(Mapping);

        dto.Status.ShouldBe("timed_out");
        dto.DurationMs.ShouldBe(1500);
        dto.HasResult.ShouldBeFalse();
        dto.FromCache.ShouldBeFalse();
        dto.Error.ShouldBe(new RunErrorDto("57014", "canceling statement due to statement timeout"));
    }

    [Fact]
    public void Run_Versioned_CarriesTheRowVersionBesideTheDto()
    {
        var run = NewRun();

        var versioned = run.Adapt<Versioned<RunDto>>(Mapping);

        versioned.Value.ShouldBe(run.Adapt<RunDto>(Mapping));
        versioned.RowVersion.ShouldBe(run.RowVersion);
    }

    [Fact]
    public void DataSource_IsAnsweredWithTypeAndSslModeByWireName_AndOnlyWhetherItHasAPassword()
    {
        var dataSource = DataSource.Create(
            Guid.CreateVersion7(),
            Guid.CreateVersion7(),
            "Warehouse",
            ConnectionSettings.Postgresql("db.example.com", 5432, "shop", "reader", PostgresSslMode.VerifyFull),
            EncryptedSecret.Create("key-1", [1, 2, 3]),
            new DataSourceLimits(),
            Now);

        var dto = dataSource.Adapt<DataSourceDto>(Mapping);

        dto.Type.ShouldBe("postgresql");
        dto.Settings.SslMode.ShouldBe("verify-full");
        dto.Settings.Host.ShouldBe("db.example.com");
        dto.HasPassword.ShouldBeTrue();
    }

    [Fact]
    public void ListDtos_CarryNoSql()
    {
        typeof(RunDto).GetProperties().Select(p => p.Name).ShouldNotContain(n => n.Contains("Sql", StringComparison.OrdinalIgnoreCase));
        typeof(SavedQuerySummaryDto).GetProperties().Select(p => p.Name).ShouldNotContain(n => n.Contains("Sql", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void NoMappedDto_CarriesAPasswordOrASecret()
    {
        var destinations = Mapping.RuleMap.Keys.Select(pair => pair.Destination).SelectMany(Reachable).Distinct();

        destinations.SelectMany(SecretMembers).ShouldBeEmpty();
    }

    [Fact]
    public void NoDtoAnywhere_CarriesAPasswordOrASecret_ButTheCreatedOnceAnswers()
    {
        var dtos = typeof(MappingConfiguration).Assembly.GetTypes().Where(t => t.IsPublic && t.Name.EndsWith("Dto", StringComparison.Ordinal));

        // A new API key's secret, a new invitation's token, a new share link's token and a webhook's signing secret (when it is
        // made: create and rotate-secret) are shown once, to their creator, and never again.
        dtos.SelectMany(SecretMembers).ShouldBe(
            ["CreatedApiKeyDto.Secret", "CreatedInvitationDto.Token", "CreatedDashboardShareDto.Token", "WebhookWithSecretDto.Secret"], ignoreOrder: true);
    }

    private static IEnumerable<string> SecretMembers(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType != typeof(bool) && SecretWords.Any(w => p.Name.Contains(w, StringComparison.OrdinalIgnoreCase)))
            .Select(p => $"{type.Name}.{p.Name}");

    /// <summary>A type and the types of its members, through collections and generic arguments.</summary>
    private static IEnumerable<Type> Reachable(Type type)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([type]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next) || next.Namespace?.StartsWith("Loupe", StringComparison.Ordinal) != true && !next.IsGenericType)
            {
                continue;
            }

            foreach (var argument in next.GetGenericArguments())
            {
                pending.Push(argument);
            }

            foreach (var property in next.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                pending.Push(property.PropertyType);
            }
        }

        return seen;
    }

    private static QueryRun NewRun() =>
        QueryRun.Queue(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), null, null, "select 1", "[]", new string('a', 64), 30, 1000, Now);
}
