using Loupe.Domain.DataSources;
using Loupe.Domain.Organizations;
using Loupe.Domain.Queries;
using Loupe.Domain.Runs;
using Loupe.Domain.Schedules;
using Loupe.Domain.Users;
using Loupe.Infrastructure.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Loupe.Infrastructure.Persistence.Configurations;

/// <summary>Runs; the error is an owned value of nullable columns (code, message, line, column, hint, detail).</summary>
internal sealed class QueryRunConfiguration : IEntityTypeConfiguration<QueryRun>
{
    private const int StatusMaxLength = 16;

    private static readonly ValueConverter<RunStatus, string> StatusConversion = new(
        status => status.ToName(),
        text => ParseStatus(text));

    public void Configure(EntityTypeBuilder<QueryRun> builder)
    {
        builder.ToTable("query_runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Sql).IsRequired();
        builder.Property(r => r.ParameterValues).IsRequired();
        builder.Property(r => r.Parameters).HasColumnType("jsonb");
        builder.Property(r => r.CacheKey).HasMaxLength(QueryRun.CacheKeyLength).IsRequired();
        builder.Property(r => r.Status).HasConversion(StatusConversion).HasMaxLength(StatusMaxLength);
        builder.Property(r => r.ResultExpired);
        builder.OwnsOne(r => r.Error, error =>
        {
            error.Property(e => e.Code).HasColumnName("error_code").HasMaxLength(RunError.CodeMaxLength);
            error.Property(e => e.Message).HasColumnName("error_message").HasMaxLength(RunError.MessageMaxLength);
            error.Property(e => e.Line).HasColumnName("error_line");
            error.Property(e => e.Column).HasColumnName("error_column");
            error.Property(e => e.Hint).HasColumnName("error_hint").HasMaxLength(RunError.MessageMaxLength);
            error.Property(e => e.Detail).HasColumnName("error_detail").HasMaxLength(RunError.MessageMaxLength);
        });
        builder.Navigation(r => r.Error).IsRequired(false);
        builder.HasIndex(r => new { r.OrganizationId, r.QueuedAt });
        builder.HasIndex(r => new { r.OrganizationId, r.QueuedAt }, "ix_query_runs_queued").HasFilter("status IN ('queued', 'retrying')");
        builder.HasIndex(r => new { r.CacheKey, r.FinishedAt });
        builder.HasIndex(r => r.SavedQueryId);
        builder.HasIndex(r => r.ResultExpiresAt);
        builder.HasIndex(r => r.ScheduleId).HasFilter("schedule_id IS NOT NULL");
        builder.HasIndex(r => new { r.OrganizationId, r.FinishedAt }, "ix_query_runs_schedule_unsettled")
            .HasFilter("schedule_id IS NOT NULL AND NOT schedule_settled AND status IN ('succeeded', 'failed', 'cancelled', 'timed_out')");
        builder.HasOne<Schedule>().WithMany().HasForeignKey(r => r.ScheduleId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<DataSource>().WithMany().HasForeignKey(r => r.DataSourceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(r => r.RequestedBy).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<SavedQuery>().WithMany().HasForeignKey(r => r.SavedQueryId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(r => r.RowVersion).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        builder.Ignore(r => r.DurationMs);
        builder.Ignore(r => r.HasResult);
        builder.Ignore(r => r.DomainEvents);
    }

    private static RunStatus ParseStatus(string text) =>
        RunStatuses.TryParse(text, out var status) ? status : throw new InvalidOperationException($"Unknown stored run status '{text}'.");
}

/// <summary>The summary rows of stored results.</summary>
internal sealed class RunResultConfiguration : IEntityTypeConfiguration<RunResultRecord>
{
    public void Configure(EntityTypeBuilder<RunResultRecord> builder)
    {
        builder.ToTable("run_results");
        builder.HasKey(r => new { r.RunId, r.Attempt });
        builder.Property(r => r.Columns).IsRequired();
        builder.HasIndex(r => r.OrganizationId);
        builder.HasOne<QueryRun>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The compressed chunks of stored results.</summary>
internal sealed class RunResultChunkConfiguration : IEntityTypeConfiguration<RunResultChunkRecord>
{
    public void Configure(EntityTypeBuilder<RunResultChunkRecord> builder)
    {
        builder.ToTable("run_result_chunks");
        builder.HasKey(c => new { c.RunId, c.Attempt, c.ChunkNumber });
        builder.Property(c => c.Data).IsRequired();
        builder.HasIndex(c => c.OrganizationId);
        builder.HasOne<QueryRun>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
