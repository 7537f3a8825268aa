using Loupe.Domain.Organizations;
using Loupe.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>The claim's round-robin turns (migration 0010), one row per organization that got a slot.</summary>
internal sealed class JobOrganizationTurnConfiguration : IEntityTypeConfiguration<JobOrganizationTurn>
{
    public void Configure(EntityTypeBuilder<JobOrganizationTurn> builder)
    {
        builder.ToTable("job_organization_turns");
        builder.HasKey(t => t.OrganizationId);
        builder.Property(t => t.OrganizationId).ValueGeneratedNever();
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
