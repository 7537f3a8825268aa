using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Loupe.Integration.Tests.Support;
using Npgsql;

namespace Loupe.Integration.Tests.Jobs;

/// <summary>
/// The claim's order (ADR 0030), driven straight through <c>loupe_jobs_claim</c>: a free slot goes to
/// the organization with the fewest running jobs, round-robin among equals; reserved slots go only to
/// organizations with nothing running; the per-organization limit holds. A model of the claim is
/// checked against the function over random states.
/// </summary>
[Collection(JobEngineSerial.Name)]
public sealed class FairClaimTests : IAsyncLifetime
{
    private const int OrganizationLimit = 5;
    private readonly ScratchDatabases _databases = new();
    private string _database = string.Empty;
    private Guid[] _organizations = [];
    private NpgsqlConnection? _modelConnection;

    public async ValueTask InitializeAsync()
    {
        _database = await _databases.MigratedAsync();
        var organizations = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            organizations.Add((await TenantData.CreateOrganizationAsync(TestPostgres.AppConnection(_database), $"Org {i}")).Id);
        }

        // PostgreSQL's uuid order is the order of the canonical text.
        _organizations = [.. organizations.OrderBy(o => o.ToString(), StringComparer.Ordinal)];
    }

    public async ValueTask DisposeAsync()
    {
        if (_modelConnection is not null)
        {
            await _modelConnection.DisposeAsync();
        }

        await _databases.DisposeAsync();
    }

    [Fact]
    public async Task AFreeSlot_GoesToTheOrganizationWithTheFewestRunningJobs()
    {
        await using var connection = await OpenAsync();
        var (a, b, c) = (_organizations[0], _organizations[1], _organizations[2]);
        await SetUpAsync(connection, new() { [a] = (3, 4), [b] = (1, 4), [c] = (2, 4) });

        var first = await ClaimAsync(connection, limit: 1, open: 1);
        var second = await ClaimAsync(connection, limit: 1, open: 1);
        var third = await ClaimAsync(connection, limit: 1, open: 1);

        // b (1 running); then b and c tie at 2 and c has never had a turn; then b, the only one at 2.
        first.ShouldBe(new[] { (b, false) });
        second.ShouldBe(new[] { (c, false) });
        third.ShouldBe(new[] { (b, false) });
    }

    [Fact]
    public async Task OrganizationsWithEqualLoads_TakeTurns()
    {
        await using var connection = await OpenAsync();
        await SetUpAsync(connection, _organizations.Take(3).ToDictionary(o => o, _ => (0, 9)));

        // Each claimed job ends at once, so all three stay at nothing running: only the turns decide.
        var order = new List<Guid>();
        for (var i = 0; i < 9; i++)
        {
            var claimed = await ClaimAsync(connection, limit: 1, open: 1);
            order.Add(claimed.ShouldHaveSingleItem().Organization);
            await ExecuteAsync(connection, "UPDATE jobs SET state = 'succeeded', finished_at = now(), lease_owner = NULL WHERE state = 'running'");
        }

        order.Take(3).ShouldBe(_organizations.Take(3));
        order.Chunk(3).ShouldAllBe(round => round.Distinct().Count() == 3);
        order.Skip(3).Take(3).ShouldBe(order.Take(3));
    }

    [Fact]
    public async Task ReservedSlots_GoOnlyToOrganizationsWithNothingRunning_OneJobEach()
    {
        await using var connection = await OpenAsync();
        var (busy, idle, other) = (_organizations[0], _organizations[1], _organizations[2]);
        await SetUpAsync(connection, new() { [busy] = (1, 5), [idle] = (0, 5), [other] = (0, 5) });

        // No open slot, three free reserved ones: the first job of each idle organization, nothing of the busy one.
        var claimed = await ClaimAsync(connection, limit: 3, open: 0);

        claimed.Select(c => c.Organization).Order().ShouldBe(new[] { idle, other }.Order());
        claimed.ShouldAllBe(c => c.Reserved);
        (await ClaimAsync(connection, limit: 3, open: 0)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TwoOrganizationsThatFloodAnIdleNode_TakeItsOpenSlotsOnly_AndANewcomerGetsAReservedOne()
    {
        await using var connection = await OpenAsync();
        var (a, b, newcomer) = (_organizations[0], _organizations[1], _organizations[2]);
        await SetUpAsync(connection, new() { [a] = (0, 8), [b] = (0, 8) });

        // A node of 8 slots, 2 of them reserved.
        var flood = await ClaimAsync(connection, limit: 8, open: 6);
        await SetUpAsync(connection, new() { [newcomer] = (0, 1) }, clear: false);
        var arrival = await ClaimAsync(connection, limit: 2, open: 0);

        flood.Count.ShouldBe(6);
        flood.Count(c => c.Organization == a).ShouldBe(3);
        flood.ShouldAllBe(c => !c.Reserved);
        arrival.ShouldBe(new[] { (newcomer, true) });
    }

    [Fact]
    public async Task TheOrganizationLimit_HoldsWhateverTheFreeSlots()
    {
        await using var connection = await OpenAsync();
        var (full, almost) = (_organizations[0], _organizations[1]);
        await SetUpAsync(connection, new() { [full] = (OrganizationLimit, 3), [almost] = (OrganizationLimit - 1, 3) });

        var claimed = await ClaimAsync(connection, limit: 8, open: 8);

        claimed.ShouldBe(new[] { (almost, false) });
    }

    [Fact]
    public async Task TheClaim_KeepsItsGenericPlans_InsteadOfPlanningEveryCall()
    {
        // Planning the claim's two large statements on every call cost more than running them (ADR 0030,
        // migration 0011); the model test below checks the generic plans claim what the rules say.
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT proconfig FROM pg_proc WHERE proname = 'loupe_jobs_claim'", connection);

        var settings = (string[]?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);

        settings.ShouldNotBeNull().ShouldContain("plan_cache_mode=force_generic_plan");
    }

    [Property]
    public Property TheClaim_AgreesWithItsModel()
    {
        // FsCheck calls a property method once per case: one connection serves them all.
        var connection = _modelConnection ??= OpenAsync().GetAwaiter().GetResult();
        var organization = Gen.Zip(Gen.Zip(Gen.Choose(0, OrganizationLimit + 1), Gen.Choose(0, 6), (running, queued) => (Running: running, Queued: queued)), Gen.Choose(0, 4), (jobs, turn) => (jobs.Running, jobs.Queued, Turn: turn));
        var states = organization.ArrayOf(_organizations.Length);
        var slots = Gen.Choose(1, 8).SelectMany(limit => Gen.Choose(0, limit).Select(open => (Limit: limit, Open: open)));
        return Prop.ForAll(states.ToArbitrary(), slots.ToArbitrary(), (state, node) =>
        {
            // Turn 0 stands for an organization that has never been given a slot.
            var setup = _organizations.Select((o, i) => (Organization: o, state[i].Running, state[i].Queued, state[i].Turn)).ToList();
            SetUpAsync(connection, setup.ToDictionary(s => s.Organization, s => (s.Running, s.Queued)), turns: setup.Where(s => s.Turn > 0).ToDictionary(s => s.Organization, s => (long)s.Turn))
                .GetAwaiter().GetResult();

            var claimed = ClaimAsync(connection, node.Limit, node.Open).GetAwaiter().GetResult();

            var expected = Model(setup, node.Limit, node.Open);
            var label = $"state {string.Join("; ", setup.Select(s => $"{s.Running} running, {s.Queued} queued, turn {s.Turn}"))}, limit {node.Limit}, open {node.Open}";
            claimed.ShouldBe(expected, label);
        });
    }

    /// <summary>What the claim gives, in its order: the ADR's rules written out plainly.</summary>
    private static List<(Guid Organization, bool Reserved)> Model(
        List<(Guid Organization, int Running, int Queued, int Turn)> setup, int limit, int open)
    {
        var organizations = setup
            .Where(s => s.Queued > 0 && s.Running < OrganizationLimit)
            .OrderBy(s => s.Running).ThenBy(s => s.Turn).ThenBy(s => s.Organization.ToString(), StringComparer.Ordinal)
            .Take(limit);
        var slots = organizations
            .SelectMany(s => Enumerable.Range(1, Math.Min(s.Queued, Math.Min(limit, OrganizationLimit - s.Running)))
                .Select(place => (s.Organization, Load: s.Running + place - 1, s.Turn, Place: place)))
            .OrderBy(c => c.Load).ThenBy(c => c.Turn).ThenBy(c => c.Organization.ToString(), StringComparer.Ordinal).ThenBy(c => c.Place)
            .Select((c, i) => (c.Organization, c.Load, Slot: i + 1));
        return [.. slots.Where(s => s.Slot <= open || (s.Slot <= limit && s.Load == 0)).Select(s => (s.Organization, s.Slot > open))];
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(TestPostgres.OwnerConnection(_database));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>Running jobs (held by another node) and due queued jobs per organization, and the organizations' turns.</summary>
    private static async Task SetUpAsync(
        NpgsqlConnection connection, Dictionary<Guid, (int Running, int Queued)> jobs, bool clear = true, Dictionary<Guid, long>? turns = null)
    {
        if (clear)
        {
            await ExecuteAsync(connection, "DELETE FROM jobs; DELETE FROM job_organization_turns");
        }

        foreach (var (organization, (running, queued)) in jobs)
        {
            await ExecuteAsync(
                connection,
                "INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, lease_owner, lease_expires_at, claimed_at, started_at, enqueued_at) " +
                $"SELECT gen_random_uuid(), 'test.fair', 'default', 0, '{{}}', '{organization}', 'running', 1, 3, now() - interval '1 minute', 'other-node', now() + interval '1 hour', now(), now(), now() FROM generate_series(1, {running}); " +
                "INSERT INTO jobs (id, kind, queue, priority, payload, organization_id, state, attempt, max_attempts, run_at, enqueued_at) " +
                $"SELECT gen_random_uuid(), 'test.fair', 'default', 0, '{{}}', '{organization}', 'queued', 0, 3, now() - interval '1 minute' + g * interval '1 ms', now() FROM generate_series(1, {queued}) g");
        }

        foreach (var (organization, turn) in turns ?? [])
        {
            await ExecuteAsync(connection, $"INSERT INTO job_organization_turns (organization_id, last_turn) VALUES ('{organization}', {turn})");
        }
    }

    /// <summary>One claim by node <c>fair-node</c>; the claimed jobs' organizations and whether each took a reserved slot, in claim order.</summary>
    private static async Task<List<(Guid Organization, bool Reserved)>> ClaimAsync(NpgsqlConnection connection, int limit, int open)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT organization_id, reserved FROM loupe_jobs_claim('fair-node', {limit}, {open}, 30, {OrganizationLimit}, ARRAY['default'])", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var claimed = new List<(Guid, bool)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            claimed.Add((reader.GetGuid(0), reader.GetBoolean(1)));
        }

        return claimed;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
