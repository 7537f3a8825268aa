namespace Loupe.Infrastructure.Jobs;

/// <summary>
/// A row of <c>job_organization_turns</c> (migration 0010): when an organization last got a slot from
/// a claim, so organizations with as many running jobs take turns (ADR 0030). Only the claim function
/// writes it; the model knows it so the schema the migrations build is the schema the model expects.
/// </summary>
internal sealed class JobOrganizationTurn
{
    public Guid OrganizationId { get; init; }

    /// <summary>The claim's turn number times 1000 plus the organization's place in that claim.</summary>
    public long LastTurn { get; init; }
}
