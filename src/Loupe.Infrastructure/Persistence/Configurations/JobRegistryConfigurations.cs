using Loupe.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>The node registry (migration 0025).</summary>
internal sealed class JobNodeConfiguration : IEntityTypeConfiguration<JobNodeRow>
{
    public void Configure(EntityTypeBuilder<JobNodeRow> builder)
    {
        builder.ToTable("job_nodes", table => table.HasCheckConstraint("ck_job_nodes_host", "host IN ('api', 'worker')"));
        builder.HasKey(n => n.Node);
        builder.Property(n => n.Node).HasMaxLength(JobConfiguration.NodeMaxLength).ValueGeneratedNever();
        builder.Property(n => n.Host).HasMaxLength(16).IsRequired();
        builder.Property(n => n.Machine).HasMaxLength(JobConfiguration.NodeMaxLength).IsRequired();
        builder.Property(n => n.Queues).IsRequired();
    }
}

/// <summary>Each job's attempts (migration 0025), deleted with their job.</summary>
internal sealed class JobAttemptConfiguration : IEntityTypeConfiguration<JobAttemptRow>
{
    public void Configure(EntityTypeBuilder<JobAttemptRow> builder)
    {
        builder.ToTable("job_attempts", table =>
        {
            table.HasCheckConstraint(
                "ck_job_attempts_outcome",
                "outcome IN ('succeeded', 'failed', 'retrying', 'dead_lettered', 'cancelled', 'released', 'lease_expired')");
            table.HasCheckConstraint("ck_job_attempts_ended", "(ended_at IS NULL) = (outcome IS NULL)");
        });
        builder.HasKey(a => new { a.JobId, a.Claim });
        builder.Property(a => a.Node).HasMaxLength(JobConfiguration.NodeMaxLength).IsRequired();
        builder.Property(a => a.Outcome).HasMaxLength(16);
        builder.HasOne<Job>().WithMany().HasForeignKey(a => a.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Paused queues (migration 0025).</summary>
internal sealed class JobQueuePauseConfiguration : IEntityTypeConfiguration<JobQueuePause>
{
    public void Configure(EntityTypeBuilder<JobQueuePause> builder)
    {
        builder.ToTable("job_queue_pauses");
        builder.HasKey(p => p.Queue);
        builder.Property(p => p.Queue).HasMaxLength(JobConfiguration.QueueMaxLength).ValueGeneratedNever();
    }
}
