using Loupe.Domain.Organizations;
using Loupe.Infrastructure.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>The job engine's table (migration 0005); its partial indexes are the claim order, the running set and the unique keys.</summary>
internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public const int KindMaxLength = 100;
    public const int QueueMaxLength = Application.Common.Jobs.JobQueueNames.MaxLength;
    public const int UniqueKeyMaxLength = 200;
    public const int NodeMaxLength = 200;
    private const int StateMaxLength = 16;

    /// <summary>A W3C traceparent is exactly 55 characters (version 00); a tracestate at most 512.</summary>
    public const int TraceParentMaxLength = 55;
    public const int TraceStateMaxLength = 512;

    private static readonly ValueConverter<JobState, string> StateConversion = new(state => state.ToText(), text => JobStates.Parse(text));

    public void Configure(EntityTypeBuilder<Job> builder)
    {
        builder.ToTable("jobs", table =>
        {
            table.HasCheckConstraint("ck_jobs_state", "state IN ('queued', 'running', 'succeeded', 'failed', 'dead_lettered', 'cancelled')");
            table.HasCheckConstraint("ck_jobs_attempts", "max_attempts BETWEEN 1 AND 20 AND attempt BETWEEN 0 AND max_attempts");
        });
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Id).ValueGeneratedNever();
        builder.Property(j => j.Kind).HasMaxLength(KindMaxLength).IsRequired();
        builder.Property(j => j.Queue).HasMaxLength(QueueMaxLength).IsRequired();
        builder.Property(j => j.Priority).HasConversion<int>();
        builder.Property(j => j.Payload).IsRequired();
        builder.Property(j => j.State).HasConversion(StateConversion).HasMaxLength(StateMaxLength).IsRequired();
        builder.Property(j => j.RunAt).IsRequired();
        builder.Property(j => j.UniqueKey).HasMaxLength(UniqueKeyMaxLength);
        builder.Property(j => j.LeaseOwner).HasMaxLength(NodeMaxLength);
        builder.Property(j => j.TraceParent).HasMaxLength(TraceParentMaxLength);
        builder.Property(j => j.TraceState).HasMaxLength(TraceStateMaxLength);
        builder.HasOne<Organization>().WithMany().HasForeignKey(j => j.OrganizationId).OnDelete(DeleteBehavior.Cascade);

        builder.HasIndex(j => new { j.OrganizationId, j.Priority, j.RunAt, j.Id }, "ix_jobs_queued_organization").HasFilter("state = 'queued'");
        builder.HasIndex(j => j.OrganizationId, "ix_jobs_running").HasFilter("state = 'running'");
        builder.HasIndex(j => new { j.OrganizationId, j.UniqueKey }, "ix_jobs_unique_key").IsUnique().AreNullsDistinct(false)
            .HasFilter("unique_key IS NOT NULL AND state IN ('queued', 'running')");
        builder.HasIndex(j => j.FinishedAt, "ix_jobs_failures").HasFilter("state IN ('failed', 'dead_lettered')");
        builder.Property(j => j.Claims).HasDefaultValue(0);

        // The jobs admin API's keyset pages and throughput (migration 0026); the finish-time index also
        // serves the retention's purge (migration 0027: a job has a finish time exactly when it is finished);
        // the queue's, the lists' queue filter (migration 0029).
        builder.HasIndex(j => new { j.State, j.Id }, "ix_jobs_state_id");
        builder.HasIndex(j => new { j.Kind, j.Id }, "ix_jobs_kind_id");
        builder.HasIndex(j => new { j.OrganizationId, j.Id }, "ix_jobs_organization_id_id");
        builder.HasIndex(j => new { j.Queue, j.Id }, "ix_jobs_queue_id");
        builder.HasIndex(j => new { j.FinishedAt, j.State }, "ix_jobs_finished_at_state").HasFilter("finished_at IS NOT NULL");
    }
}
