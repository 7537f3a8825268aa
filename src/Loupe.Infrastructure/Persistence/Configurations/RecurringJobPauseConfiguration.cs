using Loupe.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>Paused system jobs (migration 0028): written and read only through its SQL functions (<see cref="RecurringJobs"/>).</summary>
internal sealed class RecurringJobPauseConfiguration : IEntityTypeConfiguration<RecurringJobPause>
{
    public void Configure(EntityTypeBuilder<RecurringJobPause> builder)
    {
        builder.ToTable("recurring_job_pauses");
        builder.HasKey(p => p.Kind);
        builder.Property(p => p.Kind).HasMaxLength(JobConfiguration.KindMaxLength).ValueGeneratedNever();
    }
}
